"""Per-foot and per-stride figures of an analysed session, for summaries and reports.

Pure functions of an AnalysisResult. ``symmetry_index`` is Robinson's
``100 × (left − right) / ((left + right) / 2)``: 0 is symmetric, positive means the left value
is larger. It is only meaningful for positive quantities (times), so angles such as the FSA
are compared by their difference instead (``difference``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from processing.analysis import AnalysisResult
from processing.contacts import contacts
from processing.events import Side, StrideEvent, StrikeType
from processing.pipeline import cadence_spm
from processing.stages.coordination_math import axial_mean_deg


@dataclass(frozen=True)
class Stat:
    """Count, mean, SD and median of the finite values (None where there are none)."""

    n: int
    mean: float | None
    sd: float | None
    median: float | None


def stat(values: Iterable[float | None]) -> Stat:
    finite = np.array([float(v) for v in values if v is not None and math.isfinite(float(v))])
    if finite.size == 0:
        return Stat(0, None, None, None)
    sd = float(finite.std(ddof=1)) if finite.size > 1 else None
    return Stat(int(finite.size), float(finite.mean()), sd, float(np.median(finite)))


@dataclass(frozen=True)
class FootFigures:
    """One foot's steps: strike counts, FSA, contact time, stride time and cadence."""

    side: Side
    strikes: int
    strike_counts: dict[StrikeType, int]
    fsa_deg: Stat
    contact_ms: Stat
    stride_s: Stat
    cadence_spm: float | None

    def share(self, kind: StrikeType) -> float | None:
        """Share of this foot's strikes of ``kind``, percent."""
        return 100.0 * self.strike_counts[kind] / self.strikes if self.strikes else None


def foot_figures(result: AnalysisResult, side: Side) -> FootFigures:
    """One foot's figures; its strikes as steps.csv gives them (``contacts``)."""
    strikes = [s for s in contacts(result) if s.side == side]
    ics = sorted(s.ic_s for s in strikes)
    return FootFigures(
        side=side,
        strikes=len(strikes),
        strike_counts={k: sum(1 for s in strikes if s.strike == k) for k in StrikeType},
        fsa_deg=stat(s.fsa_deg for s in strikes),
        contact_ms=stat(s.contact_ms for s in result.steps if s.side == side),
        stride_s=stat(s.duration_s for s in result.strides if s.side == side),
        cadence_spm=cadence_spm(ics, both_feet=False),
    )


def session_cadence_spm(result: AnalysisResult) -> float | None:
    """Steps per minute over both feet (one foot's strides if only one foot has strikes)."""
    ics = sorted({s.ic_s for s in result.strikes})
    return cadence_spm(ics, both_feet=len({s.side for s in result.strikes}) == 2)


def stride_stat(strides: Iterable[StrideEvent], name: str) -> Stat:
    """The stat of one numeric StrideEvent field over ``strides``."""
    return stat(getattr(s, name) for s in strides)


def symmetry_index(left: float | None, right: float | None) -> float | None:
    """Robinson's symmetry index, percent; None if a side is missing or both are 0."""
    if left is None or right is None or left + right == 0:
        return None
    return 100.0 * (left - right) / (0.5 * (left + right))


def difference(left: float | None, right: float | None) -> float | None:
    return None if left is None or right is None else left - right


COUPLING_SHARES = {
    "pt_transverse": ("in_phase", "anti_phase", "pelvis_phase", "trunk_phase"),
    "pt_sagittal": ("in_phase", "anti_phase", "pelvis_phase", "trunk_phase"),
    "trunk_bend_twist": ("in_phase", "anti_phase", "bend_phase", "twist_phase"),
}


@dataclass(frozen=True)
class CouplingFigures:
    """Mean shares (percent), axial mean coupling angle and mean CRP of one coupling over
    the session's strides."""

    name: str
    strides: int
    shares_pct: dict[str, float | None]
    coupling_deg: float | None
    crp_mean_deg: float | None


def coupling_figures(result: AnalysisResult, name: str) -> CouplingFigures:
    """Means over the strides that have this coupling."""
    have = [s for s in result.strides if getattr(s, f"{name}_in_phase_pct") is not None]
    shares = {
        share: stride_stat(have, f"{name}_{share}_pct").mean for share in COUPLING_SHARES[name]
    }
    return CouplingFigures(
        name=name,
        strides=len(have),
        shares_pct=shares,
        coupling_deg=_axial_mean([getattr(s, f"{name}_coupling_deg") for s in have]),
        crp_mean_deg=stride_stat(have, f"{name}_crp_mean_deg").mean,
    )


def _axial_mean(angles_deg: list[float | None]) -> float | None:
    """Axial (modulo 180) mean of the strides' coupling angles: 179° and 1° average to 0°."""
    values = np.array([np.nan if a is None else float(a) for a in angles_deg])
    return axial_mean_deg(values) if np.isfinite(values).any() else None
