"""Maps a pod's own clock onto the session clock: offset, drift, sync quality.

Model: ``arrival_s = device_s · (1 + drift) + offset + latency`` with ``latency >= 0``. The
mapper keeps, for each bucket of device time (``bucket_s``), the notification that arrived
earliest relative to the current line, over a sliding window (``window_s``), and fits the
lower envelope of those minima (``drivers.clock.envelope``). Memory is bounded by
``window_s / bucket_s`` minima plus a fixed ring of recent points for the jitter figure.

Times handed out never go backwards. When the estimate changes, the published mapping is
not moved at once: the difference is slewed away at no more than ``max_slew_ppm`` of device
time, so times keep increasing. Only a device clock reset (the device time runs backwards,
or arrivals disagree with the line by more than ``reset_tolerance_s``, early at once or late
for ``late_reset_s``) re-anchors the mapping. A re-anchoring may jump forward (a gap); one
that would go back starts just after the last time given out and slews down instead.

The drift is published only when it is distinguishable (three standard errors) from the
prior: zero at first, the previous estimate after a re-anchoring. Until then the mapping
runs at the prior rate, following the earliest arrivals.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from drivers.clock.envelope import (
    Line,
    fit_lower_envelope,
    slope_uncertainty,
    supporting_line,
)
from drivers.types import FloatArray

BACKSTEP_TOLERANCE_S = 1e-3  # device time running back further than this is a reset
REFIT_BELOW_S = 1e-7  # an arrival this far under the line moves it at once
JITTER_EVERY = 32  # observations between recomputations of the jitter figure
JOIN_STEP_S = 1e-6  # after a re-anchoring that goes back, the next time is this much later


@dataclass(frozen=True)
class SyncEstimate:
    """How a pod's clock maps onto the session clock, and how well.

    Near ``ref_device_s`` (the latest device time observed) the estimate is
    ``session_s = device_s + offset_s + drift_ppm·1e-6·(device_s − ref_device_s)``.
    ``jitter_ms`` is the median arrival latency above that line over recent notifications
    (the sync-quality figure), ``jitter_p90_ms`` its 90th percentile. ``n`` counts
    observations since the last (re-)anchor; ``settled`` says the fit spans ``settle_s``.
    ``slew_ms`` is how far the published mapping still is from the estimate; ``resets``
    counts re-anchorings.
    """

    offset_s: float
    drift_ppm: float
    jitter_ms: float
    n: int
    settled: bool = False
    jitter_p90_ms: float = math.nan
    ref_device_s: float = math.nan
    slew_ms: float = 0.0
    resets: int = 0


class DeviceTimeMapper:
    """Maps device timestamps (seconds, the pod's own clock) onto the session clock."""

    def __init__(
        self,
        *,
        bucket_s: float = 1.0,
        window_s: float = 300.0,
        max_drift_ppm: float = 50_000.0,
        max_slew_ppm: float = 20_000.0,
        reset_tolerance_s: float = 0.5,
        late_reset_s: float = 5.0,
        settle_s: float = 20.0,
        jitter_window: int = 256,
    ) -> None:
        if bucket_s <= 0.0 or window_s < 2.0 * bucket_s:
            raise ValueError("need bucket_s > 0 and window_s >= 2 * bucket_s")
        if not 0.0 < max_slew_ppm < 1e6 - max_drift_ppm or max_drift_ppm < 0.0:
            raise ValueError("need 0 <= max_drift_ppm and 0 < max_slew_ppm < 1e6 - max_drift_ppm")
        self.bucket_s = bucket_s
        self.max_drift = max_drift_ppm * 1e-6
        self.max_slew = max_slew_ppm * 1e-6
        self.reset_tolerance_s = reset_tolerance_s
        self.late_reset_s = late_reset_s
        self.settle_s = settle_s
        self._minima: deque[tuple[float, float]] = deque(maxlen=math.ceil(window_s / bucket_s))
        self._ring = np.zeros((jitter_window, 2))  # recent (device rel s, arrival s)
        self._resets = 0
        self._prior = 1.0  # slope assumed until the fit differs from it significantly
        self._out_s = -math.inf  # latest session time handed out
        self._x0: float | None = None  # device time of the anchor; None before data
        self._open: tuple[int, float, float] = (0, 0.0, 0.0)  # bucket, device rel s, arrival
        self._ring_len = 0
        self._ring_pos = 0
        self._n = 0
        self._last_rel = 0.0
        self._late_since_s: float | None = None
        self._fit = Line(1.0, 0.0)  # the estimate, device rel s -> session s
        self._target = Line(1.0, 0.0)  # the line the published mapping slews to
        self._knot_rel = 0.0
        self._knot_err_s = 0.0  # published minus target at the knot
        self._out_rel = -math.inf  # latest device rel s handed out
        self._join_after_s = -math.inf  # set by a re-anchoring: hand out later than this
        self._jitter_key: tuple[int, int] | None = None
        self._jitter = (math.nan, math.nan)

    # -- observing -------------------------------------------------------------------------

    def observe(self, device_s: float, arrival_s: float) -> None:
        """One notification: the device time of a sample in it, and its host arrival."""
        if self._x0 is None:
            self._anchor(device_s, arrival_s)
            return
        rel = device_s - self._x0
        if self._is_reset(rel, arrival_s):
            self._resets += 1
            self._prior = self._target.slope
            self._anchor(device_s, arrival_s)
            return
        self._n += 1
        self._last_rel = max(self._last_rel, rel)
        self._remember(rel, arrival_s)
        below_s = self._target.at(rel) - arrival_s
        if self._add_to_bucket(rel, arrival_s) or below_s > REFIT_BELOW_S:
            self._refit()

    def reset(self, *, keep_rate: bool = True) -> None:
        """Forget the clock's offset, e.g. after a reconnect; the next observation re-anchors.

        The pod's oscillator has not changed, so its rate is kept as the starting guess
        unless ``keep_rate`` is false.
        """
        if self._x0 is not None:
            self._resets += 1
        self._prior = self._target.slope if keep_rate else 1.0
        self._x0 = None
        self._clear()

    def _clear(self) -> None:
        self._minima.clear()
        self._open = (0, 0.0, 0.0)
        self._ring_len = self._ring_pos = self._n = 0
        self._last_rel = self._knot_rel = self._knot_err_s = 0.0
        self._late_since_s = None
        self._fit = self._target = Line(self._prior, 0.0)
        self._out_rel = -math.inf

    def _anchor(self, device_s: float, arrival_s: float) -> None:
        self._clear()
        self._join_after_s = self._out_s
        self._x0 = device_s
        self._n = 1
        self._open = (0, 0.0, arrival_s)
        self._remember(0.0, arrival_s)
        self._fit = self._target = Line(self._prior, arrival_s)

    def _is_reset(self, rel: float, arrival_s: float) -> bool:
        if rel < self._last_rel - BACKSTEP_TOLERANCE_S:
            return True
        residual_s = arrival_s - self._target.at(rel)
        if residual_s < -self.reset_tolerance_s:
            return True
        if residual_s <= self.reset_tolerance_s:
            self._late_since_s = None
            return False
        if self._late_since_s is None:
            self._late_since_s = arrival_s
        return arrival_s - self._late_since_s >= self.late_reset_s

    def _remember(self, rel: float, arrival_s: float) -> None:
        self._ring[self._ring_pos] = (rel, arrival_s)
        self._ring_pos = (self._ring_pos + 1) % self._ring.shape[0]
        self._ring_len = min(self._ring_len + 1, self._ring.shape[0])

    def _add_to_bucket(self, rel: float, arrival_s: float) -> bool:
        """Keep the earliest arrival per bucket; True when a bucket was closed."""
        index, open_rel, open_arrival = self._open
        bucket = math.floor(rel / self.bucket_s)
        if bucket > index:
            self._minima.append((open_rel, open_arrival))
            self._open = (bucket, rel, arrival_s)
            return True
        slope = self._target.slope
        if arrival_s - slope * rel < open_arrival - slope * open_rel:
            self._open = (index, rel, arrival_s)
        return False

    def _points(self) -> tuple[FloatArray, FloatArray]:
        pts = np.array([*self._minima, self._open[1:]], dtype=np.float64)
        return pts[:, 0], pts[:, 1]

    def _refit(self) -> None:
        x, y = self._points()
        lo, hi = 1.0 - self.max_drift, 1.0 + self.max_drift
        self._fit = fit_lower_envelope(x, y, lo, hi, self._prior)
        sigma = slope_uncertainty(x, y, self._fit)
        significant = abs(self._fit.slope - self._prior) > 3.0 * sigma
        self._set_target(supporting_line(x, y, self._fit.slope if significant else self._prior))

    def _set_target(self, target: Line) -> None:
        knot = max(self._knot_rel, self._out_rel)
        published = self._published_at(knot)
        self._knot_rel = knot
        self._target = target
        self._knot_err_s = published - target.at(knot)

    # -- mapping ---------------------------------------------------------------------------

    def _published(self, rel: FloatArray) -> FloatArray:
        base: FloatArray = self._target.intercept + self._target.slope * rel
        err = abs(self._knot_err_s)
        if err == 0.0 or err <= self.max_slew * (float(rel.min(initial=np.inf)) - self._knot_rel):
            return base  # the slew is over for every query
        left = np.maximum(err - self.max_slew * np.maximum(rel - self._knot_rel, 0.0), 0.0)
        return base + math.copysign(1.0, self._knot_err_s) * left

    def _published_at(self, rel: float) -> float:
        err = abs(self._knot_err_s)
        left = max(err - self.max_slew * max(rel - self._knot_rel, 0.0), 0.0)
        return self._target.at(rel) + math.copysign(left, self._knot_err_s)

    def to_session_s(self, device_s: FloatArray) -> FloatArray:
        """Session times for device times given in non-decreasing order.

        Successive calls with non-decreasing device times give non-decreasing session
        times, across slews and re-anchorings.
        """
        if self._x0 is None:
            raise RuntimeError("DeviceTimeMapper.to_session_s before any observation")
        rel = np.asarray(device_s, dtype=np.float64) - self._x0
        if rel.size == 0:
            return rel
        if self._join_after_s > -math.inf:
            self._join(float(rel[0]))
        t_s = self._published(rel)
        fresh = 0 if rel[0] >= self._out_rel else int(np.searchsorted(rel, self._out_rel))
        if fresh < rel.size:
            tail = t_s[fresh:]
            if tail[0] < self._out_s:
                np.maximum(tail, self._out_s, out=tail)
            self._out_s = max(self._out_s, float(t_s[-1]))
        self._out_rel = max(self._out_rel, float(rel[-1]))
        return t_s

    def _join(self, rel: float) -> None:
        """After a re-anchoring that would send times back, start the new mapping just
        after the last time handed out and slew down to it, rather than repeat times."""
        start_s = self._join_after_s + JOIN_STEP_S
        self._join_after_s = -math.inf
        if self._target.at(rel) < start_s:
            self._knot_rel = rel
            self._knot_err_s = start_s - self._target.at(rel)

    def envelope_s(self, device_s: float) -> float | None:
        """Earliest arrival the current line expects for a device time; None before data."""
        if self._x0 is None:
            return None
        return self._target.at(device_s - self._x0)

    @property
    def rate_scale(self) -> float:
        """Session seconds per device second of the line the mapping follows (1 + drift)."""
        return self._target.slope

    @property
    def window_points(self) -> int:
        """Envelope points held: bounded by ``window_s / bucket_s`` + 1."""
        return len(self._minima) + (self._x0 is not None)

    @property
    def estimate(self) -> SyncEstimate:
        if self._x0 is None:
            return SyncEstimate(math.nan, math.nan, math.nan, 0, resets=self._resets)
        ref = self._last_rel
        jitter_ms, jitter_p90_ms = self._jitter_ms()
        first_rel = self._minima[0][0] if self._minima else self._open[1]
        slew_s = self._published_at(ref) - self._target.at(ref)
        return SyncEstimate(
            offset_s=self._fit.at(ref) - (self._x0 + ref),
            drift_ppm=(self._fit.slope - 1.0) * 1e6,
            jitter_ms=jitter_ms,
            n=self._n,
            settled=ref - first_rel >= self.settle_s,
            jitter_p90_ms=jitter_p90_ms,
            ref_device_s=self._x0 + ref,
            slew_ms=slew_s * 1e3,
            resets=self._resets,
        )

    def _jitter_ms(self) -> tuple[float, float]:
        """Median and 90th percentile of recent latency above the line; recomputed every
        ``JITTER_EVERY`` observations, as status rows read the estimate per notification."""
        key = (self._resets, self._n // JITTER_EVERY if self._n >= JITTER_EVERY else -self._n)
        if self._jitter_key != key:
            recent = self._ring[: self._ring_len]
            line = self._fit.intercept + self._fit.slope * recent[:, 0]
            p50, p90 = np.percentile((recent[:, 1] - line) * 1e3, [50, 90])
            self._jitter_key, self._jitter = key, (float(p50), float(p90))
        return self._jitter
