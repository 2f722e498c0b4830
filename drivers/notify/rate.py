"""Effective sample rate over a sliding window of notification arrivals."""

from __future__ import annotations

from collections import deque


class RateMeter:
    """Samples per second over the last ``window_s`` of arrivals (session seconds)."""

    def __init__(self, window_s: float = 2.0, min_span_s: float = 0.2) -> None:
        self.window_s = window_s
        self.min_span_s = min_span_s
        self.rate_hz = 0.0
        self._window: deque[tuple[float, int]] = deque()
        self._samples = 0  # in the window (a running sum: a notification costs O(1))

    def add(self, arrival_s: float, n: int) -> float:
        """Record ``n`` samples arriving at ``arrival_s``; the current rate."""
        window = self._window
        window.append((arrival_s, n))
        self._samples += n
        while window and arrival_s - window[0][0] > self.window_s:
            self._samples -= window.popleft()[1]
        span_s = arrival_s - window[0][0]
        if span_s > self.min_span_s:
            self.rate_hz = (self._samples - window[0][1]) / span_s
        return self.rate_hz
