"""How each simulated pod is strapped onto its segment.

A mounting is a 3x3 rotation ``M`` from sensor axes to segment axes: a vector measured in
the sensor frame is ``v_segment = M @ v_sensor``, so a pod reports ``v_sensor = M.T @ v_segment``.
The identity means the pod's x, y, z are the segment's anterior, left and up axes.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from drivers.sim.rotations import axis_aligned_rotations, axis_angle
from drivers.types import FloatArray, Placement

MAX_TILT_DEG = 15.0


def identity_mounting() -> dict[Placement, FloatArray]:
    """Every pod aligned with its segment (sensor axes = segment axes)."""
    return {p: np.eye(3) for p in Placement}


def random_pod_mounting(rng: np.random.Generator) -> FloatArray:
    """A plausible strap orientation for one pod.

    One of the 24 axis-aligned orientations (the pod may be strapped on any face, any way
    round), followed by a tilt of up to ±15° about a random axis (strap not quite square,
    curved back or shoe): ``M = A @ tilt``.
    """
    candidates = axis_aligned_rotations()
    aligned = candidates[int(rng.integers(len(candidates)))]
    axis = rng.standard_normal(3)
    tilt_rad = np.radians(rng.uniform(-MAX_TILT_DEG, MAX_TILT_DEG))
    return np.asarray(aligned @ axis_angle(axis, float(tilt_rad)), dtype=np.float64)


def random_mounting(rng: np.random.Generator) -> dict[Placement, FloatArray]:
    """``random_pod_mounting`` for each placement, drawn in ``Placement`` order."""
    return {p: random_pod_mounting(rng) for p in Placement}


def checked_mounting(mounting: Mapping[Placement, FloatArray]) -> dict[Placement, FloatArray]:
    """Validate a user mounting; placements it leaves out get the identity."""
    out = identity_mounting()
    for placement, mat in mounting.items():
        m = np.asarray(mat, dtype=np.float64)
        if m.shape != (3, 3) or not np.allclose(m.T @ m, np.eye(3), atol=1e-6):
            raise ValueError(f"mounting for {placement} is not a 3x3 rotation matrix")
        if np.linalg.det(m) < 0:
            raise ValueError(f"mounting for {placement} is a reflection, not a rotation")
        out[Placement(placement)] = m
    return out
