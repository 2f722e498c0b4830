"""From segment motion to ideal IMU signals, by numerical differentiation.

A segment's motion is a ``Pose``: orientation ``rot`` (world <- segment), pod position
``pos_m`` in the world frame (x forward, y left, z up) and an optional extra world
acceleration (impact transients, which are too short to be worth integrating into position).
Angular velocity and acceleration are central differences of the pose itself (step ``h``),
so gyro and accelerometer are consistent with the angles reported as ground truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from drivers.sim.curves import STANDARD_GRAVITY_MPS2
from drivers.sim.rotations import vee
from drivers.types import FloatArray

GRAVITY_WORLD_MPS2 = np.array([0.0, 0.0, -9.81])
DIFF_STEP_S = 1e-3


@dataclass(frozen=True)
class Pose:
    """Segment orientation (n, 3, 3), pod position (n, 3) m, extra acceleration (n, 3) m/s²,
    and the segment's reference point along the runner's path (n,) m (``drivers.sim.path``)."""

    rot: FloatArray
    pos_m: FloatArray
    extra_acc_mps2: FloatArray
    ref_x_m: FloatArray | None = None


PoseFn = Callable[[FloatArray], Pose]


@dataclass(frozen=True)
class ImuSignals:
    """Ideal signals in segment axes: specific force (n, 3) in g, angular rate (n, 3) in deg/s."""

    acc_g: FloatArray
    gyro_dps: FloatArray


def imu_signals(pose_fn: PoseFn, t_s: FloatArray, h_s: float = DIFF_STEP_S) -> ImuSignals:
    """Specific force ``R^T (a - g)`` and body rate (skew part of ``R^T dR/dt``) at ``t_s``."""
    n = len(t_s)
    pose = pose_fn(np.concatenate([t_s - h_s, t_s, t_s + h_s]))
    rot_m, rot_0, rot_p = pose.rot[:n], pose.rot[n : 2 * n], pose.rot[2 * n :]
    pos_m, pos_0, pos_p = pose.pos_m[:n], pose.pos_m[n : 2 * n], pose.pos_m[2 * n :]
    rot_0t = np.swapaxes(rot_0, 1, 2)
    omega_rad_s = vee(rot_0t @ (rot_p - rot_m)) / (2.0 * h_s)
    acc_world = (pos_p - 2.0 * pos_0 + pos_m) / (h_s * h_s) + pose.extra_acc_mps2[n : 2 * n]
    force_world = acc_world - GRAVITY_WORLD_MPS2
    force_seg = np.einsum("nji,nj->ni", rot_0, force_world)
    return ImuSignals(force_seg / STANDARD_GRAVITY_MPS2, np.degrees(omega_rad_s))
