"""The shoe's sagittal pitch over one foot cycle (contact to next contact), as septic knots.

Pitch is the elevation of the foot's long axis above horizontal, degrees, + toes up. Each
knot fixes the pitch and its first three time derivatives (rate °/s, rate' °/s², rate'' °/s³),
so the curve through them (``drivers.sim.curves.septic_through``) is C3 and the pod's
acceleration has no kinks (jerk steps) anywhere; the landing is added as a separate transient.

=========  ========================  ==========  =========  ==========  =============
knot       time                      pitch       rate       rate'       rate''
=========  ========================  ==========  =========  ==========  =============
K0 IC      contact                   FSA         0          0           0
K1 flat    IC + time to flat         0           0          0           0
K2 heel    IC + 0.55 contact         0           0          0           0
K3 TO      toe-off = IC + contact    p_to        R (peak)   0           -κ R / T_p²
K4 min     TO + 10 % of swing        p_min       0          -m R / T_d  0
K5 IC'     next contact              next FSA    0          0           0
=========  ========================  ==========  =========  ==========  =============

Toe-off is where the foot's toes-down (plantarflexion) rate peaks (Falbriard et al. 2018): the
foot rolls over the toes ever faster until it leaves the ground, then swing decelerates the
rotation, which reverses at the lowest pitch ``p_min`` (drawn per step, about -68°) shortly
after. Between heel-off and TO (``T_p``) the rate is the quintic ``R f(s)`` with
``f(0) = f'(0) = f''(0) = 0``, ``f(1) = 1``, ``f'(1) = 0``, ``f''(1) = -κ``: monotone, so the
peak is exactly at TO and rounded (κ = 2). From TO to the minimum (``T_d``) it is the quintic
that continues that curvature and crosses zero with slope ``-m R / T_d`` (m = 0.6), which
sets the swing's reversal. Their integrals (``1/2 - κ/120`` and ``1/2 + m/10 - κ_d/120``
times duration, from the quintic Hermite basis) give ``R`` and ``p_to`` from ``p_min``:
``p_min = R (T_p I_p + T_d I_d)``, ``p_to = R T_p I_p`` (about -800..-950 °/s and -46°).
Swing is one segment from the lowest pitch to the next contact: the rate peaks near +600 °/s
early in swing and the toes rise above the landing angle (a few degrees before a heel strike,
~15° before a forefoot landing) before the foot lowers to land with zero rate.

Time to foot flat is ``12 ms * sqrt(FSA)``, at least 40 ms, for a heel-first strike (about
50 ms, 15-20 % of stance, for FSA 18°: the "foot slap") and 28 % of stance for a toe-first one
(heel lowering). The 40 ms floor keeps a midfoot strike's few degrees from ending in a jolt.

A runner's last contacts (``drivers.sim.steps``) stay flat for an extra ``hold_s`` before
heel-off: K2 and the knots after it move that much later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray

HEEL_SLAP_S_PER_SQRT_DEG = 0.012  # heel strike: time to foot flat = 12 ms * sqrt(FSA / deg)
MIN_FLAT_S = 0.040  # a midfoot strike lowers its few degrees in no less than 40 ms
TOE_LOWERING_FRACTION = 0.28  # toe strike: heel lowered to flat after 28 % of stance
HEEL_OFF_FRACTION = 0.55
PUSH_OFF_CURVATURE = 2.0  # κ: roundness of the toes-down rate peak at toe-off
SWING_MIN_AT = 0.10  # lowest pitch after this fraction of swing
REVERSAL_SLOPE = 0.6  # m: rate slope where it crosses zero at the lowest pitch, in R / T_d
KNOT_COUNT = 6


@dataclass(frozen=True)
class Knots:
    """Knot times (n, K) s, values (n, K) and derivatives (n, K, 3): d/dt, d²/dt², d³/dt³."""

    time_s: FloatArray
    value: FloatArray
    derivs: FloatArray

    def with_values(self, values: FloatArray) -> Knots:
        """Another curve through the same knot times, flat (zero derivatives) at each knot."""
        value = np.broadcast_to(values, self.value.shape).copy()
        return Knots(self.time_s, value, np.zeros_like(self.derivs))


def flat_after_s(fsa_deg: FloatArray, contact_s: FloatArray) -> FloatArray:
    """Time from contact to foot flat. Heel strikes slap down in a time growing with the square
    root of the FSA (so peak angular acceleration stays bounded); toe strikes lower the heel
    slowly."""
    slap = np.maximum(HEEL_SLAP_S_PER_SQRT_DEG * np.sqrt(np.abs(fsa_deg)), MIN_FLAT_S)
    flat = np.where(fsa_deg >= 0.0, slap, TOE_LOWERING_FRACTION * contact_s)
    return np.asarray(np.minimum(flat, 0.3 * contact_s), dtype=np.float64)


def knot_times_s(
    ic_s: FloatArray,
    contact_s: FloatArray,
    next_ic_s: FloatArray,
    fsa_deg: FloatArray,
    hold_s: FloatArray | float = 0.0,
) -> FloatArray:
    """(n, 6) times of K0..K5."""
    to = ic_s + contact_s + hold_s
    cols = [
        ic_s,
        ic_s + flat_after_s(fsa_deg, contact_s),
        ic_s + HEEL_OFF_FRACTION * contact_s + hold_s,
        to,
        to + SWING_MIN_AT * (next_ic_s - to),
        next_ic_s,
    ]
    return np.stack(cols, axis=1)


def push_off(
    push_s: FloatArray, dip_s: FloatArray, min_pitch_deg: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Peak toes-down rate R (°/s, negative) and pitch at toe-off (°) for a heel-off-to-TO time
    ``push_s``, a TO-to-lowest-pitch time ``dip_s`` and the lowest pitch."""
    kappa_dip = PUSH_OFF_CURVATURE * (dip_s / push_s) ** 2
    area_push = push_s * (0.5 - PUSH_OFF_CURVATURE / 120.0)
    area_dip = dip_s * (0.5 + REVERSAL_SLOPE / 10.0 - kappa_dip / 120.0)
    rate = min_pitch_deg / (area_push + area_dip)
    return rate, rate * area_push


def pitch_knots(
    ic_s: FloatArray,
    contact_s: FloatArray,
    next_ic_s: FloatArray,
    fsa_deg: FloatArray,
    next_fsa_deg: FloatArray,
    min_pitch_deg: FloatArray,
    hold_s: FloatArray | float = 0.0,
) -> Knots:
    """The pitch knots of the cycles starting at contacts ``ic_s`` (one row per sample)."""
    time_s = knot_times_s(ic_s, contact_s, next_ic_s, fsa_deg, hold_s)
    push_s = time_s[:, 3] - time_s[:, 2]
    dip_s = time_s[:, 4] - time_s[:, 3]
    rate, to_pitch = push_off(push_s, dip_s, min_pitch_deg)
    zero = np.zeros_like(fsa_deg)
    value = np.stack([fsa_deg, zero, zero, to_pitch, min_pitch_deg, next_fsa_deg], axis=1)
    derivs = np.zeros((len(fsa_deg), KNOT_COUNT, 3))
    derivs[:, 3, 0] = rate
    derivs[:, 3, 2] = -PUSH_OFF_CURVATURE * rate / push_s**2
    derivs[:, 4, 1] = -REVERSAL_SLOPE * rate / dip_s
    return Knots(time_s, value, derivs)
