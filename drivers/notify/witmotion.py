"""Turns WitMotion notifications into sample blocks: decode, stamp, count.

Live BLE pods and simulated pods both go through this, so the simulator exercises the same
decoder path as hardware.
"""

from __future__ import annotations

from drivers.clock_sync import RateStamper, record_sync
from drivers.models.witmotion.decode import decode_notification
from drivers.notify.rate import RateMeter
from drivers.types import LinkStats, SampleBlock


class WitMotionNotifications:
    """Decoder path for WitMotion 0x61 notifications, keeping the link counters."""

    def __init__(self, rate_hz: float, stats: LinkStats) -> None:
        self.stamper = RateStamper(rate_hz)
        self.stats = stats
        self._rate = RateMeter()

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
        self.stats.effective_rate_hz = self._rate.add(arrival_s, len(frames))
        record_sync(self.stats, self.stamper.estimate)
        return SampleBlock(stamped.t_s, frames.acc_g, frames.gyro_dps)
