"""Smooth scalar curves the runner model is built from (all vectorised).

The body's curves are C2; the shoe's (``hermite7``, ``septic_step``, ``bump``) are C3, so that
the pod's acceleration has a continuous derivative (jerk) everywhere outside the impacts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray

STANDARD_GRAVITY_MPS2 = 9.80665
BRAKING_FRACTION = 0.7  # a stopping runner sheds its speed in this share of the ramp


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


# Coefficients of s^4..s^7 of a septic from its value, slope, curvature and jerk at s = 1.
_SEPTIC_END = np.array(
    [
        [1.0, 1.0, 1.0, 1.0],
        [4.0, 5.0, 6.0, 7.0],
        [12.0, 20.0, 30.0, 42.0],
        [24.0, 60.0, 120.0, 210.0],
    ]
)
_SEPTIC_SOLVE = np.linalg.inv(_SEPTIC_END)


def hermite7(
    s: FloatArray, y0: FloatArray, y1: FloatArray, d0: FloatArray, d1: FloatArray
) -> FloatArray:
    """Septic Hermite on s in [0, 1] with end values ``y0``, ``y1`` and end derivatives
    ``d0``, ``d1`` (..., 3): first, second and third derivative per unit s. Chained segments
    that share their knot derivatives are C3."""
    v0, a0, j0 = d0[..., 0], d0[..., 1], d0[..., 2]
    start = (y0, v0, 0.5 * a0, j0 / 6.0)
    at_one = np.stack(
        [y1 - (y0 + v0 + 0.5 * a0 + j0 / 6.0), d1[..., 0] - (v0 + a0 + 0.5 * j0),
         d1[..., 1] - (a0 + j0), d1[..., 2] - j0],
        axis=-1,
    )  # fmt: skip
    high = at_one @ _SEPTIC_SOLVE.T
    out = np.zeros_like(s)
    for coef in (*high[..., ::-1].T, *start[::-1]):  # Horner, s^7 down to s^0
        out = out * s + coef
    return np.asarray(out, dtype=np.float64)


def septic_step(u: FloatArray) -> FloatArray:
    """0 for u <= 0, 1 for u >= 1, ``35u^4 - 84u^5 + 70u^6 - 20u^7`` between (C3 at both ends)."""
    s = np.clip(u, 0.0, 1.0)
    return np.asarray(s**4 * (35.0 - 84.0 * s + 70.0 * s**2 - 20.0 * s**3), dtype=np.float64)


def bump(s: FloatArray) -> FloatArray:
    """0 at s = 0 and 1, peak 1 at s = 0.5, C3 at both ends: ``256 s^4 (1-s)^4``."""
    c = np.clip(s, 0.0, 1.0)
    return np.asarray(256.0 * c**4 * (1.0 - c) ** 4, dtype=np.float64)


@dataclass(frozen=True)
class RunTiming:
    """When the runner stands, ramps up, runs and (if ``stop_s`` is set) stops again.

    Quiet standing until ``standing_s``; the body's speed and oscillation amplitudes then
    rise smoothly to full over ``ramp_s``; the first (right) foot contact is at ``first_ic_s``.
    With ``stop_s`` (at least ``standing_s + ramp_s``) the oscillation amplitudes fall back
    to zero over ``ramp_s`` from ``stop_s`` on, the speed sooner (``BRAKING_FRACTION`` of it:
    braking is over before the bounce dies out, so the first quiet samples are of a runner
    at rest, not of one still slowing down), and the runner stands for ever after (see
    ``drivers.sim.steps`` for the last steps).
    """

    standing_s: float
    ramp_s: float
    first_ic_s: float
    stop_s: float | None = None

    def __post_init__(self) -> None:
        if self.stop_s is not None and self.stop_s < self.standing_s + self.ramp_s:
            raise ValueError("stop_s must be at least standing_s + ramp_s (after the run-up)")

    def envelope(self, t_s: FloatArray) -> FloatArray:
        """Oscillation amplitude: 0 while standing, smoothly up to 1 at the end of the ramp
        (and down to 0 again after a stop)."""
        up = smootherstep((np.asarray(t_s) - self.standing_s) / self.ramp_s)
        if self.stop_s is None:
            return up
        return np.asarray(up - smootherstep((np.asarray(t_s) - self.stop_s) / self.ramp_s))

    def forward_m(self, t_s: FloatArray, speed_mps: float) -> FloatArray:
        """Mean forward travel since standing, metres (speed times the integrated envelope)."""
        u = (np.asarray(t_s) - self.standing_s) / self.ramp_s
        travel_s = self.ramp_s * smootherstep_integral(u)
        if self.stop_s is not None:
            brake_s = BRAKING_FRACTION * self.ramp_s
            travel_s = travel_s - brake_s * smootherstep_integral(
                (np.asarray(t_s) - self.stop_s) / brake_s
            )
        return np.asarray(speed_mps * travel_s, dtype=np.float64)


def septic_through(
    t_s: FloatArray, knot_s: FloatArray, values: FloatArray, derivs: FloatArray
) -> FloatArray:
    """Piecewise ``hermite7`` through per-sample knots: times and values (n, K), physical
    derivatives (n, K, 3) (per s, s², s³). Held at the first/last knot's value outside."""
    rows = np.arange(len(t_s))
    last = knot_s.shape[1] - 1
    seg = np.clip((t_s[:, None] >= knot_s[:, 1:last]).sum(axis=1), 0, last - 1)
    t0, t1 = knot_s[rows, seg], knot_s[rows, seg + 1]
    dt = t1 - t0
    s = np.clip((t_s - t0) / dt, 0.0, 1.0)
    scale = np.stack([dt, dt**2, dt**3], axis=1)
    d0, d1 = derivs[rows, seg] * scale, derivs[rows, seg + 1] * scale
    return hermite7(s, values[rows, seg], values[rows, seg + 1], d0, d1)
