"""Time stamps for pods that send neither timestamps nor counters (WitMotion).

Samples are counted, and the count over the nominal rate is the pod's clock: a
``DeviceTimeMapper`` maps it onto the session clock by the earliest arrivals, which also
estimates the pod's real rate (its drift from nominal, real pods being 0.1–2 % off) and
stamps with it once it is distinguishable from nominal, so pods of one session agree.

A notification arriving later than the line predicts by more than ``gap_tolerance_s`` is a
gap: the samples missing in it (at the estimated real rate) are counted as lost and
skipped in the count, and the mapping re-anchors on the arrivals after the gap, keeping the
rate; so no time is ever interpolated across a gap and a miscount by a sample does not shift
later stamps. Without counters a
loss smaller than the tolerance cannot be told from latency; such losses are counted once
they add up to the tolerance, and a stall longer than the tolerance is counted as a loss.
A notification arriving earlier than the line by more than the tolerance re-anchors too.
Earlier arrivals within the tolerance show that the line was taken from late ones; the
mapping slews earlier, keeping times increasing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.clock.mapper import DeviceTimeMapper, SyncEstimate
from drivers.types import FloatArray


@dataclass(frozen=True)
class Stamped:
    t_s: FloatArray
    lost: int  # samples judged missing before this notification


class RateStamper:
    """Assigns session times to samples of a pod streaming at a nominal rate."""

    def __init__(
        self,
        rate_hz: float,
        gap_tolerance_s: float = 0.1,
        *,
        max_drift_ppm: float = 50_000.0,
        max_slew_ppm: float = 20_000.0,
    ) -> None:
        self.period_s = 1.0 / rate_hz
        self.gap_tolerance_s = max(gap_tolerance_s, 5 * self.period_s)
        self.mapper = DeviceTimeMapper(
            max_drift_ppm=max_drift_ppm,
            max_slew_ppm=max_slew_ppm,
            reset_tolerance_s=2.0 * self.gap_tolerance_s,
        )
        self._count = 0  # samples so far, received or judged lost

    def stamp(self, n: int, arrival_s: float) -> Stamped:
        """Times for ``n`` samples whose notification arrived at ``arrival_s``."""
        lost = 0
        expected_s = self.mapper.envelope_s((self._count + n - 1) * self.period_s)
        if expected_s is not None:
            late_s = arrival_s - expected_s
            if late_s > self.gap_tolerance_s:
                lost = self._lost_in(late_s)
                self._count += lost
                self.mapper.reset(keep_rate=True)
            elif late_s < -self.gap_tolerance_s:
                self.mapper.reset(keep_rate=True)
        device_s = (self._count + np.arange(n, dtype=np.float64)) * self.period_s
        self.mapper.observe(float(device_s[-1]), arrival_s)
        self._count += n
        return Stamped(self.mapper.to_session_s(device_s), lost)

    def _lost_in(self, late_s: float) -> int:
        """Samples missing for a notification ``late_s`` behind the line, at the real rate.

        Its own latency is unknown and counted in: a miscount by a sample or two is the
        price of having no counter (the re-anchoring keeps the stamps right regardless).
        """
        return round(late_s / (self.period_s * self.mapper.rate_scale))

    @property
    def estimate(self) -> SyncEstimate:
        """Offset of the count from the session clock, rate error (ppm; positive when the
        pod runs slower than nominal) and arrival jitter."""
        return self.mapper.estimate

    def reset(self) -> None:
        """Forget the anchor and the count, e.g. after a reconnect; the rate estimate stays."""
        self.mapper.reset()
        self._count = 0
