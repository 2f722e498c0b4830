"""Per-stride trunk and pelvis summaries from their Cardan angle histories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray


@dataclass(frozen=True)
class SegmentRanges:
    """Mean flexion and ranges (max − min) of one segment's angles over one stride, deg."""

    flex_mean_deg: float
    flex_rom_deg: float
    lat_rom_deg: float
    rot_rom_deg: float


class AngleHistory:
    """The newest ``capacity`` rows (t_s, flexion, lateral, axial) of one segment, in degrees."""

    def __init__(self, capacity: int, rate_hz: float = 100.0) -> None:
        self.capacity = int(capacity)
        self.rate_hz = rate_hz  # of the angle samples
        self._rows = np.zeros((self.capacity, 4))
        self._count = 0

    @property
    def latest_t_s(self) -> float:
        if self._count == 0:
            return -np.inf
        return float(self._rows[(self._count - 1) % self.capacity, 0])

    def append(self, t_s: FloatArray, angles_deg: FloatArray) -> None:
        n = min(t_s.shape[0], self.capacity)
        if n == 0:
            return
        slots = (self._count + np.arange(n)) % self.capacity
        self._rows[slots, 0] = t_s[-n:]
        self._rows[slots, 1:] = angles_deg[-n:]
        self._count += n

    def between(self, t0_s: float, t1_s: float) -> FloatArray:
        """Rows with t0_s ≤ t ≤ t1_s, in time order, each angle continuous from the first
        row on: a jump of more than 180° from one sample to the next is the angle wrapping
        at ±180° (no trunk or pelvis turns that far in a sample), so it is taken out and a
        stride's ranges and phases see the motion, never the wrap (``continuous_deg``)."""
        head = self._count % self.capacity
        if self._count <= self.capacity:
            parts = [self._rows[: self._count]]
        else:  # the ring holds [head:] (older) then [:head] (newer)
            parts = [self._rows[head:], self._rows[:head]]
        out = []
        for part in parts:
            times = part[:, 0]
            i0, i1 = np.searchsorted(times, t0_s, "left"), np.searchsorted(times, t1_s, "right")
            out.append(part[i0:i1])
        rows = np.concatenate(out) if len(out) > 1 else out[0].copy()
        rows[:, 1:] = continuous_deg(rows[:, 1:])
        return rows


def continuous_deg(angles_deg: FloatArray) -> FloatArray:
    """Angles (n, k) in time order with every wrap at ±180° taken out (column by column);
    unchanged where none wraps."""
    if angles_deg.shape[0] < 2:
        return angles_deg
    return np.asarray(np.unwrap(angles_deg, period=360.0, axis=0), dtype=np.float64)


class StrideRangeStage:
    """Summarises one segment over a stride once its angles cover the stride.

    A stride [t0, t1] is summarised only if at least ``min_coverage`` of the expected
    samples are present (no gaps inside). Result: ``ranges_`` (None if not computable).
    """

    def __init__(self, rate_hz: float, min_coverage: float = 0.8) -> None:
        self.rate_hz = rate_hz  # the pod's; the expected count uses the history's own rate
        self.min_coverage = min_coverage
        self.ranges_: SegmentRanges | None = None

    def update(self, history: AngleHistory, t0_s: float, t1_s: float) -> None:
        rows = history.between(t0_s, t1_s)
        self.ranges_ = None
        expected = (t1_s - t0_s) * history.rate_hz
        if rows.shape[0] < self.min_coverage * expected or rows.shape[0] < 3:
            return
        span = rows[:, 1:].max(axis=0) - rows[:, 1:].min(axis=0)
        self.ranges_ = SegmentRanges(
            flex_mean_deg=float(rows[:, 1].mean()),
            flex_rom_deg=float(span[0]),
            lat_rom_deg=float(span[1]),
            rot_rom_deg=float(span[2]),
        )

    def update_many(
        self, history: AngleHistory, spans: Sequence[tuple[float, float]]
    ) -> list[SegmentRanges | None]:
        """``ranges_`` of each stride [t0, t1] in turn, as ``update`` would give them, in
        array operations over all of them (``ranges_`` is left as after the last)."""
        t0, t1 = np.array(spans).reshape(-1, 2).T
        rows = history.between(float(t0.min()), float(t1.max()))
        i0 = np.searchsorted(rows[:, 0], t0, "left")
        count = np.searchsorted(rows[:, 0], t1, "right") - i0
        ok = (count >= self.min_coverage * (t1 - t0) * history.rate_hz) & (count >= 3)
        out: list[SegmentRanges | None] = [None] * len(spans)
        if ok.any():
            bounds = np.column_stack([i0[ok], (i0 + count)[ok]]).ravel()
            values = np.vstack([rows[:, 1:], rows[-1:, 1:]])  # every bound a valid index
            high = np.maximum.reduceat(values, bounds)[::2]
            span = high - np.minimum.reduceat(values, bounds)[::2]
            mean = np.add.reduceat(values[:, 0], bounds)[::2] / count[ok]
            for k, m, s in zip(
                np.flatnonzero(ok).tolist(), mean.tolist(), span.tolist(), strict=True
            ):
                out[k] = SegmentRanges(m, s[0], s[1], s[2])
        self.ranges_ = out[-1]
        return out
