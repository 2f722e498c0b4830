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

from collections.abc import Callable
from functools import partial

import imufusion
import numpy as np
from scipy.signal import butter, lfilter, lfilter_zi

from drivers.types import FloatArray

NO_MAGNETOMETER = np.zeros(3, dtype=np.float32)


class SegmentOrientationStage:
    """Streaming orientation of one trunk or pelvis pod.

    ``update(acc_g, gyro_dps, first_index, axes)`` always runs the AHRS over every sample (so it
    has converged by the time axes are known); if ``axes`` (rows x, y, z in sensor
    coordinates) is given, also fills ``angles_deg_`` (m, 3): flexion, lateral bend, axial
    rotation, and ``kept_`` (n,) marking the samples they belong to — those whose absolute
    index is a multiple of ``every`` (trunk and pelvis move slowly: ≤ ~100 Hz is plenty).

    The AHRS steps once per kept sample, at ``rate_hz / every``: its gyro input is the
    mean rate over the ``every`` samples since the previous kept one (so the whole rotation
    is integrated, none skipped), its gravity reference the low-passed specific force at the
    kept sample. Samples after the last kept one wait for the next call.
    """

    def __init__(
        self,
        rate_hz: float,
        gain: float = 0.1,
        heading_tau_s: float = 3.0,
        gravity_cutoff_hz: float = 0.5,
        level_cutoff_hz: float = 0.1,
        every: int = 1,
    ) -> None:
        self.rate_hz = rate_hz
        self.gain = gain
        self.heading_tau_s = heading_tau_s
        self.gravity_cutoff_hz = gravity_cutoff_hz
        self.every = max(1, int(every))
        alpha = 1.0 - np.exp(-2.0 * np.pi * gravity_cutoff_hz / rate_hz)
        self._gravity_ba = (np.array([alpha]), np.array([1.0, alpha - 1.0]))
        self._gravity_zi: FloatArray | None = None
        self._ahrs = imufusion.Ahrs()
        settings = imufusion.AhrsSettings()
        settings.gain = gain  # acceleration rejection left off: running acc averages to gravity
        settings.sample_rate = max(1, round(rate_hz / self.every))
        self._ahrs.set_settings(settings)
        self._ahrs.set_sample_period(self.every / rate_hz)
        self._gyro_carry = np.zeros((0, 3))  # samples since the last kept one
        beta = 1.0 - np.exp(-self.every / (heading_tau_s * rate_hz))
        self._heading_ba = (np.array([beta]), np.array([1.0, beta - 1.0]))
        self._heading_zi: FloatArray | None = None
        self._last_heading = 0.0
        self.angles_deg_ = np.zeros((0, 3))
        self.kept_ = np.zeros(0, dtype=bool)
        self._level_ba = butter(2, level_cutoff_hz / (0.5 * rate_hz / self.every))
        self._level_zi: FloatArray | None = None
        self._free_heading = False

    def update(
        self,
        acc_g: FloatArray,
        gyro_dps: FloatArray,
        first_index: int = 0,
        axes: FloatArray | None = None,
    ) -> None:
        self.kept_ = (first_index + np.arange(acc_g.shape[0])) % self.every == 0
        quats = self._track(acc_g, gyro_dps, self.kept_)
        if quats.shape[0] == 0:
            self.angles_deg_ = np.zeros((0, 3))
            return
        earth = self._levelled(quaternion_matrices(quats), acc_g[self.kept_])
        if axes is None:
            self.angles_deg_ = np.zeros((0, 3))
            self.kept_ = np.zeros(acc_g.shape[0], dtype=bool)
            return
        segment = earth @ axes.T  # earth <- segment, (m, 3, 3)
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

    def _track(self, acc_g: FloatArray, gyro_dps: FloatArray, kept: FloatArray) -> FloatArray:
        """AHRS quaternions (w, x, y, z) at the kept samples; gravity reference = one-pole
        low-passed acc."""
        if acc_g.shape[0] == 0:
            return np.zeros((0, 4))
        b, a = self._gravity_ba
        if self._gravity_zi is None:
            self._gravity_zi = (1.0 - b[0]) * acc_g[0][None, :]  # start settled on sample 0
        gravity, self._gravity_zi = lfilter(b, a, acc_g, axis=0, zi=self._gravity_zi)
        steps = self._gyro_steps(gyro_dps, kept)
        quaternion = self._ahrs.get_quaternion
        update: Callable[[FloatArray, FloatArray], object] = self._ahrs.update_no_magnetometer
        if self._free_heading:  # a zero magnetometer is ignored, the heading left alone
            update = partial(_update_without_magnetometer, self._ahrs)
        quats = []
        # float32 rows: the AHRS computes in float32 and takes them without converting each
        # row itself (twice as fast, the same values).
        for g, f in zip(steps.astype(np.float32), gravity[kept].astype(np.float32), strict=True):
            update(g, f)
            quats.append(quaternion())
        return np.array(quats).reshape(-1, 4)

    def _gyro_steps(self, gyro_dps: FloatArray, kept: FloatArray) -> FloatArray:
        """(m, 3) the gyro input of each AHRS step: the sum of the rates since the previous
        kept sample over ``every`` (rate × AHRS period = the rotation of those samples)."""
        ext = np.concatenate([self._gyro_carry, gyro_dps])
        ends = np.flatnonzero(kept) + self._gyro_carry.shape[0]
        total = np.concatenate([np.zeros((1, 3)), np.cumsum(ext, axis=0)])
        starts = np.concatenate([[0], ends[:-1] + 1])
        last = int(ends[-1]) + 1 if ends.size else 0
        self._gyro_carry = ext[last:]
        return np.asarray((total[ends + 1] - total[starts]) / self.every, dtype=np.float64)

    def _levelled(self, earth: FloatArray, acc_g: FloatArray) -> FloatArray:
        """AHRS orientations (m, 3, 3) with their remaining tilt error removed.

        The AHRS's gravity reference is low-passed in sensor axes, which weights the
        postures of stance (specific force 2–3 g) over those of flight (≈ 0 g): its tilt
        settles a degree or two off. In Earth axes, though, specific force averages exactly
        to gravity over whole strides (the mean acceleration of steady running is zero), so
        its slow average (2nd-order low-pass, ``level_cutoff_hz``) gives the tilt error,
        which is rotated away.
        """
        specific = np.einsum("nij,nj->ni", earth, acc_g)
        b, a = self._level_ba
        if self._level_zi is None:
            self._level_zi = lfilter_zi(b, a)[:, None] * np.array([0.0, 0.0, 1.0])[None, :]
        vertical, self._level_zi = lfilter(b, a, specific, axis=0, zi=self._level_zi)
        return np.asarray(tilt_to_vertical(vertical) @ earth, dtype=np.float64)

    def level(self, up_sensor: FloatArray) -> None:
        """Set the AHRS tilt to the standing posture just measured (``up_sensor``: unit up
        in sensor axes), keeping its heading: whatever tilt error the gyro bias built up
        before calibration is gone, and standing reads exactly 0 flexion and lateral bend."""
        earth = quaternion_matrices(np.asarray(self._ahrs.get_quaternion())[None, :])[0]
        x = earth.T @ np.array([1.0, 0.0, 0.0])  # earth x in sensor axes
        z = up_sensor / np.linalg.norm(up_sensor)
        x = x - (x @ z) * z
        if np.linalg.norm(x) < 1e-6:
            x = np.cross([0.0, 1.0, 0.0], z)
        x = x / np.linalg.norm(x)
        rows = np.vstack([x, np.cross(z, x), z])  # earth axes in sensor coordinates
        self._ahrs.set_quaternion(matrix_quaternion(rows))
        self._level_zi = None  # the earth-frame average restarts from the levelled posture

    def start_levelled(self, up_sensor: FloatArray) -> None:
        """Before any sample: start from the standing posture ``up_sensor`` (a calibration
        brought in, e.g. a recording made after calibrating live, or a replay's seek into
        the running). Gravity's low-pass starts from the standing's, not from one sample of
        running, and the AHRS's start-up phase (its first seconds, fast tilt convergence)
        keeps integrating the heading: ``update_no_magnetometer`` holds it at 0 then, which
        the standing hides but running does not (a trunk and pelvis without axial rotation,
        then a heading that swings back, wrapping the axial angle)."""
        self.level(up_sensor)
        up = up_sensor / np.linalg.norm(up_sensor)
        self._gravity_zi = (1.0 - self._gravity_ba[0][0]) * up[None, :]
        self._free_heading = True

    def _smooth_heading(self, heading_rad: FloatArray) -> FloatArray:
        """Unwrapped heading, one-pole low-passed with ``heading_tau_s``."""
        unwrapped = np.unwrap(np.concatenate([[self._last_heading], heading_rad]))[1:]
        self._last_heading = float(unwrapped[-1])
        b, a = self._heading_ba
        if self._heading_zi is None:
            self._heading_zi = np.array([(1.0 - b[0]) * unwrapped[0]])
        out, self._heading_zi = lfilter(b, a, unwrapped, zi=self._heading_zi)
        return np.asarray(out, dtype=np.float64)


