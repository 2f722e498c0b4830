"""Turns a pod's notifications into sample blocks: decode, stamp, count.

Live BLE pods and simulated pods both go through this, so the simulator exercises the same
decoder path as hardware.
"""

from __future__ import annotations

from collections import deque

from drivers.clock_sync import RateStamper
from drivers.models.witmotion.decode import decode_notification
from drivers.types import LinkStats, SampleBlock


class WitMotionNotifications:
    """Decoder path for WitMotion 0x61 notifications, keeping the link counters."""

    def __init__(self, rate_hz: float, stats: LinkStats) -> None:
        self.stamper = RateStamper(rate_hz)
        self.stats = stats
        self._rate_window: deque[tuple[float, int]] = deque()

    def feed(self, payload: bytes, arrival_s: float) -> SampleBlock:
        frames = decode_notification(payload)
        self.stats.notifications += 1
        self.stats.last_arrival_s = arrival_s
        if frames.malformed_bytes:
            self.stats.frames_malformed += 1
        if len(frames) == 0:
            return SampleBlock.empty()
        stamped = self.stamper.stamp(len(frames), arrival_s)
        self.stats.samples += len(frames)
        self.stats.samples_lost += stamped.lost
        self._update_rate(arrival_s, len(frames))
        return SampleBlock(stamped.t_s, frames.acc_g, frames.gyro_dps)

    def _update_rate(self, arrival_s: float, n: int, window_s: float = 2.0) -> None:
        window = self._rate_window
        window.append((arrival_s, n))
        while window and arrival_s - window[0][0] > window_s:
            window.popleft()
        span = arrival_s - window[0][0]
        if span > 0.2:
            self.stats.effective_rate_hz = (sum(k for _, k in window) - window[0][1]) / span
