"""Bookkeeping inside one foot's stance, in array form: the forward swing that ends it,
plantarflexion lobes (toe-off), still runs (mid-stance) and the contact time of an impact.
Used by ``gait_events``."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from drivers.types import FloatArray

BoolArray = NDArray[np.bool_]

ONSET_FRACTION = 0.2
PEAK_FRACTION = 0.95
MDEG_PER_DEG = 1000


@dataclass(frozen=True)
class SwingOnset:
    """A confirmed swing: ``index`` is the position (in the searched arrays) where its
    rotation reached ``min_swing_deg``, ``t0_s`` the time of the first qualifying sample of
    its dorsiflexion run, ``peak_dps`` the largest ``w`` of the run so far."""

    index: int
    t0_s: float
    peak_dps: float


@dataclass(frozen=True)
class ContactEvent:
    """IC (``to_s`` None) or TO (``to_s`` set) of one foot; indices are absolute samples.

    ``index`` is the last sample before the contact. ``midstance_index`` is the still sample
    of the previous stance for an IC, of the stance just ended for a TO (-1 if unknown).
    """

    ic_s: float
    index: int
    midstance_index: int = -1
    to_s: float | None = None

    @property
    def is_toe_off(self) -> bool:
        return self.to_s is not None


class SwingOnsetTracker:
    """Finds the forward swing of the foot: a run of dorsiflexion (``w`` > 0) that turns the
    foot toes-up by at least ``min_swing_deg`` from its first qualifying sample (the caller's
    fast-rotation test) on — hysteresis: on when fast, off when ``w`` falls to 0.

    In a swing the toes come forward and up from push-off (foot ≤ −30° even in slow walking)
    to landing (≥ 0°), 60–100° in walking and running alike. Inside a stance the only fast
    toes-up rotation is the ringing of an impact (a few degrees: a 25 Hz half cycle at
    350 °/s is 4.5°) or a forefoot landing rotating flat (≈ the strike angle). The angle is
    ``w`` summed at the nominal rate in whole millidegrees per sample, so a run's total is
    exact however the samples are chunked. A qualified run open at the end of a block
    carries over.
    """

    def __init__(self, rate_hz: float, min_swing_deg: float) -> None:
        self.rate_hz = rate_hz
        self.min_mdeg = round(min_swing_deg * MDEG_PER_DEG)
        self.reset()

    def reset(self) -> None:
        self.cross_t = float("nan")  # first qualifying sample of the open run (nan: none)
        self.run_mdeg = 0  # its rotation since then
        self.peak_dps = 0.0

    def find(self, t: FloatArray, w: FloatArray, qualifies: BoolArray) -> SwingOnset | None:
        """The first sample completing a swing in ``t``/``w`` (``qualifies``: bool), else None;
        a qualified run still open at the end is remembered."""
        if t.size == 0 or (math.isnan(self.cross_t) and not qualifies.any()):
            return None  # nothing to follow (most stance samples)
        on = w > 0.0
        n = np.arange(t.size)
        off = np.maximum.accumulate(np.where(on, -1, n))  # last sample not in a run
        fast = np.append(np.flatnonzero(qualifies & on), t.size)  # t.size: none
        first = fast[np.searchsorted(fast, off + 1)]  # the run's first fast sample
        steps = np.where(on, np.round(w * (MDEG_PER_DEG / self.rate_hz)), 0).astype(np.int64)
        total = np.cumsum(steps)
        started = np.minimum(first, t.size - 1)
        angle = total - total[started] + steps[started]
        armed = on & (first <= n)
        if not math.isnan(self.cross_t):  # the open run, qualified earlier, goes on
            carried = off < 0
            angle = np.where(carried, self.run_mdeg + total, angle)
            armed |= carried
        done = np.flatnonzero(armed & (angle >= self.min_mdeg))
        k = int(done[0]) if done.size else t.size - 1
        return self._close(t, w, k, int(first[k]), int(off[k]) < 0, bool(done.size), int(angle[k]))

    def _close(
        self, t: FloatArray, w: FloatArray, k: int, first: int, carried: bool, done: bool,
        angle_mdeg: int,
    ) -> SwingOnset | None:  # fmt: skip
        """The onset completed at ``k``, or the state of the run open at the block's end."""
        on = w[k] > 0.0
        qualified = on and (first <= k or (carried and not math.isnan(self.cross_t)))
        if not qualified:
            self.reset()
            return None
        if carried and not math.isnan(self.cross_t):
            cross, peak = self.cross_t, max(self.peak_dps, float(w[: k + 1].max()))
        else:
            cross, peak = float(t[first]), float(w[first : k + 1].max())
        if done:
            self.reset()
            return SwingOnset(k, cross, peak)
        self.cross_t, self.run_mdeg, self.peak_dps = cross, angle_mdeg, peak
        return None