def _update_without_magnetometer(ahrs: imufusion.Ahrs, gyro: FloatArray, acc: FloatArray) -> None:
    """One AHRS step that, unlike ``update_no_magnetometer``, integrates the heading during
    the start-up phase too."""
    ahrs.update(gyro, acc, NO_MAGNETOMETER)


def _matrix_table() -> FloatArray:
    """(16, 9): coefficient of q_a·q_b (row 4a + b) in each entry of the rotation matrix,
    less the identity (w, x, y, z = 0, 1, 2, 3)."""
    table = np.zeros((16, 9))
    terms = {  # entry 3i + j: (a, b, coefficient)
        0: ((2, 2, -2), (3, 3, -2)), 1: ((1, 2, 2), (0, 3, -2)), 2: ((1, 3, 2), (0, 2, 2)),
        3: ((1, 2, 2), (0, 3, 2)), 4: ((1, 1, -2), (3, 3, -2)), 5: ((2, 3, 2), (0, 1, -2)),
        6: ((1, 3, 2), (0, 2, -2)), 7: ((2, 3, 2), (0, 1, 2)), 8: ((1, 1, -2), (2, 2, -2)),
    }  # fmt: skip
    for entry, products in terms.items():
        for a, b, coefficient in products:
            table[4 * a + b, entry] = coefficient
    return table


