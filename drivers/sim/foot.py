"""Shoe motion: pitch, inversion and adduction knots per step, position from the contact pivot.

Each foot's cycle runs from its contact k to its next contact. Angles are C2 quintic
Hermite curves through seven knots (K0..K6):

====  =======================  ==================  =====  ======
knot  time                     pitch (+ toes up)   inv.   add.
====  =======================  ==================  =====  ======
K0    contact (IC)             FSA                 4      0
K1    IC + time to flat        0 (foot flat)       0      0
K2    IC + 0.55 contact        0 (heel-off)        0      0
K3    toe-off (TO)             -68 ± 3, -300 °/s   6      3
K4    TO + 15 % of swing       TO pitch - 8        5      2
K5    TO + 75 % of swing       next FSA + 4        4      0
K6    next IC                  next FSA            4      0
====  =======================  ==================  =====  ======

Time to foot flat is ``12 ms * sqrt(FSA)`` for a heel-first strike (about 50 ms, 15-20 % of
stance, for FSA 18°: the "foot slap") and 28 % of stance for a toe-first one (heel lowering).

Orientation (world <- foot) is ``Rz(toe_out - lat * adduction) Ry(-pitch) Rx(-lat * inversion)``
with ``lat`` = +1 for the left foot and -1 for the right, so that on both feet + inversion
turns the sole inward and + adduction the toes inward; foot pitch is the elevation of the
foot's long axis (x) above horizontal, and a toes-up pitch rate is a *negative* rate about the
foot's y (left) axis.

Position: while the foot is in stance it pivots about the heel (pitch > 0) or the toe
(pitch < 0) around a flat-foot position that does not move; in swing it follows the toe pivot
plus a minimum-jerk displacement to the next landing spot and a 15 cm clearance bump.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from drivers.sim.curves import bump, hermite5, smootherstep
from drivers.sim.kinematics import Pose, foot_impact_g, impact_acc_mps2
from drivers.sim.profiles import RunnerProfile
from drivers.sim.rotations import rot_x, rot_y, rot_z
from drivers.sim.steps import StepArrays
from drivers.types import FloatArray

BoolArray = NDArray[np.bool_]

HEEL_M = np.array([-0.10, 0.0, -0.06])  # contact points relative to the pod, foot frame
TOE_M = np.array([0.07, 0.0, -0.06])
POD_HEIGHT_M = 0.06
CLEARANCE_M = 0.15
HEEL_SLAP_S_PER_SQRT_DEG = 0.012  # heel strike: time to foot flat = 12 ms * sqrt(FSA / deg)
MIN_FLAT_S = 0.015
TOE_LOWERING_FRACTION = 0.28  # toe strike: heel lowered to flat after 28 % of stance
HEEL_OFF_FRACTION = 0.55
TOE_OFF_RATE_DPS = -300.0
SWING_DIP_DEG, SWING_DIP_AT = 8.0, 0.15
SWING_OVERSHOOT_DEG, SWING_PEAK_AT = 4.0, 0.75
INVERSION_KNOTS_DEG = np.array([4.0, 0.0, 0.0, 6.0, 5.0, 4.0, 4.0])
ADDUCTION_KNOTS_DEG = np.array([0.0, 0.0, 0.0, 3.0, 2.0, 0.0, 0.0])
IMPACT_HZ, IMPACT_TAU_S = 25.0, 0.015
IMPACT_DIRECTION = np.array([-0.3, 0.0, 1.0])


@dataclass(frozen=True)
class Side:
    """Per-foot constants: step parity, lateral offset and angle signs."""

    name: str
    parity: int  # step index parity of this foot's contacts
    lateral: float  # +1 left, -1 right

    def standing_yaw_rad(self, profile: RunnerProfile) -> float:
        return float(self.lateral * np.radians(profile.toe_out_deg))


LEFT = Side("left", 1, 1.0)
RIGHT = Side("right", 0, -1.0)


@dataclass(frozen=True)
class _Cycle:
    """For each sample: this foot's current contact ``k`` and its next contact."""

    t_s: FloatArray
    ic_s: FloatArray
    to_s: FloatArray
    next_ic_s: FloatArray
    fsa_deg: FloatArray
    next_fsa_deg: FloatArray
    knot_s: FloatArray  # (n, 7)
    pitch_deg: FloatArray  # (n, 7)
    inversion_ic_deg: FloatArray
    land_x_m: FloatArray
    next_land_x_m: FloatArray
    real: FloatArray


def _flat_after_s(fsa_deg: FloatArray, contact_s: FloatArray) -> FloatArray:
    """Time from contact to foot flat. Heel strikes slap down in a time growing with the square
    root of the FSA (so peak angular acceleration stays bounded); toe strikes lower the heel
    slowly."""
    slap = np.maximum(HEEL_SLAP_S_PER_SQRT_DEG * np.sqrt(np.abs(fsa_deg)), MIN_FLAT_S)
    flat = np.where(fsa_deg >= 0.0, slap, TOE_LOWERING_FRACTION * contact_s)
    return np.asarray(np.minimum(flat, 0.3 * contact_s), dtype=np.float64)