class LobeTracker:
    """The end of the peak of each run of ``w < -lobe_dps`` (a plantarflexion lobe) in one
    stance: the last sample, from the lobe's minimum on, still within ``PEAK_FRACTION`` of it.

    While the toes push off the foot keeps turning at about its peak rate; once they leave
    the ground nothing drives the rotation and it brakes at once. A sharp peak ends at its
    minimum; a plateau ends where the braking starts.

    ``cand_t`` is that time for the last *completed* lobe (nan if none yet); a lobe still
    open at the end of a block carries over to the next one.
    """

    def __init__(self, lobe_dps: float) -> None:
        self.lobe_dps = lobe_dps
        self.reset()

    def reset(self) -> None:
        self.on = False
        self.min_w = 0.0
        self.min_t = float("nan")  # end of the peak so far
        self.cand_t = float("nan")

    @property
    def known(self) -> bool:
        """A lobe has been seen (completed, or open and completed by any swing sample)."""
        return self.on or not np.isnan(self.cand_t)

    def update(self, t: FloatArray, w: FloatArray) -> None:
        if t.size == 0:
            return
        inside = np.flatnonzero(w < -self.lobe_dps)
        if inside.size == 0:
            self.end_open()
            return
        breaks = np.flatnonzero(np.diff(inside) > 1)
        starts = np.concatenate([[0], breaks + 1])
        stops = np.concatenate([breaks + 1, [inside.size]])
        if inside[0] > 0:
            self.end_open()
        for a, b in zip(starts.tolist(), stops.tolist(), strict=True):
            run = inside[a:b]
            j = int(run[int(np.argmin(w[run]))])
            if not (self.on and run[0] == 0 and self.min_w <= w[j]):
                self.min_w = float(w[j])
                run = run[run >= j]
            near = run[w[run] <= PEAK_FRACTION * self.min_w]
            if near.size:
                self.min_t = float(t[near[-1]])
            self.on = True
            if run[-1] < t.size - 1:  # closed inside this block
                self.end_open()

    def end_open(self) -> None:
        """The lobe in progress, if any, is over (a sample above -lobe_dps arrived)."""
        if self.on:
            self.on = False
            self.cand_t = self.min_t


class StillTracker:
    """The longest still run (score < ``quiet_score``) of one stance and the stillest sample.

    A run's reference sample is its middle, but at most ``half`` samples before its end: the
    foot is flattest late in a long still run. Ties keep the first longest run and the last
    stillest sample. Indices are absolute.
    """

    def __init__(self, quiet_score: float, half: int) -> None:
        self.quiet_score = quiet_score
        self.half = half
        self.reset()

    def reset(self) -> None:
        self.best_score = np.inf
        self.best_i = -1
        self.run_start = -1
        self.run_len = 0
        self.run_mid = -1

    def update(self, q: FloatArray, first: int) -> None:
        if q.size == 0:
            return
        k = int(q.size - 1 - np.argmin(q[::-1]))
        if q[k] <= self.best_score:
            self.best_score, self.best_i = float(q[k]), first + k
        quiet = (q < self.quiet_score).astype(np.int8)
        edges = np.diff(np.concatenate([[0], quiet, [0]]))
        starts = (np.flatnonzero(edges == 1) + first).tolist()
        stops = (np.flatnonzero(edges == -1) + first).tolist()
        if self.run_start >= 0:
            if starts and starts[0] == first:
                starts[0] = self.run_start
            else:
                self._close(self.run_start, first)
        self.run_start = -1
        end = first + q.size
        for a, b in zip(starts, stops, strict=True):
            if b < end:
                self._close(a, b)
            else:
                self.run_start = a

    def close(self, index: int) -> int:
        """End an open run at ``index``; the stance's reference sample (-1 if none)."""
        if self.run_start >= 0:
            self._close(self.run_start, index)
            self.run_start = -1
        return self.run_mid if self.run_mid >= 0 else self.best_i

    def _close(self, start: int, stop: int) -> None:
        length = stop - start
        if length > self.run_len:
            self.run_len = length
            self.run_mid = max(start + length // 2, stop - 1 - self.half)


def contact_time(
    t: FloatArray, d2: FloatArray, k: int, threshold: float, window: int, rate_hz: float
) -> tuple[float, int]:
    """When the foot touched down, for an impact that fired at position ``k`` of ``t``/``d2``.

    The jolt starts at the first sample, going back from ``k`` within the impact window, of
    the unbroken run above both ``threshold`` and ``ONSET_FRACTION`` of the run's largest
    value: the swing's own deceleration just before landing can exceed the detection
    threshold, but not a fifth of the jolt. The previous sample was the last one in the air,
    so contact is placed midway between the two. Returns (contact time s, onset position).
    """
    lo = max(0, k - window + 1)
    level = max(threshold, ONSET_FRACTION * float(d2[lo : k + 1].max()))
    onset = k
    for p in range(k, lo - 1, -1):
        if d2[p] <= level:
            break
        onset = p
    dt = float(t[onset] - t[onset - 1]) if onset >= 1 else 1.0 / rate_hz
    return float(t[onset]) - 0.5 * min(dt, 2.0 / rate_hz), onset


def soft_landing(
    t: FloatArray, w: FloatArray, onset: int, span: int, dorsiflexion_dps: float
) -> tuple[float, int] | None:
    """For a jolt starting at position ``onset``: if the foot turned toes-up faster than
    ``dorsiflexion_dps`` within the ``span`` samples before it, the time its toes-up
    rotation ended (``w`` crossing zero, interpolated) and the last position before that;
    else None. That is the pitch peak at which a heel touches down in walking."""
    lo = max(0, onset - span)
    before = w[lo:onset]
    if before.size == 0 or float(before.max()) <= dorsiflexion_dps:
        return None
    p = lo + int(np.flatnonzero(before > 0.0)[-1])
    if p + 1 >= w.size or w[p + 1] > 0.0:
        return None
    fraction = float(w[p] / (w[p] - w[p + 1]))
    return float(t[p] + fraction * (t[p + 1] - t[p])), p
