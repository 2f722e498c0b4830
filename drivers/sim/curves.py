"""Smooth scalar curves the runner model is built from (all vectorised, C2 continuous)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray

STANDARD_GRAVITY_MPS2 = 9.80665


def smootherstep(u: FloatArray) -> FloatArray:
    """0 for u <= 0, 1 for u >= 1, ``6u^5 - 15u^4 + 10u^3`` between (C2 at both ends)."""
    s = np.clip(u, 0.0, 1.0)
    return np.asarray(s**3 * (10.0 - 15.0 * s + 6.0 * s**2), dtype=np.float64)


def smootherstep_integral(u: FloatArray) -> FloatArray:
    """Integral of ``smootherstep`` from 0 to u (continues linearly past u = 1)."""
    s = np.clip(u, 0.0, 1.0)
    inside = s**6 - 3.0 * s**5 + 2.5 * s**4
    return np.asarray(inside + np.maximum(np.asarray(u) - 1.0, 0.0), dtype=np.float64)


def hermite5(
    s: FloatArray, y0: FloatArray, y1: FloatArray, dy0: FloatArray, dy1: FloatArray
) -> FloatArray:
    """Quintic Hermite on s in [0, 1] with given end values, end slopes (per unit s) and zero
    end curvature, so that chained segments are C2."""
    s2 = s * s
    s3 = s2 * s
    h01 = s3 * (10.0 - 15.0 * s + 6.0 * s2)
    h10 = s - s3 * (6.0 - 8.0 * s + 3.0 * s2)
    h11 = s3 * (-4.0 + 7.0 * s - 3.0 * s2)
    return np.asarray(y0 + (y1 - y0) * h01 + dy0 * h10 + dy1 * h11, dtype=np.float64)


def bump(s: FloatArray) -> FloatArray:
    """0 at s = 0 and 1, peak 1 at s = 0.5, C2 at both ends: ``64 s^3 (1-s)^3``."""
    c = np.clip(s, 0.0, 1.0)
    return np.asarray(64.0 * c**3 * (1.0 - c) ** 3, dtype=np.float64)


def damped_sine(t_since_s: FloatArray, freq_hz: float, tau_s: float) -> FloatArray:
    """``exp(-t/tau) sin(2 pi f t)`` for t >= 0, else 0 (an impact transient's shape)."""
    t = np.maximum(t_since_s, 0.0)
    out = np.exp(-t / tau_s) * np.sin(2.0 * np.pi * freq_hz * t)
    return np.asarray(np.where(t_since_s >= 0.0, out, 0.0), dtype=np.float64)


@dataclass(frozen=True)
class RunTiming:
    """When the runner stands, ramps up and runs.

    Quiet standing until ``standing_s``; the body's speed and oscillation amplitudes then
    rise smoothly to full over ``ramp_s``; the first (right) foot contact is at ``first_ic_s``.
    """

    standing_s: float
    ramp_s: float
    first_ic_s: float

    def envelope(self, t_s: FloatArray) -> FloatArray:
        """0 while standing, smoothly up to 1 at the end of the ramp."""
        return smootherstep((np.asarray(t_s) - self.standing_s) / self.ramp_s)

    def forward_m(self, t_s: FloatArray, speed_mps: float) -> FloatArray:
        """Mean forward travel since standing, metres (speed times the integrated envelope)."""
        u = (np.asarray(t_s) - self.standing_s) / self.ramp_s
        return speed_mps * self.ramp_s * smootherstep_integral(u)