def _cycle(steps: StepArrays, side: Side, t_s: FloatArray) -> _Cycle:
    own = steps.take(np.flatnonzero(steps.index % 2 == side.parity))
    k = np.clip(np.searchsorted(own.ic_s, t_s, side="right") - 1, 0, len(own) - 2)
    ic, contact, nxt = own.ic_s[k], own.contact_s[k], own.ic_s[k + 1]
    to = ic + contact
    swing = nxt - to
    fsa, nfsa, to_pitch = own.fsa_deg[k], own.fsa_deg[k + 1], own.to_pitch_deg[k]
    flat = _flat_after_s(fsa, contact)
    knots = np.stack(
        [ic, ic + flat, ic + HEEL_OFF_FRACTION * contact, to,
         to + SWING_DIP_AT * swing, to + SWING_PEAK_AT * swing, nxt], axis=1,
    )  # fmt: skip
    zero = np.zeros_like(fsa)
    pitch = np.stack(
        [fsa, zero, zero, to_pitch, to_pitch - SWING_DIP_DEG, nfsa + SWING_OVERSHOOT_DEG, nfsa],
        axis=1,
    )
    real = own.index[k] >= 0
    inv_ic = np.where(real, INVERSION_KNOTS_DEG[0], 0.0)
    return _Cycle(
        t_s, ic, to, nxt, fsa, nfsa, knots, pitch, inv_ic, own.land_x_m[k], own.land_x_m[k + 1],
        real.astype(np.float64),
    )  # fmt: skip


def _interp(c: _Cycle, values: FloatArray, rates: FloatArray) -> FloatArray:
    """Piecewise quintic Hermite through the cycle's knots (held constant outside)."""
    rows = np.arange(len(c.t_s))
    seg = np.clip((c.t_s[:, None] >= c.knot_s[:, 1:6]).sum(axis=1), 0, 5)
    t0, t1 = c.knot_s[rows, seg], c.knot_s[rows, seg + 1]
    dt = t1 - t0
    s = np.clip((c.t_s - t0) / dt, 0.0, 1.0)
    y0, y1 = values[rows, seg], values[rows, seg + 1]
    return hermite5(s, y0, y1, rates[rows, seg] * dt, rates[rows, seg + 1] * dt)


def _angles(c: _Cycle) -> FloatArray:
    n = len(c.t_s)
    pitch_rates = np.zeros((n, 7))
    pitch_rates[:, 3] = TOE_OFF_RATE_DPS
    inv = np.broadcast_to(INVERSION_KNOTS_DEG, (n, 7)).copy()
    inv[:, 0] = c.inversion_ic_deg
    add = np.broadcast_to(ADDUCTION_KNOTS_DEG, (n, 7))
    zeros = np.zeros((n, 7))
    cols = [_interp(c, c.pitch_deg, pitch_rates), _interp(c, inv, zeros), _interp(c, add, zeros)]
    return np.stack(cols, axis=1)


def foot_angles_deg(steps: StepArrays, side: Side, t_s: FloatArray) -> FloatArray:
    """(n, 3) [pitch (+ toes up), inversion (+ sole inward), adduction (+ toes inward)],
    degrees, each 0 when standing."""
    return _angles(_cycle(steps, side, t_s))


def _pivot_m(pitch_deg: FloatArray, use_toe: BoolArray, yaw_rad: float) -> FloatArray:
    """Pod displacement from its flat-foot spot when pitched about the heel or toe."""
    c = np.where(use_toe[:, None], TOE_M, HEEL_M)
    pitched = np.einsum("nij,nj->ni", rot_y(-np.radians(pitch_deg)), c)
    return np.asarray((c - pitched) @ rot_z(np.array(yaw_rad)).T, dtype=np.float64)


def foot_pose(profile: RunnerProfile, steps: StepArrays, side: Side, t_s: FloatArray) -> Pose:
    """Orientation, pod position and impact transient of one shoe."""
    c = _cycle(steps, side, t_s)
    ang = _angles(c)
    yaw0 = side.standing_yaw_rad(profile)
    rot = (
        rot_z(yaw0 - side.lateral * np.radians(ang[:, 2]))
        @ rot_y(-np.radians(ang[:, 0]))
        @ rot_x(-side.lateral * np.radians(ang[:, 1]))
    )
    lateral_m = side.lateral * 0.5 * profile.step_width_m
    spot = np.stack(
        [c.land_x_m, np.full_like(c.land_x_m, lateral_m), np.full_like(c.land_x_m, POD_HEIGHT_M)],
        axis=1,
    )
    next_spot = spot.copy()
    next_spot[:, 0] = c.next_land_x_m
    in_swing = c.t_s >= c.to_s
    pos = spot + _pivot_m(ang[:, 0], in_swing | (ang[:, 0] < 0.0), yaw0)
    all_toe = np.ones(len(t_s), dtype=bool)
    swing_end = spot + _pivot_m(c.next_fsa_deg, all_toe, yaw0)
    target = next_spot + _pivot_m(c.next_fsa_deg, c.next_fsa_deg < 0.0, yaw0)
    s = (c.t_s - c.to_s) / (c.next_ic_s - c.to_s)
    pos = pos + (target - swing_end) * smootherstep(s)[:, None]
    pos[:, 2] += CLEARANCE_M * bump(s)
    amp_g = c.real * foot_impact_g(c.fsa_deg)
    extra = impact_acc_mps2(c.t_s - c.ic_s, amp_g, IMPACT_HZ, IMPACT_TAU_S, IMPACT_DIRECTION)
    return Pose(rot, pos, extra)
