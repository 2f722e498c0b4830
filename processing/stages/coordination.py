"""Inter-segment coordination per stride: vector coding and continuous relative phase.

Three couplings, each an angle–angle pair ``x`` (horizontal axis) against ``y`` (vertical):

========================  =========================  =========================
prefix                    x                          y
========================  =========================  =========================
``pt_transverse``         pelvis axial rotation      trunk axial rotation
``pt_sagittal``           pelvis tilt (anterior +)   trunk flexion
``trunk_bend_twist``      trunk lateral bend         trunk axial rotation
========================  =========================  =========================

Pelvis–trunk couplings put the pelvis (the distal segment) on x and the trunk on y (Seay et
al. 2011, 2014); angles are the Cardan angles relative to standing, in degrees, unscaled.

Each stride (IC to the next IC of one foot) is time-normalised to 101 points (0..100 %).

**Vector coding** (Chang et al. 2008; Needham et al. 2014): the coupling angle of interval i
is ``gamma_i = atan2(y[i+1] - y[i], x[i+1] - x[i])`` in [0, 360). Intervals with no movement
on either axis are left out. Each interval falls into one 45° bin (the bins repeat every
180°): *in-phase* 22.5–67.5 and 202.5–247.5, *anti-phase* 112.5–157.5 and 292.5–337.5,
*x-phase* (pelvis- or bend-dominant) 0–22.5, 157.5–202.5 and 337.5–360, *y-phase* (trunk- or
twist-dominant) otherwise; the shares are percentages of the moving intervals. Over a
whole cycle the movement direction reverses, so a plain circular mean of gamma cancels out;
the stride's **mean coupling angle** is the axial (doubled-angle) circular mean, in [0, 180):
45 ≈ in-phase, 135 ≈ anti-phase, 0/180 x-dominant, 90 y-dominant. **Coupling angle
variability** (CAV) is the circular SD ``sqrt(-2 ln R)`` of gamma at each interval across the
last ``variability_strides`` strides of the same foot, averaged over the intervals.

**Continuous relative phase** (Lamb & Stöckl 2014): each signal's phase is the angle of its
analytic signal (FFT Hilbert transform). Edge effects are avoided by computing it over the
previous stride and this one together (two strides, read from the angle history), linearly
detrended so the window's ends meet and its mean removed: the FFT's periodic extension then
continues the signal with its neighbouring cycle, and this stride, cut out afterwards, sits
away from any edge except where the window wraps onto a like phase. Without the previous
stride (first stride, after a gap) the stride alone is made periodic the same way.
``CRP = phase(y) - phase(x)`` wrapped to (-180, 180]; **CRP mean** is the magnitude of its
circular mean over the stride, 0 (in phase) .. 180 (anti-phase); **CRP SD** is the deviation
phase (Hamill et al. 1999; Seay et al. 2011): the circular SD of CRP at each point across the
last ``variability_strides`` strides of the foot, averaged over the points.

Variability needs ``min_variability_strides`` strides of that foot (else None); strides
older than ``memory_s`` before the current one are forgotten.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray, Placement
from processing.events import Side
from processing.stages.coordination_math import (
    axial_mean_deg,
    axial_means_deg,
    circular_sd_deg,
    coupling_angles_deg,
    mean_direction_deg,
    mean_sd_deg,
    phase_shares_pct,
    relative_directions,
    relative_phase_deg,
    shares_pct,
    step_directions,
    steps_angles_deg,
)
from processing.stages.stride_memory import StrideMemory
from processing.stages.stride_windows import AngleSource, IntArray, StrideWindows, stride_windows

__all__ = [
    "COUPLINGS",
    "AngleSource",
    "CoordinationStage",
    "Coupling",
    "CouplingSpec",
    "axial_mean_deg",
    "circular_sd_deg",
    "coupling_angles_deg",
    "field_names",
    "phase_shares_pct",
    "relative_phase_deg",
]

FLEXION, LATERAL, AXIAL = 0, 1, 2  # columns of a segment's angles


@dataclass(frozen=True)
class CouplingSpec:
    """One angle–angle coupling: prefix of its StrideEvent fields and its two angles."""

    prefix: str
    x: tuple[Placement, int]
    y: tuple[Placement, int]
    x_name: str  # names of the x- and y-dominant bins in field names
    y_name: str


PELVIS, TRUNK = Placement.PELVIS, Placement.TRUNK
COUPLINGS = (
    CouplingSpec("pt_transverse", (PELVIS, AXIAL), (TRUNK, AXIAL), "pelvis", "trunk"),
    CouplingSpec("pt_sagittal", (PELVIS, FLEXION), (TRUNK, FLEXION), "pelvis", "trunk"),
    CouplingSpec("trunk_bend_twist", (TRUNK, LATERAL), (TRUNK, AXIAL), "bend", "twist"),
)


@dataclass(frozen=True)
class Coupling:
    """One stride's coordination of one coupling; degrees and percent of the stride."""

    coupling_deg: float
    in_phase_pct: float
    anti_phase_pct: float
    x_phase_pct: float
    y_phase_pct: float
    crp_mean_deg: float
    cav_deg: float | None = None
    crp_sd_deg: float | None = None


