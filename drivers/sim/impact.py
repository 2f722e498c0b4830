"""Landing transients: damped oscillations added to a pod's acceleration at each contact.

A transient is ``peak * exp(-t/tau) sin(2 pi f t) / max(exp(-t/tau) sin(2 pi f t))`` along a
fixed world direction, so ``peak`` is the largest value the transient itself reaches. It is
too short to be worth integrating into position, so it enters the signals as acceleration only.

At the shoe its size and sharpness follow the strike: a rearfoot (heel) strike rings hard and
fast (~7.5 g, ~26 Hz, 11 ms decay at FSA 18°), a forefoot landing is cushioned by the ankle
but still several g (~2.6 g, ~18 Hz, 15 ms decay at FSA -7°), a midfoot strike in between.
The ringing is heavily damped (gone by mid-stance), as a shoe's sole and the soft tissue make it.
Values interpolate linearly in the foot strike angle, so that "mixed" runners vary smoothly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.sim.curves import STANDARD_GRAVITY_MPS2
from drivers.types import FloatArray

# foot strike angle (deg) -> transient peak (g), frequency (Hz), decay time constant (s)
IMPACT_FSA_DEG = np.array([-10.0, 0.0, 15.0, 25.0])
IMPACT_PEAK_G = np.array([2.2, 3.5, 7.0, 8.5])
IMPACT_FREQ_HZ = np.array([17.0, 20.0, 25.0, 27.0])
IMPACT_TAU_S = np.array([0.016, 0.014, 0.011, 0.010])


@dataclass(frozen=True)
class Impact:
    """Per-sample transient parameters: peak (g), frequency (Hz), decay time constant (s)."""

    peak_g: FloatArray
    freq_hz: FloatArray
    tau_s: FloatArray

    def scaled(self, gain: FloatArray | float) -> Impact:
        """The same ringing with the peak times ``gain`` (scalar or per sample)."""
        return Impact(self.peak_g * gain, self.freq_hz, self.tau_s)

    def ringing(self, freq_hz: float, tau_s: float) -> Impact:
        """The same peaks ringing at another frequency and decay (another segment's)."""
        n = np.ones_like(self.peak_g)
        return Impact(self.peak_g, freq_hz * n, tau_s * n)


def foot_impact(fsa_deg: FloatArray, peak_g: float | None = None) -> Impact:
    """The shoe's landing transient for each foot strike angle (+ toes up), degrees; with
    ``peak_g`` that peak for every strike (frequency and decay still follow the angle)."""
    fsa = np.asarray(fsa_deg, dtype=np.float64)
    peak = np.interp(fsa, IMPACT_FSA_DEG, IMPACT_PEAK_G)
    return Impact(
        peak if peak_g is None else np.full_like(peak, peak_g),
        np.interp(fsa, IMPACT_FSA_DEG, IMPACT_FREQ_HZ),
        np.interp(fsa, IMPACT_FSA_DEG, IMPACT_TAU_S),
    )


def unit_damped_sine(t_since_s: FloatArray, freq_hz: FloatArray, tau_s: FloatArray) -> FloatArray:
    """``exp(-t/tau) sin(2 pi f t)`` scaled to a peak of 1, for t >= 0; 0 before."""
    omega = 2.0 * np.pi * np.asarray(freq_hz)
    t_peak = np.arctan(omega * tau_s) / omega
    peak = np.exp(-t_peak / tau_s) * np.sin(omega * t_peak)
    t = np.maximum(t_since_s, 0.0)
    out = np.exp(-t / tau_s) * np.sin(omega * t) / peak
    return np.asarray(np.where(t_since_s >= 0.0, out, 0.0), dtype=np.float64)


def impact_acc_mps2(t_since_s: FloatArray, impact: Impact, direction: FloatArray) -> FloatArray:
    """The transient along the fixed world ``direction``, (n, 3) m/s²."""
    shape = unit_damped_sine(t_since_s, impact.freq_hz, impact.tau_s)
    unit = np.asarray(direction, dtype=np.float64) / np.linalg.norm(direction)
    acc = (impact.peak_g * STANDARD_GRAVITY_MPS2 * shape)[:, None] * unit
    return np.asarray(acc, dtype=np.float64)