MATRIX_TABLE = _matrix_table()
IDENTITY = np.eye(3).ravel()


def quaternion_matrices(q: FloatArray) -> FloatArray:
    """Rotation matrices (n, 3, 3) of unit quaternions (n, 4) given as (w, x, y, z): the
    identity plus a fixed linear map of the products q_a·q_b (two array operations), in
    the precision of ``q`` (the AHRS gives float32)."""
    products = (q[:, :, None] * q[:, None, :]).reshape(-1, 16)
    table, identity = MATRIX_TABLE.astype(q.dtype), IDENTITY.astype(q.dtype)
    return np.asarray((products @ table + identity).reshape(-1, 3, 3))


def matrix_quaternion(m: FloatArray) -> FloatArray:
    """Unit quaternion (w, x, y, z) of a rotation matrix (3, 3)."""
    w = np.sqrt(max(0.0, 1.0 + m[0, 0] + m[1, 1] + m[2, 2])) / 2.0
    x = np.copysign(np.sqrt(max(0.0, 1.0 + m[0, 0] - m[1, 1] - m[2, 2])) / 2.0, m[2, 1] - m[1, 2])
    y = np.copysign(np.sqrt(max(0.0, 1.0 - m[0, 0] + m[1, 1] - m[2, 2])) / 2.0, m[0, 2] - m[2, 0])
    z = np.copysign(np.sqrt(max(0.0, 1.0 - m[0, 0] - m[1, 1] + m[2, 2])) / 2.0, m[1, 0] - m[0, 1])
    return np.array([w, x, y, z])


def tilt_to_vertical(v: FloatArray) -> FloatArray:
    """(n, 3, 3) smallest rotations taking the directions of ``v`` (n, 3) onto +z."""
    u = v / np.linalg.norm(v, axis=1, keepdims=True)
    axis = np.column_stack([u[:, 1], -u[:, 0], np.zeros(len(u))])  # u × z
    c = u[:, 2]
    k = np.zeros((len(u), 3, 3))
    k[:, 0, 2], k[:, 1, 2], k[:, 2, 0], k[:, 2, 1] = (
        axis[:, 1],
        -axis[:, 0],
        -axis[:, 1],
        axis[:, 0],
    )
    k[:, 0, 1], k[:, 1, 0] = -axis[:, 2], axis[:, 2]
    scale = (1.0 / (1.0 + np.maximum(c, -0.999)))[:, None, None]
    return np.asarray(np.eye(3) + k + (k @ k) * scale, dtype=np.float64)