def field_names(spec: CouplingSpec) -> dict[str, str]:
    """Coupling attribute -> StrideEvent field name for ``spec``."""
    p = spec.prefix
    return {
        "coupling_deg": f"{p}_coupling_deg",
        "in_phase_pct": f"{p}_in_phase_pct",
        "anti_phase_pct": f"{p}_anti_phase_pct",
        "x_phase_pct": f"{p}_{spec.x_name}_phase_pct",
        "y_phase_pct": f"{p}_{spec.y_name}_phase_pct",
        "cav_deg": f"{p}_cav_deg",
        "crp_mean_deg": f"{p}_crp_mean_deg",
        "crp_sd_deg": f"{p}_crp_sd_deg",
    }


VALUES = ("coupling_deg", "in_phase_pct", "anti_phase_pct", "x_phase_pct", "y_phase_pct",
          "crp_mean_deg", "cav_deg", "crp_sd_deg")  # fmt: skip
"""Coupling attributes in the order of the columns of a batch's value table."""
NAMES = [field_names(spec)[value] for spec in COUPLINGS for value in VALUES]


# ---------------------------------------------------------------------------- the stage
StrideSpan = tuple[Side, float, float]
"""(foot, start s, end s) of one stride: IC to the next IC of that foot."""


@dataclass(frozen=True)
class _Entries:
    """The computable couplings of a batch of strides (both segments present and covering
    the stride), coupling by coupling and, within one, strides in order."""

    stride: IntArray  # (E,) index of the stride in the batch
    coupling: IntArray  # (E,) index into COUPLINGS
    first: IntArray  # (E,) grid index from which both angles are valid
    x: FloatArray  # (E, grid points) the coupling's two angles, deg
    y: FloatArray


