"""A segment's angles resampled onto the time grids of a batch of strides, for coordination.

Each stride's grid spans the previous stride and this one (grid index ``stride_first`` is
the stride's start). A stride is covered when no gap between the samples within
``max_gap_s`` of its grid (or at the grid's ends) exceeds ``max_gap_s``; shorter gaps are
bridged linearly. The whole grid is used if covered, else the stride part if covered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from drivers.types import FloatArray

IntArray = NDArray[np.intp]


class AngleSource(Protocol):
    """A segment's angle history (``processing.stages.trunk.AngleHistory`` satisfies it)."""

    def between(self, t0_s: float, t1_s: float) -> FloatArray:
        """Rows (t_s, flexion, lateral, axial) with t0_s ≤ t ≤ t1_s, in time order."""
        ...


@dataclass(frozen=True)
class StrideWindows:
    """One segment's angles on the grids of a batch of strides.

    ``first`` (k,): grid index from which each stride's angles are valid (0: the whole
    grid, ``stride_first``: the stride alone, -1: not covered);
    flexion, lateral, axial in degrees, undefined before ``first``.
    """

    first: IntArray
    angles: FloatArray


def stride_windows(
    source: AngleSource, grids: FloatArray, stride_first: int, max_gap_s: FloatArray
) -> StrideWindows:
    """The segment's angles on ``grids`` (k, points), one stride per row; ``max_gap_s`` (k,)."""
    k = grids.shape[0]
    lo, hi = grids[:, 0] - max_gap_s, grids[:, -1] + max_gap_s
    rows = source.between(float(lo.min()), float(hi.max()))
    angles = np.full((3, k, grids.shape[1]), np.nan)
    first = np.full(k, -1, dtype=np.intp)
    t_s = rows[:, 0]
    if t_s.size < 2:
        return StrideWindows(first, angles)
    i0 = np.searchsorted(t_s, lo, "left")  # each stride's own rows: [i0, i1)
    i1 = np.searchsorted(t_s, hi, "right")
    whole = _covered(t_s, i0, i1, grids[:, 0], grids[:, -1], max_gap_s)
    part = _covered(t_s, i0, i1, grids[:, stride_first], grids[:, -1], max_gap_s)
    first = np.where(whole, 0, np.where(part, stride_first, -1)).astype(np.intp)
    used = np.flatnonzero(first >= 0)
    if used.size:
        # Clipped to each stride's own rows, as if interpolated over those rows alone.
        at = np.clip(grids[used], t_s[i0[used]][:, None], t_s[i1[used] - 1][:, None]).ravel()
        for c in range(3):
            angles[c, used] = np.interp(at, t_s, rows[:, c + 1]).reshape(used.size, -1)
    return StrideWindows(first, angles)


def _covered(
    t_s: FloatArray, i0: IntArray, i1: IntArray, t0_s: FloatArray, t1_s: FloatArray,
    max_gap_s: FloatArray,
) -> FloatArray:  # fmt: skip
    """Per stride: do its rows ``t_s[i0:i1]`` cover [t0_s, t1_s] without a gap > max_gap_s?"""
    a = np.maximum(np.searchsorted(t_s, t0_s - max_gap_s, "left"), i0)
    b = np.minimum(np.searchsorted(t_s, t1_s + max_gap_s, "right"), i1)
    ok = b - a >= 2
    last = t_s.size - 1
    ok &= t_s[np.minimum(a, last)] <= t0_s + max_gap_s
    ok &= t_s[np.clip(b - 1, 0, last)] >= t1_s - max_gap_s
    dt = np.diff(t_s)
    wide = np.flatnonzero(dt > max_gap_s.min())  # candidate gaps: rare
    if wide.size:
        inside = (wide[None, :] >= a[:, None]) & (wide[None, :] < (b - 1)[:, None])
        ok &= ~(inside & (dt[wide][None, :] > max_gap_s[:, None])).any(axis=1)
    return np.asarray(ok)
