"""A turn in the runner's path: the whole runner follows a curve instead of the x axis.

The runner model moves along world x. A ``Turn`` bends that line: the heading is
``angle * septic_step((x - start_m) / length_m)`` of the distance ``x`` run, and the point
at distance ``x`` is ``P(x) = integral of (cos heading, sin heading)`` (exact, C3). Each
segment is carried rigidly by its reference point ``x_ref`` (``Pose.ref_x_m``: the pelvis
centre for trunk and pelvis, the flat-foot spot for a shoe, moving to the next spot in
swing): world position ``P(x_ref) + Rz(heading(x_ref)) (pos - (x_ref, 0, 0))``, orientation
``Rz(heading(x_ref)) rot``. A planted foot stays planted and keeps its heading; the pods see
the turn's yaw rate and centripetal acceleration. The body does not lean into the turn.

Angles reported as ground truth stay relative to the runner's heading (the turn is not
trunk or pelvis rotation), and step times do not change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.sim.curves import septic_step
from drivers.sim.kinematics import Pose
from drivers.sim.rotations import rot_z
from drivers.types import FloatArray

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(24)


@dataclass(frozen=True)
class Turn:
    """Turn by ``angle_deg`` (+ to the left) over ``length_m`` of path from ``start_m`` on.
    A 180° turn over 12 m at 3.4 m/s has a tightest radius of ~1.7 m (~0.7 g inward)."""

    start_m: float
    angle_deg: float = 180.0
    length_m: float = 12.0

    def heading_rad(self, x_m: FloatArray) -> FloatArray:
        u = (np.asarray(x_m, dtype=np.float64) - self.start_m) / self.length_m
        return np.asarray(np.radians(self.angle_deg) * septic_step(u), dtype=np.float64)

    def point_m(self, x_m: FloatArray) -> FloatArray:
        """(n, 2) world position of the path point at distance ``x_m``."""
        x = np.asarray(x_m, dtype=np.float64)
        u = np.clip(x - self.start_m, 0.0, self.length_m)  # distance run inside the turn
        half = 0.5 * u[:, None]
        along = self.start_m + half * (1.0 + _NODES[None, :])  # Gauss-Legendre nodes
        psi = self.heading_rad(along)
        inside = (
            np.stack(
                [(np.cos(psi) * _WEIGHTS).sum(axis=1), (np.sin(psi) * _WEIGHTS).sum(axis=1)], axis=1
            )
            * half
        )
        before = np.minimum(x - self.start_m, 0.0)
        after = np.maximum(x - self.start_m - self.length_m, 0.0)
        end = self.heading_rad(np.array([self.start_m + self.length_m]))[0]
        out = inside + np.stack([self.start_m + before, np.zeros_like(x)], axis=1)
        out += after[:, None] * np.array([np.cos(end), np.sin(end)])
        return np.asarray(out, dtype=np.float64)

    def apply(self, pose: Pose) -> Pose:
        """The pose carried along the turned path by its reference point."""
        if pose.ref_x_m is None:
            raise ValueError("a turn needs the pose's reference point")
        x_ref = pose.ref_x_m
        yaw = rot_z(self.heading_rad(x_ref))
        local = pose.pos_m - np.stack([x_ref, np.zeros_like(x_ref), np.zeros_like(x_ref)], 1)
        pos = np.einsum("nij,nj->ni", yaw, local)
        pos[:, :2] += self.point_m(x_ref)
        extra = np.einsum("nij,nj->ni", yaw, pose.extra_acc_mps2)
        return Pose(yaw @ pose.rot, pos, extra, x_ref)
