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

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from drivers.types import FloatArray, Placement
from processing.events import Side

FLEXION, LATERAL, AXIAL = 0, 1, 2  # columns of a segment's angles


class AngleSource(Protocol):
    """A segment's angle history (``processing.stages.trunk.AngleHistory`` satisfies it)."""

    def between(self, t0_s: float, t1_s: float) -> FloatArray:
        """Rows (t_s, flexion, lateral, axial) with t0_s ≤ t ≤ t1_s, in time order."""
        ...


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


# ------------------------------------------------------------------------ pure functions
def coupling_angles_deg(x: FloatArray, y: FloatArray) -> FloatArray:
    """Vector-coding coupling angle of each interval, [0, 360); NaN where nothing moved."""
    dx, dy = np.diff(x), np.diff(y)
    gamma = np.degrees(np.arctan2(dy, dx)) % 360.0
    return np.where((dx == 0.0) & (dy == 0.0), np.nan, gamma)


def phase_shares_pct(gamma_deg: FloatArray) -> tuple[float, float, float, float]:
    """(in-phase, anti-phase, x-phase, y-phase) percentages of the finite coupling angles."""
    g = gamma_deg[np.isfinite(gamma_deg)]
    if g.size == 0:
        return (np.nan,) * 4
    bins = np.floor(((g + 22.5) % 180.0) / 45.0).astype(int)  # 0 x, 1 in, 2 y, 3 anti
    pct = 100.0 * np.bincount(bins, minlength=4)[:4] / g.size
    return float(pct[1]), float(pct[3]), float(pct[0]), float(pct[2])


