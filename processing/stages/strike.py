"""Foot strike angle at initial contact, relative to the quiet-standing foot.

The foot's tilt at the previous mid-stance comes from gravity (mean of a few still samples'
specific force), so a forefoot striker whose heel never settles still starts from its true
angle. From there the world-up direction is carried forward in sensor axes by integrating the
bias-corrected gyro (exact rotation per sample) up to the last sample before the impact. The
strike angle is the elevation of the foot's forward axis: asin(forward · up), positive = toes
up. At standing the forward axis is horizontal by construction, so standing is 0°.
"""

from __future__ import annotations

import math

import numpy as np

from drivers.types import FloatArray
from processing.events import StrikeThresholds, StrikeType

DEFAULT_THRESHOLDS = StrikeThresholds()


def up_at_midstance(acc_g: FloatArray) -> FloatArray:
    """Unit up vector (sensor axes) from the specific force of a few still samples, (k, 3)."""
    mean = acc_g.mean(axis=0)
    return np.asarray(mean / np.linalg.norm(mean), dtype=np.float64)


def carry_up(up: FloatArray, gyro_dps: FloatArray, dt_s: FloatArray) -> FloatArray:
    """Rotate the world-up vector (sensor axes) through the body rotations gyro·dt.

    A world-fixed vector seen from a body turning by ω dt turns by −ω dt (Rodrigues).
    """
    ux, uy, uz = (float(v) for v in up)
    for (wx, wy, wz), dt in zip(gyro_dps.tolist(), dt_s.tolist(), strict=True):
        rate = math.sqrt(wx * wx + wy * wy + wz * wz)
        if rate == 0.0:
            continue
        angle = -math.radians(rate) * dt
        kx, ky, kz = wx / rate, wy / rate, wz / rate
        c, s = math.cos(angle), math.sin(angle)
        dot = (kx * ux + ky * uy + kz * uz) * (1.0 - c)
        cx, cy, cz = ky * uz - kz * uy, kz * ux - kx * uz, kx * uy - ky * ux
        ux, uy, uz = (
            ux * c + cx * s + kx * dot,
            uy * c + cy * s + ky * dot,
            uz * c + cz * s + kz * dot,
        )
    return np.array([ux, uy, uz])


class FootStrikeStage:
    """Strike angle of one foot from its rows (t_s, acc_g xyz, gyro_dps xyz) mid-stance → IC.

    ``still_samples`` around the mid-stance sample average its gravity reading. Results of
    the last ``update``: ``fsa_deg_`` (nan if not computable) and ``strike_``.
    """

    def __init__(
        self, thresholds: StrikeThresholds = DEFAULT_THRESHOLDS, still_samples: int = 3
    ) -> None:
        self.thresholds = thresholds
        self.still_samples = still_samples
        self.fsa_deg_ = float("nan")
        self.strike_: StrikeType | None = None

    def update(self, rows: FloatArray, forward: FloatArray, gyro_bias_dps: FloatArray) -> None:
        """``rows`` start at the mid-stance sample and end at the last sample before IC."""
        self.fsa_deg_, self.strike_ = float("nan"), None
        if rows.shape[0] < 2:
            return
        still = rows[: self.still_samples]
        up = up_at_midstance(still[:, 1:4])
        gyro = 0.5 * (rows[:-1, 4:7] + rows[1:, 4:7]) - gyro_bias_dps  # trapezoid
        up_ic = carry_up(up, gyro, np.diff(rows[:, 0]))
        fsa = math.degrees(math.asin(max(-1.0, min(1.0, float(forward @ up_ic)))))
        self.fsa_deg_ = fsa
        self.strike_ = self.thresholds.classify(fsa)
