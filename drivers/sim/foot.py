"""Shoe motion: pitch, inversion and adduction through knots per step, position from a pivot.

Each foot's cycle runs from its contact k to its next contact. Pitch follows the knots of
``drivers.sim.foot_pitch`` (contact, foot flat, heel-off, toe-off at the peak toes-down rate,
lowest pitch early in swing, next contact); inversion and adduction pass through the same
knot times with zero derivatives there:

==========  =====  ======
knot        inv.   add.
==========  =====  ======
K0 IC       4      0
K1 flat     0      0
K2 heel     0      0
K3 TO       6      3
K4 min      5      2
K5 IC'      4      0
==========  =====  ======

All angle curves and the swing displacement are C3, so the pod's acceleration is smooth
except for the landing transient (``drivers.sim.impact``) added at each contact. A virtual
contact (standing before the first step, and the last contact of a runner who stops) is
flat: no inversion, no transient; a stopping runner's last contact stays down (its
``hold_s``).

Orientation (world <- foot) is ``Rz(toe_out - lat * adduction) Ry(-pitch) Rx(-lat * inversion)``
with ``lat`` = +1 for the left foot and -1 for the right, so that on both feet + inversion
turns the sole inward and + adduction the toes inward; foot pitch is the elevation of the
foot's long axis (x) above horizontal, and a toes-up pitch rate is a *negative* rate about the
foot's y (left) axis.

Position: while the foot is in stance it pivots about the heel (pitch > 0) or the toe
(pitch < 0) around a flat-foot position that does not move; in swing it follows the toe pivot
plus a C3 step displacement to the next landing spot and a 15 cm clearance bump.

``Conditions`` (``drivers.sim.conditions``) may shape the terminal swing (``drivers.sim.swing``:
the displacement's progression and the pitch derivatives at real contacts) and set the
landing transient's peak. The pose's reference point along the path (for a turn, see
``drivers.sim.path``) is the flat-foot spot in stance, moving to the next one in swing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from drivers.sim.conditions import DEFAULT_CONDITIONS, Conditions
from drivers.sim.curves import bump, septic_through
from drivers.sim.foot_pitch import Knots, pitch_knots
from drivers.sim.impact import foot_impact, impact_acc_mps2
from drivers.sim.kinematics import Pose
from drivers.sim.profiles import RunnerProfile
from drivers.sim.rotations import rot_x, rot_y, rot_z
from drivers.sim.steps import StepArrays
from drivers.sim.swing import swing_progress, with_pitch_peak
from drivers.types import FloatArray

BoolArray = NDArray[np.bool_]

HEEL_M = np.array([-0.10, 0.0, -0.06])  # contact points relative to the pod, foot frame
TOE_M = np.array([0.07, 0.0, -0.06])
POD_HEIGHT_M = 0.06
CLEARANCE_M = 0.15
INVERSION_KNOTS_DEG = np.array([4.0, 0.0, 0.0, 6.0, 5.0, 4.0])
ADDUCTION_KNOTS_DEG = np.array([0.0, 0.0, 0.0, 3.0, 2.0, 0.0])
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
    pitch: Knots
    real: FloatArray  # 1 for a real contact, 0 for a virtual (standing) one
    next_real: FloatArray  # the same for the next contact
    land_x_m: FloatArray
    next_land_x_m: FloatArray


def _cycle(steps: StepArrays, side: Side, t_s: FloatArray, cond: Conditions) -> _Cycle:
    own = steps.take(np.flatnonzero(steps.index % 2 == side.parity))
    k = np.clip(np.searchsorted(own.ic_s, t_s, side="right") - 1, 0, len(own) - 2)
    ic, contact, nxt = own.ic_s[k], own.contact_s[k], own.ic_s[k + 1]
    fsa, nfsa, hold = own.fsa_deg[k], own.fsa_deg[k + 1], own.hold_s[k]
    real, next_real = own.is_real[k].astype(np.float64), own.is_real[k + 1].astype(np.float64)
    pitch = pitch_knots(ic, contact, nxt, fsa, nfsa, own.swing_min_pitch_deg[k], hold)
    if cond.terminal_swing is not None:
        pitch = with_pitch_peak(pitch, cond.terminal_swing, real, next_real)
    return _Cycle(
        t_s, ic, ic + contact + hold, nxt, fsa, nfsa, pitch, real, next_real, own.land_x_m[k],
        own.land_x_m[k + 1],
    )  # fmt: skip


def _angles(c: _Cycle) -> FloatArray:
    extra = c.pitch.value.shape[1] - len(INVERSION_KNOTS_DEG)  # a terminal-swing pitch peak
    inv_knots = np.insert(INVERSION_KNOTS_DEG, 5, [INVERSION_KNOTS_DEG[5]] * extra)
    inv = np.broadcast_to(inv_knots, c.pitch.value.shape).copy()
    inv[:, 0] *= c.real  # standing: the foot is flat, no inversion at a virtual contact
    inv[:, 5:] *= c.next_real[:, None]
    add = np.insert(ADDUCTION_KNOTS_DEG, 5, [ADDUCTION_KNOTS_DEG[5]] * extra)
    curves = [c.pitch, c.pitch.with_values(inv), c.pitch.with_values(add)]
    cols = [septic_through(c.t_s, k.time_s, k.value, k.derivs) for k in curves]
    return np.stack(cols, axis=1)


def foot_angles_deg(
    steps: StepArrays, side: Side, t_s: FloatArray, cond: Conditions = DEFAULT_CONDITIONS
) -> FloatArray:
    """(n, 3) [pitch (+ toes up), inversion (+ sole inward), adduction (+ toes inward)],
    degrees, each 0 when standing."""
    return _angles(_cycle(steps, side, t_s, cond))


def _pivot_m(pitch_deg: FloatArray, use_toe: BoolArray, yaw_rad: float) -> FloatArray:
    """Pod displacement from its flat-foot spot when pitched about the heel or toe."""
    c = np.where(use_toe[:, None], TOE_M, HEEL_M)
    pitched = np.einsum("nij,nj->ni", rot_y(-np.radians(pitch_deg)), c)
    return np.asarray((c - pitched) @ rot_z(np.array(yaw_rad)).T, dtype=np.float64)


def _position_m(
    profile: RunnerProfile, side: Side, c: _Cycle, pitch_deg: FloatArray, cond: Conditions
) -> tuple[FloatArray, FloatArray]:
    """Pod position: pivoting in stance; in swing the toe pivot plus the step to the next spot.
    Also the reference point's forward position (the spot, moving to the next one in swing)."""
    yaw0 = side.standing_yaw_rad(profile)
    lateral_m = side.lateral * 0.5 * profile.step_width_m
    spot = np.stack(
        [c.land_x_m, np.full_like(c.land_x_m, lateral_m), np.full_like(c.land_x_m, POD_HEIGHT_M)],
        axis=1,
    )
    next_spot = spot.copy()
    next_spot[:, 0] = c.next_land_x_m
    in_swing = c.t_s >= c.to_s
    pos = spot + _pivot_m(pitch_deg, in_swing | (pitch_deg < 0.0), yaw0)
    all_toe = np.ones(len(c.t_s), dtype=bool)
    swing_end = spot + _pivot_m(c.next_fsa_deg, all_toe, yaw0)
    target = next_spot + _pivot_m(c.next_fsa_deg, c.next_fsa_deg < 0.0, yaw0)
    swing_s = c.next_ic_s - c.to_s
    s = (c.t_s - c.to_s) / swing_s
    step = target - swing_end
    progress = swing_progress(s, swing_s, np.hypot(step[:, 0], step[:, 1]), cond.terminal_swing)
    pos = pos + step * progress[:, None]
    pos[:, 2] += CLEARANCE_M * bump(s)
    ref_x = c.land_x_m + (c.next_land_x_m - c.land_x_m) * progress
    return pos, ref_x


def foot_pose(
    profile: RunnerProfile,
    steps: StepArrays,
    side: Side,
    t_s: FloatArray,
    cond: Conditions = DEFAULT_CONDITIONS,
) -> Pose:
    """Orientation, pod position, impact transient and path reference of one shoe."""
    c = _cycle(steps, side, t_s, cond)
    ang = _angles(c)
    rot = (
        rot_z(side.standing_yaw_rad(profile) - side.lateral * np.radians(ang[:, 2]))
        @ rot_y(-np.radians(ang[:, 0]))
        @ rot_x(-side.lateral * np.radians(ang[:, 1]))
    )
    impact = foot_impact(c.fsa_deg, cond.impact_peak_g).scaled(c.real)
    extra = impact_acc_mps2(c.t_s - c.ic_s, impact, IMPACT_DIRECTION)
    pos, ref_x = _position_m(profile, side, c, ang[:, 0], cond)
    return Pose(rot, pos, extra, ref_x)
