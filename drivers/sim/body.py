"""Upper trunk and pelvis motion.

Both segments hang from one base point, the pelvis centre, which moves forward at the
profile's speed (minus a small braking dip after each contact), oscillates vertically at step
frequency (lowest at mid-stance) and sways toward the stance foot at stride frequency. The
pelvis pod sits 0.10 m behind the base point (sacrum); the trunk pod 0.45 m above it and
0.12 m behind (upper back), carried by the trunk's rotation about the base point.

Angles relative to standing (degrees, Cardan flexion -> lateral bend -> axial rotation, see
``drivers.sim.rotations``) follow a smooth gait phase ``phi``: ``phi = pi * k`` at the k-th
contact (even k right foot, odd k left), so ``phi`` is the stride phase and ``2 phi`` the step
phase. With ``ms`` the stride phase of mid-stance and ``e`` the run-up envelope:

- trunk flexion  = e (lean + rom/2 cos(2 phi - 2 ms - 0.3))
- trunk lateral  = e rom/2 cos(phi - ms)           (bends toward the right in right stance)
- trunk axial    = e rom/2 cos(phi - pelvis_trunk_phase)
- pelvis tilt    = e (tilt + rom/2 cos(2 phi - 2 ms - 0.5))   (anterior tilt +)
- pelvis oblique = -e rom/2 cos(phi - ms)          (swing side drops in stance)
- pelvis axial   = e rom/2 cos(phi)                (turned left at right contact)

plus a sub-degree postural sway that is present while standing too.

``Conditions`` (``drivers.sim.conditions``) may move the trunk pod along the spine (T1..L5)
and replace the flexion oscillation's phase offset (0.3 above); the shoe's landing peak
they set carries over to the trunk and pelvis transients.
"""

from __future__ import annotations

import numpy as np

from drivers.sim.conditions import DEFAULT_CONDITIONS, Conditions
from drivers.sim.curves import RunTiming, hermite5
from drivers.sim.impact import foot_impact, impact_acc_mps2
from drivers.sim.kinematics import Pose
from drivers.sim.profiles import RunnerProfile
from drivers.sim.rotations import cardan_to_matrix
from drivers.sim.steps import StepArrays
from drivers.types import FloatArray, Placement

PELVIS_HEIGHT_M = 1.0
POD_OFFSET_M = {
    Placement.PELVIS: np.array([-0.10, 0.0, 0.0]),
    Placement.TRUNK: np.array([-0.12, 0.0, 0.45]),
}
IMPACT = {  # peak relative to the shoe's transient peak, frequency Hz, decay s
    Placement.PELVIS: (0.06, 18.0, 0.025),
    Placement.TRUNK: (0.035, 14.0, 0.03),
}
IMPACT_DIRECTION = np.array([-0.2, 0.0, 1.0])
LATERAL_SWAY_M = 0.02
BRAKING_DV_FRACTION = 0.05  # forward speed dip at mid-stance, fraction of speed
SWAY_DEG = (0.2, 0.15, 0.1)  # standing sway amplitude per angle
SWAY_HZ = (0.23, 0.17, 0.11)


def stride_phase_rad(steps: StepArrays, t_s: FloatArray) -> FloatArray:
    """Smooth (C2) gait phase: pi * step index at each contact, rate matched at contacts."""
    rate = 2.0 * np.pi / (steps.prev_dur_s + steps.dur_s)
    i = np.searchsorted(steps.ic_s, t_s, side="right") - 1
    before = i < 0
    i = np.clip(i, 0, len(steps) - 2)
    t0, t1 = steps.ic_s[i], steps.ic_s[i + 1]
    span = t1 - t0
    s = np.clip((t_s - t0) / span, 0.0, 1.0)
    phi0 = np.pi * steps.index[i].astype(np.float64)
    inside = hermite5(s, phi0, phi0 + np.pi, rate[i] * span, rate[i + 1] * span)
    extrapolated = np.pi * steps.index[0] + rate[0] * (t_s - steps.ic_s[0])
    return np.asarray(np.where(before, extrapolated, inside), dtype=np.float64)


def midstance_phase_rad(profile: RunnerProfile) -> float:
    """Stride phase of mid-stance after a right contact."""
    return float(np.pi * 0.5 * profile.contact_ms / 1000.0 / profile.step_period_s)


