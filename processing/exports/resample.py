"""Pods onto one uniform time grid, for formats that hold a single sample rate (C3D).

Pods may differ in rate and carry jitter and gaps. ``uniform_grid`` spans all pods at one
rate; ``resample_block`` fills a pod's values on it by linear interpolation *within*
continuous stretches of the pod's samples and leaves NaN elsewhere. A stretch ends where two
consecutive samples are more than ``gap_factor`` × the pod's median interval apart, so one
lost sample (an interval of about 2×) already starts a gap: gaps stay visible as NaN instead
of being bridged by a straight line. A grid instant that coincides with a pod sample gets that
sample's value exactly. Non-finite sample times are dropped; non-finite values spread NaN to
the grid instants next to them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np

from drivers.types import FloatArray, SampleBlock

GAP_FACTOR = 1.5
"""An interval this many times the median interval (or longer) is a gap."""
SNAP_S = 1e-9
"""Grid instants this close to a stretch's first or last sample still belong to it."""


def uniform_grid(blocks: Iterable[SampleBlock], rate_hz: float) -> FloatArray:
    """``t0 + k / rate_hz`` from the earliest to the latest sample of any block (inclusive,
    within SNAP_S); empty if no block has a finite time."""
    finite = [b.t_s[np.isfinite(b.t_s)] for b in blocks]
    finite = [t for t in finite if t.size]
    if not finite:
        return np.empty(0)
    t0 = min(float(t.min()) for t in finite)
    t1 = max(float(t.max()) for t in finite)
    count = int(np.floor((t1 - t0) * rate_hz + SNAP_S * rate_hz)) + 1
    return t0 + np.arange(count) / rate_hz


def continuous_stretches(t_s: FloatArray, gap_factor: float = GAP_FACTOR) -> list[slice]:
    """Index ranges of ``t_s`` (finite, increasing) without a gap inside."""
    n = t_s.shape[0]
    if n < 2:
        return [slice(0, n)] if n else []
    dt = np.diff(t_s)
    positive = dt[dt > 0]
    typical = float(np.median(positive)) if positive.size else 0.0
    breaks = np.flatnonzero(~(dt <= gap_factor * typical)) + 1
    edges = [0, *breaks.tolist(), n]
    return [slice(a, b) for a, b in itertools.pairwise(edges) if b > a]


def resample_block(
    block: SampleBlock, grid_t_s: FloatArray, gap_factor: float = GAP_FACTOR
) -> FloatArray:
    """(len(grid), 6) values ``acc_g xyz, gyro_dps xyz`` on ``grid_t_s``; NaN outside the
    pod's continuous stretches."""
    out = np.full((grid_t_s.shape[0], 6), np.nan)
    keep = np.isfinite(block.t_s)
    t_s = block.t_s[keep]
    values = np.column_stack([block.acc_g[keep], block.gyro_dps[keep]])
    for stretch in continuous_stretches(t_s, gap_factor):
        t = t_s[stretch]
        lo = np.searchsorted(grid_t_s, t[0] - SNAP_S, side="left")
        hi = np.searchsorted(grid_t_s, t[-1] + SNAP_S, side="right")
        if hi <= lo:
            continue
        inside = grid_t_s[lo:hi]
        for column in range(6):
            out[lo:hi, column] = np.interp(inside, t, values[stretch, column])
    return out
