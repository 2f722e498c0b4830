"""Vectorised rotation matrices and the Cardan decomposition used for ground truth.

All functions take angles in radians and return stacks of 3x3 matrices, shape (n, 3, 3),
that rotate vectors from the rotated (segment) frame into the fixed (world) frame.

Segment angles relative to standing use the Cardan sequence flexion -> lateral bend ->
axial rotation, i.e. ``R = Ry(flexion) @ Rx(lateral_bend) @ Rz(axial_rotation)`` with the
segment axes x anterior, y left, z up. With right-handed rotations this gives:
flexion + = leaning forward, lateral bend + = bending to the right, axial rotation + =
turning to the left.
"""

from __future__ import annotations

import numpy as np

from drivers.types import FloatArray


def rot_x(angle_rad: FloatArray) -> FloatArray:
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    out = np.zeros((*np.shape(angle_rad), 3, 3))
    out[..., 0, 0] = 1.0
    out[..., 1, 1], out[..., 1, 2] = c, -s
    out[..., 2, 1], out[..., 2, 2] = s, c
    return out


def rot_y(angle_rad: FloatArray) -> FloatArray:
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    out = np.zeros((*np.shape(angle_rad), 3, 3))
    out[..., 1, 1] = 1.0
    out[..., 0, 0], out[..., 0, 2] = c, s
    out[..., 2, 0], out[..., 2, 2] = -s, c
    return out


def rot_z(angle_rad: FloatArray) -> FloatArray:
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    out = np.zeros((*np.shape(angle_rad), 3, 3))
    out[..., 2, 2] = 1.0
    out[..., 0, 0], out[..., 0, 1] = c, -s
    out[..., 1, 0], out[..., 1, 1] = s, c
    return out


def cardan_to_matrix(angles_rad: FloatArray) -> FloatArray:
    """(n, 3) [flexion, lateral bend, axial rotation] -> (n, 3, 3) ``Ry @ Rx @ Rz``."""
    a = np.asarray(angles_rad, dtype=np.float64)
    return rot_y(a[:, 0]) @ rot_x(a[:, 1]) @ rot_z(a[:, 2])


def matrix_to_cardan(rot: FloatArray) -> FloatArray:
    """Inverse of ``cardan_to_matrix`` (valid for |lateral bend| < 90°), radians (n, 3)."""
    flexion = np.arctan2(rot[:, 0, 2], rot[:, 2, 2])
    lateral = np.arcsin(np.clip(-rot[:, 1, 2], -1.0, 1.0))
    axial = np.arctan2(rot[:, 1, 0], rot[:, 1, 1])
    return np.stack([flexion, lateral, axial], axis=1)


def axis_angle(axis: FloatArray, angle_rad: float) -> FloatArray:
    """One 3x3 rotation about ``axis`` (need not be unit length) by ``angle_rad``."""
    k = np.asarray(axis, dtype=np.float64) / np.linalg.norm(axis)
    kx = np.array([[0.0, -k[2], k[1]], [k[2], 0.0, -k[0]], [-k[1], k[0], 0.0]])
    out = np.eye(3) + np.sin(angle_rad) * kx + (1.0 - np.cos(angle_rad)) * (kx @ kx)
    return np.asarray(out, dtype=np.float64)


def vee(mat: FloatArray) -> FloatArray:
    """The vector of the skew-symmetric part of each (n, 3, 3) matrix, shape (n, 3)."""
    skew = 0.5 * (mat - np.swapaxes(mat, -1, -2))
    out = np.stack([skew[..., 2, 1], skew[..., 0, 2], skew[..., 1, 0]], axis=-1)
    return np.asarray(out, dtype=np.float64)


def rotation_angle_deg(rot: FloatArray) -> FloatArray:
    """Angle of each (n, 3, 3) rotation, degrees (0..180)."""
    cos = (np.trace(rot, axis1=-2, axis2=-1) - 1.0) / 2.0
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))), dtype=np.float64)


def axis_aligned_rotations() -> FloatArray:
    """The 24 proper rotations that map coordinate axes onto coordinate axes, (24, 3, 3)."""
    mats = []
    for perm in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
        for signs in np.ndindex(2, 2, 2):
            m = np.zeros((3, 3))
            for row, col in enumerate(perm):
                m[row, col] = 1.0 if signs[row] == 0 else -1.0
            if np.linalg.det(m) > 0:
                mats.append(m)
    return np.stack(mats)