def _sway_deg(t_s: FloatArray, scale: float) -> FloatArray:
    cols = [
        a * np.sin(2.0 * np.pi * f * t_s + k)
        for k, (a, f) in enumerate(zip(SWAY_DEG, SWAY_HZ, strict=True))
    ]
    return scale * np.stack(cols, axis=1)


def body_angles_deg(
    profile: RunnerProfile,
    timing: RunTiming,
    steps: StepArrays,
    segment: Placement,
    t_s: FloatArray,
    cond: Conditions = DEFAULT_CONDITIONS,
) -> FloatArray:
    """(n, 3) [flexion, lateral bend, axial rotation] of trunk or pelvis relative to standing."""
    p = profile
    phi = stride_phase_rad(steps, t_s)
    e = timing.envelope(t_s)
    ms = midstance_phase_rad(p)
    if segment is Placement.TRUNK:
        flex_phase = 2 * phi - 2 * ms - cond.flex_phase_rad
        flex = p.trunk_flex_mean_deg + 0.5 * p.trunk_flex_rom_deg * np.cos(flex_phase)
        lat = 0.5 * p.trunk_lat_rom_deg * np.cos(phi - ms)
        rot = 0.5 * p.trunk_rot_rom_deg * np.cos(phi - np.radians(p.pelvis_trunk_phase_deg))
        sway = 1.0
    elif segment is Placement.PELVIS:
        flex = p.pelvis_tilt_mean_deg + 0.5 * p.pelvis_tilt_rom_deg * np.cos(2 * phi - 2 * ms - 0.5)
        lat = -0.5 * p.pelvis_obliquity_rom_deg * np.cos(phi - ms)
        rot = 0.5 * p.pelvis_rot_rom_deg * np.cos(phi)
        sway = 0.5
    else:
        raise ValueError(f"{segment} is not a body segment")
    out = e[:, None] * np.stack([flex, lat, rot], axis=1) + _sway_deg(t_s, sway)
    return np.asarray(out, dtype=np.float64)


def base_position_m(
    profile: RunnerProfile, timing: RunTiming, steps: StepArrays, t_s: FloatArray
) -> FloatArray:
    """(n, 3) world position of the pelvis centre."""
    p = profile
    phi = stride_phase_rad(steps, t_s)
    e = timing.envelope(t_s)
    ms = midstance_phase_rad(p)
    step_rate_rad_s = 2.0 * np.pi / p.step_period_s
    dv = BRAKING_DV_FRACTION * p.speed_mps
    x = timing.forward_m(t_s, p.speed_mps) - e * dv / step_rate_rad_s * np.sin(2 * phi - 2 * ms)
    x = x + 0.003 * np.sin(2.0 * np.pi * 0.2 * t_s)
    y = -e * LATERAL_SWAY_M * np.cos(phi - ms) + 0.002 * np.sin(2.0 * np.pi * 0.15 * t_s + 1.0)
    z = PELVIS_HEIGHT_M - e * 0.5 * p.vertical_osc_m * np.cos(2 * phi - 2 * ms)
    return np.stack([x, y, z], axis=1)


def _impact(
    steps: StepArrays, segment: Placement, t_s: FloatArray, peak_g: float | None
) -> FloatArray:
    gain, freq_hz, tau_s = IMPACT[segment]
    i = np.clip(np.searchsorted(steps.ic_s, t_s, side="right") - 1, 0, len(steps) - 1)
    real = steps.is_real[i]
    impact = foot_impact(steps.fsa_deg[i], peak_g).scaled(np.where(real, gain, 0.0))
    impact = impact.ringing(freq_hz, tau_s)
    return impact_acc_mps2(t_s - steps.ic_s[i], impact, IMPACT_DIRECTION)


def body_pose(
    profile: RunnerProfile,
    timing: RunTiming,
    steps: StepArrays,
    segment: Placement,
    t_s: FloatArray,
    cond: Conditions = DEFAULT_CONDITIONS,
) -> Pose:
    """Orientation, pod position, impact transient and path reference (the pelvis centre) of
    the trunk or pelvis pod's segment."""
    angles_deg = body_angles_deg(profile, timing, steps, segment, t_s, cond)
    rot = cardan_to_matrix(np.radians(angles_deg))
    offset = cond.trunk_pod_m() if segment is Placement.TRUNK else POD_OFFSET_M[segment]
    base = base_position_m(profile, timing, steps, t_s)
    pos = base + rot @ offset
    return Pose(rot, pos, _impact(steps, segment, t_s, cond.impact_peak_g), base[:, 0])
