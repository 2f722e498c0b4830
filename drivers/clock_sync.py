"""The session clock, and time stamps for pods that send neither timestamps nor counters.

WitMotion frames carry no time at all: samples are counted at the nominal rate from an
anchor on the host clock. A notification arriving much later than the count predicts is a
gap: the samples missing in it are counted as lost and the count re-anchors, so no time is
ever interpolated across a gap. Notifications arriving earlier than the count predicts show
that the anchor was taken from a late one: the count slews earlier, a fraction of a period at
a time so that times keep increasing, until it follows the earliest arrivals (the minimum
link latency). That keeps pods that started with different delays on one time base.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray


class SessionClock:
    """Seconds since the session started, from the host's monotonic clock."""

    def __init__(self, start_ns: int | None = None) -> None:
        self.start_ns = time.monotonic_ns() if start_ns is None else start_ns

    def now_s(self) -> float:
        return (time.monotonic_ns() - self.start_ns) * 1e-9

    def to_session_s(self, monotonic_ns: int) -> float:
        return (monotonic_ns - self.start_ns) * 1e-9


@dataclass(frozen=True)
class Stamped:
    t_s: FloatArray
    lost: int  # samples judged missing before this notification


class RateStamper:
    """Assigns session times to samples of a pod streaming at a nominal rate."""

    def __init__(
        self, rate_hz: float, gap_tolerance_s: float = 0.1, slew_fraction: float = 0.1
    ) -> None:
        self.period_s = 1.0 / rate_hz
        self.gap_tolerance_s = max(gap_tolerance_s, 5 * self.period_s)
        self.max_slew_s = slew_fraction * self.period_s
        self._next_s: float | None = None

    def stamp(self, n: int, arrival_s: float) -> Stamped:
        """Times for ``n`` samples whose notification arrived at ``arrival_s``."""
        lost = 0
        first_by_arrival = arrival_s - (n - 1) * self.period_s
        if self._next_s is None:
            self._next_s = first_by_arrival
        late_s = first_by_arrival - self._next_s
        if late_s > self.gap_tolerance_s:
            lost = round(late_s / self.period_s)
            self._next_s = first_by_arrival
        elif late_s < -self.gap_tolerance_s:
            self._next_s = first_by_arrival
        elif late_s < 0.0:
            self._next_s += max(late_s, -self.max_slew_s)
        t_s = self._next_s + np.arange(n, dtype=np.float64) * self.period_s
        self._next_s += n * self.period_s
        return Stamped(t_s, lost)

    def reset(self) -> None:
        """Forget the anchor, e.g. after a reconnect."""
        self._next_s = None
