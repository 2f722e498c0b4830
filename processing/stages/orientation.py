"""Trunk / pelvis orientation: imufusion AHRS, then Cardan angles relative to standing.

The AHRS (no magnetometer) tracks the sensor's orientation in an Earth frame with an
arbitrary, slowly drifting heading. Its gravity reference is the specific force low-passed
at ``gravity_cutoff_hz`` (causal, one pole): over whole strides running specific force
averages to gravity, whereas the instantaneous direction (near free fall in flight) does
not — fed raw, the AHRS settles on a tilt biased by tens of degrees.

With the segment axes from alignment, the segment's orientation is
R = R_earth←sensor · axesᵀ. Its heading (direction of its forward axis in the horizontal
plane) is smoothed with a first-order low-pass of ``heading_tau_s``; relative to that
running direction the orientation is decomposed as R = Ry(flexion) · Rx(lateral) · Rz(axial)
(flexion → lateral bend → axial rotation). Signs follow the world convention: flexion +
forward, lateral bend + right, axial rotation + turning left. At quiet standing the
segment's z axis is vertical, so flexion and lateral bend are 0 there.
"""

from __future__ import annotations

import imufusion
import numpy as np

from drivers.types import FloatArray


class SegmentOrientationStage:
    """Streaming orientation of one trunk or pelvis pod.

    ``update(acc_g, gyro_dps)`` always runs the AHRS (so it has converged by the time axes are
    known); if ``axes`` (rows x, y, z in sensor coordinates) is given, also fills
    ``angles_deg_`` (n, 3): flexion, lateral bend, axial rotation for the samples of the call.
    """

    def __init__(
        self,
        rate_hz: float,
        gain: float = 0.1,
        heading_tau_s: float = 3.0,
        gravity_cutoff_hz: float = 0.5,
    ) -> None:
        self.rate_hz = rate_hz
        self.gain = gain
        self.heading_tau_s = heading_tau_s
        self.gravity_cutoff_hz = gravity_cutoff_hz
        self._gravity_alpha = 1.0 - np.exp(-2.0 * np.pi * gravity_cutoff_hz / rate_hz)
        self._gravity: FloatArray | None = None
        self._heading: float | None = None
        self._ahrs = imufusion.Ahrs()
        settings = imufusion.AhrsSettings()
        settings.gain = gain  # acceleration rejection left off: running acc averages to gravity
        settings.sample_rate = round(rate_hz)
        self._ahrs.set_settings(settings)
        self._ahrs.set_sample_period(1.0 / rate_hz)
        self._alpha = 1.0 - np.exp(-1.0 / (heading_tau_s * rate_hz))
        self._last_heading = 0.0
        self.angles_deg_ = np.zeros((0, 3))

    def update(
        self, acc_g: FloatArray, gyro_dps: FloatArray, axes: FloatArray | None = None
    ) -> None:
        quats = self._track(acc_g, gyro_dps)
        if axes is None or quats.shape[0] == 0:
            self.angles_deg_ = np.zeros((0, 3))
            return
        segment = quaternion_matrices(quats) @ axes.T  # earth <- segment, (n, 3, 3)
        heading = self._smooth_heading(np.arctan2(segment[:, 1, 0], segment[:, 0, 0]))
        c, s = np.cos(heading)[:, None], np.sin(heading)[:, None]
        row0 = c * segment[:, 0, :] + s * segment[:, 1, :]  # Rz(−heading) @ segment
        row1 = -s * segment[:, 0, :] + c * segment[:, 1, :]
        row2 = segment[:, 2, :]
        self.angles_deg_ = np.degrees(
            np.column_stack([
                np.arctan2(row0[:, 2], row2[:, 2]),  # R = Ry(flex) Rx(lat) Rz(axial)
                np.arcsin(np.clip(-row1[:, 2], -1.0, 1.0)),
                np.arctan2(row1[:, 0], row1[:, 1]),
            ])
        )  # fmt: skip

    def _track(self, acc_g: FloatArray, gyro_dps: FloatArray) -> FloatArray:
        """AHRS quaternions (w, x, y, z), gravity reference = one-pole low-passed acc."""
        quats = np.empty((acc_g.shape[0], 4))
        if self._gravity is None:
            self._gravity = acc_g[0].copy()
        gravity, alpha, ahrs = self._gravity, self._gravity_alpha, self._ahrs
        for k in range(acc_g.shape[0]):
            gravity += alpha * (acc_g[k] - gravity)
            ahrs.update_no_magnetometer(gyro_dps[k], gravity)
            quats[k] = ahrs.get_quaternion()
        return quats

    def _smooth_heading(self, heading_rad: FloatArray) -> FloatArray:
        """Unwrapped heading, one-pole low-passed with ``heading_tau_s``."""
        unwrapped = np.unwrap(np.concatenate([[self._last_heading], heading_rad]))[1:]
        self._last_heading = float(unwrapped[-1])
        out = np.empty_like(unwrapped)
        level = self._heading if self._heading is not None else float(unwrapped[0])
        for k, value in enumerate(unwrapped.tolist()):
            level += self._alpha * (value - level)
            out[k] = level
        self._heading = level
        return out


def quaternion_matrices(q: FloatArray) -> FloatArray:
    """Rotation matrices (n, 3, 3) of unit quaternions (n, 4) given as (w, x, y, z)."""
    w, x, y, z = q[:, 0], q[:, 1], q[:, 2], q[:, 3]
    return np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], axis=1),
            np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], axis=1),
            np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], axis=1),
        ],
        axis=1,
    )
