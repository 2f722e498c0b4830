"""Ground-truth records the simulator reports next to its samples."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray, Placement

TRUTH_RATE_HZ = 500.0

AnglesFn = Callable[[Placement, FloatArray], FloatArray]


@dataclass(frozen=True)
class StepTruth:
    """One foot contact: side 'left'|'right', contact and toe-off times (s), foot strike angle
    (degrees, + toes up) and its Altman & Davis label 'rearfoot'|'midfoot'|'forefoot'."""

    side: str
    ic_s: float
    to_s: float
    fsa_deg: float
    strike: str


@dataclass(frozen=True)
class StrideTruth:
    """One stride, contact to next contact of the same foot, over [start_s, end_s).

    Computed from the model's own angle trajectories (Cardan flexion -> lateral bend -> axial
    rotation relative to standing, sampled at 500 Hz): means and peak-to-peak ranges, degrees.
    ``pelvis_trunk_phase_deg`` is |phase(pelvis) - phase(trunk)| of the stride-frequency
    harmonic of axial rotation, 0 (in phase) .. 180 (anti-phase).
    """

    side: str
    start_s: float
    end_s: float
    trunk_flex_mean_deg: float
    trunk_flex_rom_deg: float
    trunk_rot_rom_deg: float
    trunk_lat_rom_deg: float
    pelvis_rot_rom_deg: float
    pelvis_tilt_rom_deg: float
    pelvis_obliquity_rom_deg: float
    pelvis_trunk_phase_deg: float


def _harmonic_phase_rad(x: FloatArray, t_s: FloatArray, start_s: float, end_s: float) -> float:
    psi = 2.0 * np.pi * (t_s - start_s) / (end_s - start_s)
    return float(np.angle(np.sum((x - x.mean()) * np.exp(-1j * psi))))


def _ptp(x: FloatArray) -> float:
    return float(np.ptp(x))


def stride_truth(side: str, start_s: float, end_s: float, angles_deg: AnglesFn) -> StrideTruth:
    """Summarise one stride from the angle trajectories ``angles_deg(placement, t)``."""
    t = np.arange(start_s, end_s, 1.0 / TRUTH_RATE_HZ)
    trunk = angles_deg(Placement.TRUNK, t)
    pelvis = angles_deg(Placement.PELVIS, t)
    dphase = _harmonic_phase_rad(pelvis[:, 2], t, start_s, end_s) - _harmonic_phase_rad(
        trunk[:, 2], t, start_s, end_s
    )
    wrapped = np.angle(np.exp(1j * dphase))
    return StrideTruth(
        side=side,
        start_s=start_s,
        end_s=end_s,
        trunk_flex_mean_deg=float(trunk[:, 0].mean()),
        trunk_flex_rom_deg=_ptp(trunk[:, 0]),
        trunk_rot_rom_deg=_ptp(trunk[:, 2]),
        trunk_lat_rom_deg=_ptp(trunk[:, 1]),
        pelvis_rot_rom_deg=_ptp(pelvis[:, 2]),
        pelvis_tilt_rom_deg=_ptp(pelvis[:, 0]),
        pelvis_obliquity_rom_deg=_ptp(pelvis[:, 1]),
        pelvis_trunk_phase_deg=float(abs(np.degrees(wrapped))),
    )