class CoordinationStage:
    """Coordination of the three couplings over each stride (see the module docstring).

    ``update(side, start_s, end_s, segments)`` with the trunk and/or pelvis angle histories
    sets ``couplings_`` (prefix -> Coupling, or None when a needed segment is missing or
    does not cover the stride) and ``fields_`` (StrideEvent field name -> value or None). A
    stride is covered when no gap between its samples (or at its ends) exceeds
    ``max_gap_fraction`` of its duration; shorter gaps are bridged linearly.
    ``update_many(strides, segments)`` gives the same as one ``update`` per stride in turn,
    in array operations over all of them: each stride's ``fields_``, and the attributes as
    after the last one.
    """

    def __init__(
        self,
        n_points: int = 101,
        variability_strides: int = 10,
        min_variability_strides: int = 3,
        max_gap_fraction: float = 0.08,
        memory_s: float = 20.0,
    ) -> None:
        self.n_points = n_points
        self.variability_strides = variability_strides
        self.min_variability_strides = min_variability_strides
        self.max_gap_fraction = max_gap_fraction
        self.memory_s = memory_s
        self.couplings_: dict[str, Coupling | None] = dict.fromkeys(
            (c.prefix for c in COUPLINGS), None
        )
        self.fields_: dict[str, float | None] = dict.fromkeys(NAMES)
        self._memory = StrideMemory(variability_strides, min_variability_strides, memory_s)
        self._steps = np.arange(-(n_points - 1), n_points)

    def update(
        self, side: Side, start_s: float, end_s: float, segments: Mapping[Placement, AngleSource]
    ) -> None:
        self.update_many([(side, start_s, end_s)], segments)

    def update_many(
        self, strides: Sequence[StrideSpan], segments: Mapping[Placement, AngleSource]
    ) -> list[dict[str, float | None]]:
        if not strides:
            return []
        n = self.n_points
        start = np.array([s for _, s, _ in strides])
        duration = np.array([e for _, _, e in strides]) - start
        grids = start[:, None] + duration[:, None] * self._steps / (n - 1)
        max_gap_s = self.max_gap_fraction * duration
        windows = {p: stride_windows(src, grids, n - 1, max_gap_s) for p, src in segments.items()}
        entries = _entries(windows, len(strides))
        table = np.full((len(strides), len(COUPLINGS), len(VALUES)), np.nan)
        if entries.stride.size:
            table[entries.stride, entries.coupling] = self._values(strides, entries)
        present = np.zeros((len(strides), len(COUPLINGS)), dtype=bool)
        present[entries.stride, entries.coupling] = True
        self.couplings_ = {
            spec.prefix: _coupling(table[-1, c].tolist()) if present[-1, c] else None
            for c, spec in enumerate(COUPLINGS)
        }
        fields = [
            {name: v if math.isfinite(v) else None for name, v in zip(NAMES, row, strict=True)}
            for row in table.reshape(len(strides), -1).tolist()
        ]
        self.fields_ = fields[-1]
        return fields

    def _values(self, strides: Sequence[StrideSpan], e: _Entries) -> FloatArray:
        """(E, VALUES) of every entry."""
        n = self.n_points
        dx, dy = np.diff(e.x[:, -n:]), np.diff(e.y[:, -n:])
        gamma = steps_angles_deg(dx, dy)
        moving = np.isfinite(gamma)
        cos, sin = step_directions(dx, dy)
        crp_cos, crp_sin = self._relative(e)
        crp_mean = np.abs(mean_direction_deg(crp_cos.sum(axis=1), crp_sin.sum(axis=1), n))
        keys = [(int(c), strides[int(k)][0]) for c, k in zip(e.coupling, e.stride, strict=True)]
        ends = [strides[int(k)][2] for k in e.stride]
        rows = np.concatenate([cos, sin, moving, crp_cos, crp_sin], axis=1)
        sums, count = self._memory.add(keys, ends, rows)
        m = n - 1
        cav = mean_sd_deg(sums[:, :m], sums[:, m : 2 * m], sums[:, 2 * m : 3 * m])
        crp_sd = mean_sd_deg(sums[:, 3 * m : 3 * m + n], sums[:, 3 * m + n :], count[:, None])
        axial = axial_means_deg(cos, sin, moving.sum(axis=1))
        return np.column_stack([axial, shares_pct(gamma), crp_mean, cav, crp_sd])

    def _relative(self, e: _Entries) -> tuple[FloatArray, FloatArray]:
        """CRP (cos, sin) over each entry's stride: from the two-stride window where it is
        covered, else from the stride alone."""
        n = self.n_points
        cos, sin = np.empty((e.x.shape[0], n)), np.empty((e.x.shape[0], n))
        for f in np.unique(e.first).tolist():
            rows = e.first == f
            cos[rows], sin[rows] = relative_directions(e.x[rows, f:], e.y[rows, f:], n)
        return cos, sin


def _entries(windows: Mapping[Placement, StrideWindows], strides: int) -> _Entries:
    stride, coupling, first, xs, ys = [], [], [], [], []
    for c, spec in enumerate(COUPLINGS):
        wx, wy = windows.get(spec.x[0]), windows.get(spec.y[0])
        if wx is None or wy is None:
            continue
        rows = np.flatnonzero((wx.first >= 0) & (wy.first >= 0))
        stride.append(rows)
        coupling.append(np.full(rows.size, c))
        first.append(np.maximum(wx.first, wy.first)[rows])
        xs.append(wx.angles[spec.x[1], rows])
        ys.append(wy.angles[spec.y[1], rows])
    if not stride:
        empty = np.zeros(0, dtype=np.intp)
        return _Entries(empty, empty, empty, np.zeros((0, 0)), np.zeros((0, 0)))
    return _Entries(
        np.concatenate(stride), np.concatenate(coupling), np.concatenate(first),
        np.concatenate(xs), np.concatenate(ys),
    )  # fmt: skip


def _coupling(values: list[float]) -> Coupling:
    named = dict(zip(VALUES, values, strict=True))
    cav, crp_sd = named.pop("cav_deg"), named.pop("crp_sd_deg")
    return Coupling(
        **named,
        cav_deg=cav if math.isfinite(cav) else None,
        crp_sd_deg=crp_sd if math.isfinite(crp_sd) else None,
    )
