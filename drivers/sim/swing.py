"""Terminal swing: how the shoe slows down and turns its toes down just before contact.

Without a ``TerminalSwing`` condition the shoe covers its swing displacement along
``septic_step(s)`` (s = fraction of swing), a bell of forward velocity whose deceleration
peaks ~70 % into swing, and lands with zero pitch rate. With one:

- Progression ``u(s) = (1 - lam) septic_step(s) + lam q(s)``: ``q`` is a C3 progression whose
  velocity rises over the first ``RISE_FRACTION`` of swing, holds, and falls back to zero
  along a septic step over the last ``w = window_s / swing time``, so its deceleration peaks
  ``window_s / 2`` before contact at ``2.1875 c / w`` (per unit s², ``c`` the plateau
  velocity). ``lam`` is set per step so that the foot's forward deceleration there, the
  bell's share included, is ``decel_g``; the toes-down pitch curvature below pushes the
  pod (6 cm above the sole) forward by ``0.06 m * 2 d / L²``, which the progression makes
  up (measured peaks: within 15 % or 0.6 g of ``decel_g``). Without the condition the foot
  already decelerates at ~2-3 g 40 ms before contact (and ~8-10 g ~125 ms before): about the
  floor.
- Pitch: a knot at ``L = pitch_lead_s`` before each real contact holds the peak,
  ``FSA + d`` (``d = pitch_drop_deg``); from there to contact the pitch is exactly
  ``FSA + d - d (1 + t/L)²`` (t from contact, a quadratic is a septic), so the contact knot
  gets a toes-down rate ``-2 d / L`` and curvature ``-2 d / L²``, and the next stance starts
  with them (C3). Before a virtual (flat, last) contact the foot is flat from that knot on.
"""

from __future__ import annotations

import numpy as np

from drivers.sim.conditions import TerminalSwing
from drivers.sim.curves import STANDARD_GRAVITY_MPS2, septic_step
from drivers.sim.foot_pitch import Knots
from drivers.types import FloatArray

RISE_FRACTION = 0.3
POD_ABOVE_SOLE_M = 0.06  # drivers.sim.foot: the pod turns about the sole this far below it
SEPTIC_MAX_SLOPE = 2.1875  # max of septic_step', at 0.5


def septic_step_integral(u: FloatArray) -> FloatArray:
    """Integral of ``septic_step`` from 0 to u (continues linearly past u = 1)."""
    s = np.clip(u, 0.0, 1.0)
    inside = s**5 * (7.0 - 14.0 * s + 10.0 * s**2 - 2.5 * s**3)
    return np.asarray(inside + np.maximum(np.asarray(u) - 1.0, 0.0), dtype=np.float64)


def _plateau_progress(s: FloatArray, w: FloatArray) -> FloatArray:
    """``q(s)``: 0 at s = 0, 1 at s = 1; velocity up over RISE_FRACTION, down over ``w``."""
    a = RISE_FRACTION
    area = 1.0 - 0.5 * a - 0.5 * w
    up = a * septic_step_integral(s / a)
    down = w * septic_step_integral((s - (1.0 - w)) / w)
    return np.asarray((up - down) / area, dtype=np.float64)


def _lam(
    cond: TerminalSwing, w: FloatArray, swing_s: FloatArray, swing_m: FloatArray
) -> FloatArray:
    """The share of ``q`` that gives ``decel_g`` of deceleration mid-window, bell included."""
    scale = np.abs(swing_m) / swing_s**2
    plateau = 1.0 / (1.0 - 0.5 * RISE_FRACTION - 0.5 * w)
    q_peak = scale * plateau * SEPTIC_MAX_SLOPE / w
    s_mid = 1.0 - 0.5 * w
    bell = -scale * 420.0 * s_mid**2 * (1.0 - s_mid) ** 2 * (1.0 - 2.0 * s_mid)  # -septic''
    pitch_push = POD_ABOVE_SOLE_M * np.radians(2.0 * cond.pitch_drop_deg / cond.pitch_lead_s**2)
    target = cond.decel_g * STANDARD_GRAVITY_MPS2 + pitch_push
    lam = (target - bell) / np.maximum(q_peak - bell, 1e-9)
    return np.asarray(np.clip(lam, 0.0, 1.0), dtype=np.float64)


def swing_progress(
    s: FloatArray,
    swing_s: FloatArray,
    swing_m: FloatArray,
    cond: TerminalSwing | None,
) -> FloatArray:
    """Share of the swing displacement covered at swing fraction ``s`` (0 before, 1 after),
    for swings lasting ``swing_s`` and covering ``swing_m`` forward."""
    base = septic_step(s)
    if cond is None:
        return base
    c = np.clip(s, 0.0, 1.0)
    w = np.clip(cond.window_s / swing_s, 0.02, 0.5)
    lam = _lam(cond, w, swing_s, swing_m)
    return np.asarray((1.0 - lam) * base + lam * _plateau_progress(c, w), dtype=np.float64)


def with_pitch_peak(
    pitch: Knots, cond: TerminalSwing, real: FloatArray, next_real: FloatArray
) -> Knots:
    """Pitch knots K0..K5 of ``drivers.sim.foot_pitch`` with the peak knot inserted before
    K5 and the contact derivatives set at K0 (this contact) and K5 (the next)."""
    lead_s, drop = cond.pitch_lead_s, cond.pitch_drop_deg
    at_contact = np.array([-2.0 * drop / lead_s, -2.0 * drop / lead_s**2, 0.0])
    at_peak = np.array([0.0, -2.0 * drop / lead_s**2, 0.0])
    derivs = pitch.derivs.copy()
    derivs[:, 0] = real[:, None] * at_contact
    derivs[:, 5] = next_real[:, None] * at_contact
    peak_s = pitch.time_s[:, 5] - np.minimum(
        lead_s, 0.5 * (pitch.time_s[:, 5] - pitch.time_s[:, 4])
    )
    time_s = np.insert(pitch.time_s, 5, peak_s, axis=1)
    value = np.insert(pitch.value, 5, pitch.value[:, 5] + next_real * drop, axis=1)
    derivs = np.insert(derivs, 5, next_real[:, None] * at_peak, axis=1)
    return Knots(time_s, value, derivs)