def _finite_resultant(rad: FloatArray, axis: int | None) -> tuple[FloatArray, FloatArray]:
    """Mean sine and cosine ignoring NaNs (NaN where nothing is finite), without warnings."""
    finite = np.isfinite(rad)
    count = finite.sum(axis)
    sin = np.where(finite, np.sin(np.where(finite, rad, 0.0)), 0.0).sum(axis)
    cos = np.where(finite, np.cos(np.where(finite, rad, 0.0)), 0.0).sum(axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(sin / count), np.asarray(cos / count)


def circular_mean_deg(angles_deg: FloatArray, axis: int | None = None) -> FloatArray:
    """Circular mean in (-180, 180], NaNs ignored."""
    sin, cos = _finite_resultant(np.radians(angles_deg), axis)
    return np.degrees(np.arctan2(sin, cos))


def circular_sd_deg(angles_deg: FloatArray, axis: int | None = None) -> FloatArray:
    """Circular standard deviation ``sqrt(-2 ln R)``, degrees, NaNs ignored."""
    sin, cos = _finite_resultant(np.radians(angles_deg), axis)
    r = np.clip(np.hypot(sin, cos), 1e-12, 1.0)
    return np.asarray(np.degrees(np.sqrt(-2.0 * np.log(r))), dtype=np.float64)


def axial_mean_deg(gamma_deg: FloatArray) -> float:
    """Mean orientation of angles taken modulo 180 (doubled-angle circular mean), [0, 180)."""
    return float(circular_mean_deg(2.0 * gamma_deg) / 2.0 % 180.0)


def analytic_phase_rad(x: FloatArray) -> FloatArray:
    """Phase of the analytic signal of ``x`` (FFT Hilbert transform, x taken as periodic)."""
    n = x.shape[0]
    h = np.zeros(n)
    h[0] = 1.0
    h[1 : (n + 1) // 2] = 2.0
    if n % 2 == 0:
        h[n // 2] = 1.0
    return np.asarray(np.angle(np.fft.ifft(np.fft.fft(x) * h)), dtype=np.float64)


def periodic_phase_rad(x: FloatArray) -> FloatArray:
    """Analytic phase of samples ``x[0..n-1]`` whose last sample closes the cycle: detrended
    so ``x[-1] == x[0]``, centred, the transform taken over ``x[:-1]``; returns n phases."""
    n = x.shape[0] - 1
    ramp = (x[-1] - x[0]) * np.arange(n + 1) / n
    periodic = (x - ramp)[:n]
    phase = analytic_phase_rad(periodic - periodic.mean())
    return np.append(phase, phase[0])


def relative_phase_deg(x: FloatArray, y: FloatArray) -> FloatArray:
    """Continuous relative phase ``phase(y) - phase(x)``, degrees in (-180, 180]."""
    d = periodic_phase_rad(y) - periodic_phase_rad(x)
    return np.asarray(np.degrees(np.angle(np.exp(1j * d))), dtype=np.float64)


# ---------------------------------------------------------------------------- the stage
@dataclass
class _Window:
    """One segment's angles on the window grid, valid from grid index ``first`` on."""

    first: int
    angles: FloatArray  # (grid points, 3), NaN before ``first``


@dataclass
class _Recent:
    end_s: float
    gamma_deg: FloatArray
    crp_deg: FloatArray


class CoordinationStage:
    """Coordination of the three couplings over each stride (see the module docstring).

    ``update(side, start_s, end_s, segments)`` with the trunk and/or pelvis angle histories
    sets ``couplings_`` (prefix -> Coupling, or None when a needed segment is missing or
    does not cover the stride) and ``fields_`` (StrideEvent field name -> value or None). A
    stride is covered when no gap between its samples (or at its ends) exceeds
    ``max_gap_fraction`` of its duration; shorter gaps are bridged linearly.
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
        self.fields_: dict[str, float | None] = {}
        self._recent: dict[tuple[str, Side], deque[_Recent]] = {}
        self._publish()

    def update(
        self, side: Side, start_s: float, end_s: float, segments: Mapping[Placement, AngleSource]
    ) -> None:
        n = self.n_points
        grid = start_s + (end_s - start_s) * np.arange(-(n - 1), n) / (n - 1)
        max_gap_s = self.max_gap_fraction * (end_s - start_s)
        windows = {p: _window(source, grid, n - 1, max_gap_s) for p, source in segments.items()}
        for spec in COUPLINGS:
            wx, wy = windows.get(spec.x[0]), windows.get(spec.y[0])
            if wx is None or wy is None:
                self.couplings_[spec.prefix] = None
                continue
            first = max(wx.first, wy.first)
            x, y = wx.angles[first:, spec.x[1]], wy.angles[first:, spec.y[1]]
            self.couplings_[spec.prefix] = self._coupling(spec.prefix, side, end_s, x, y)
        self._publish()

    def _coupling(
        self, prefix: str, side: Side, end_s: float, x: FloatArray, y: FloatArray
    ) -> Coupling:
        n = self.n_points
        gamma = coupling_angles_deg(x[-n:], y[-n:])
        crp = relative_phase_deg(x, y)[-n:]
        in_pct, anti_pct, x_pct, y_pct = phase_shares_pct(gamma)
        recent = self._remember(prefix, side, _Recent(end_s, gamma, crp))
        cav = crp_sd = None
        if len(recent) >= self.min_variability_strides:
            cav = _mean_sd(np.stack([r.gamma_deg for r in recent]))
            crp_sd = _mean_sd(np.stack([r.crp_deg for r in recent]))
        return Coupling(
            coupling_deg=axial_mean_deg(gamma),
            in_phase_pct=in_pct,
            anti_phase_pct=anti_pct,
            x_phase_pct=x_pct,
            y_phase_pct=y_pct,
            crp_mean_deg=float(abs(circular_mean_deg(crp))),
            cav_deg=cav,
            crp_sd_deg=crp_sd,
        )

    def _remember(self, prefix: str, side: Side, stride: _Recent) -> deque[_Recent]:
        recent = self._recent.setdefault((prefix, side), deque(maxlen=self.variability_strides))
        while recent and recent[0].end_s < stride.end_s - self.memory_s:
            recent.popleft()
        recent.append(stride)
        return recent

    def _publish(self) -> None:
        self.fields_ = {}
        for spec in COUPLINGS:
            coupling = self.couplings_[spec.prefix]
            for attribute, name in field_names(spec).items():
                value = getattr(coupling, attribute) if coupling is not None else None
                self.fields_[name] = _finite_or_none(value)


def _finite_or_none(value: float | None) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def _mean_sd(curves_deg: FloatArray) -> float | None:
    """Circular SD across strides (rows) at each point, averaged over the points."""
    sd = circular_sd_deg(curves_deg, axis=0)
    sd = sd[np.isfinite(sd)]
    return float(sd.mean()) if sd.size else None


def _covered(t_s: FloatArray, t0_s: float, t1_s: float, max_gap_s: float) -> bool:
    inside = t_s[(t_s >= t0_s - max_gap_s) & (t_s <= t1_s + max_gap_s)]
    if inside.size < 2 or inside[0] > t0_s + max_gap_s or inside[-1] < t1_s - max_gap_s:
        return False
    return bool(np.diff(inside).max() <= max_gap_s)


def _window(
    source: AngleSource, grid: FloatArray, stride_first: int, max_gap_s: float
) -> _Window | None:
    """The segment's angles on ``grid``: the whole grid if covered, else the stride part
    (from ``stride_first``) if covered, else None."""
    rows = source.between(float(grid[0]) - max_gap_s, float(grid[-1]) + max_gap_s)
    t_s = rows[:, 0]
    for first in (0, stride_first):
        if _covered(t_s, float(grid[first]), float(grid[-1]), max_gap_s):
            angles = np.full((grid.shape[0], 3), np.nan)
            for k in range(3):
                angles[first:, k] = np.interp(grid[first:], t_s, rows[:, k + 1])
            return _Window(first, angles)
    return None
