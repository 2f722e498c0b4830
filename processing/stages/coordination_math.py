"""The array math of ``processing.stages.coordination``: vector coding, continuous relative
phase and circular statistics (see that module's docstring for the definitions).

Every function works along the last axis and broadcasts over leading ones, so the stage
treats all couplings of all strides of a chunk in a few array operations. Directions are
carried as unit vectors (cos, sin): a relative phase is a product of them and a circular
mean the direction of their sum — no angle is wrapped, converted or re-expanded.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import NDArray

from drivers.types import FloatArray

BoolArray = NDArray[np.bool_]
Directions = tuple[FloatArray, FloatArray]  # (cos, sin), 0 where there is no direction

SHARE_ORDER = (1, 3, 0, 2, 4)  # bins as in-phase, anti-phase, x-phase, y-phase, none


# ------------------------------------------------------------------------ vector coding
def steps_angles_deg(dx: FloatArray, dy: FloatArray) -> FloatArray:
    """Direction of each step (dx, dy) in [0, 360); NaN where nothing moved."""
    gamma = np.degrees(np.arctan2(dy, dx)) % 360.0
    return np.where((dx == 0.0) & (dy == 0.0), np.nan, gamma)


def coupling_angles_deg(x: FloatArray, y: FloatArray) -> FloatArray:
    """Vector-coding coupling angle of each interval, [0, 360); NaN where nothing moved."""
    return steps_angles_deg(np.diff(x), np.diff(y))


def shares_pct(gamma_deg: FloatArray) -> FloatArray:
    """(rows, 4): in-phase, anti-phase, x-phase, y-phase percentages of the finite coupling
    angles of each row of a 2-D array; NaN for a row without any."""
    finite = np.isfinite(gamma_deg)
    bins = np.floor(((np.where(finite, gamma_deg, 0.0) + 22.5) % 180.0) / 45.0)  # 0 x, 1 in,
    bins = np.where(finite, bins, 4.0).astype(np.intp)  # 2 y, 3 anti, 4 not moving
    rows = gamma_deg.shape[0]
    flat = (5 * np.arange(rows)[:, None] + bins).ravel()
    counts = np.bincount(flat, minlength=5 * rows).reshape(rows, 5)[:, SHARE_ORDER]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(100.0 * counts[:, :4] / finite.sum(axis=1)[:, None])


def phase_shares_pct(gamma_deg: FloatArray) -> tuple[float, float, float, float]:
    """(in-phase, anti-phase, x-phase, y-phase) percentages of the finite coupling angles."""
    in_pct, anti_pct, x_pct, y_pct = shares_pct(gamma_deg[None, :])[0].tolist()
    return in_pct, anti_pct, x_pct, y_pct


def step_directions(dx: FloatArray, dy: FloatArray) -> Directions:
    """Unit direction (cos, sin) of each step; (0, 0) where nothing moved."""
    length = np.hypot(dx, dy)
    scale = np.divide(1.0, length, out=np.zeros_like(length), where=length > 0.0)
    return dx * scale, dy * scale


def directions_deg(angles_deg: FloatArray) -> Directions:
    """Unit directions (cos, sin) of angles in degrees; (0, 0) where NaN."""
    finite = np.isfinite(angles_deg)
    rad = np.radians(np.where(finite, angles_deg, 0.0))
    return np.where(finite, np.cos(rad), 0.0), np.where(finite, np.sin(rad), 0.0)


def axial_means_deg(cos: FloatArray, sin: FloatArray, count: FloatArray | float) -> FloatArray:
    """Mean orientation modulo 180 (doubled-angle circular mean), [0, 180), of the ``count``
    unit directions along the last axis ((0, 0) entries are not counted); NaN if none."""
    c2, s2 = (cos * cos - sin * sin).sum(axis=-1), (2.0 * cos * sin).sum(axis=-1)
    return np.asarray(mean_direction_deg(c2, s2, count) / 2.0 % 180.0, dtype=np.float64)


def axial_mean_deg(gamma_deg: FloatArray) -> float:
    """Mean orientation of angles taken modulo 180 (doubled-angle circular mean), [0, 180)."""
    cos, sin = directions_deg(gamma_deg)
    return float(axial_means_deg(cos, sin, np.isfinite(gamma_deg).sum(axis=-1)))


# ------------------------------------------------------------------ circular statistics
def mean_direction_deg(
    cos_sum: FloatArray, sin_sum: FloatArray, count: FloatArray | float
) -> FloatArray:
    """Direction (-180, 180] of the mean of ``count`` unit vectors summed; NaN if none."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.degrees(np.arctan2(sin_sum / count, cos_sum / count)))


def resultant_sd_deg(
    cos_sum: FloatArray, sin_sum: FloatArray, count: FloatArray | float
) -> FloatArray:
    """Circular SD ``sqrt(-2 ln R)`` (degrees) of ``count`` unit vectors summed; NaN if none."""
    with np.errstate(invalid="ignore", divide="ignore"):
        r2 = np.clip((cos_sum * cos_sum + sin_sum * sin_sum) / (count * count), 1e-24, 1.0)
    return np.asarray(np.degrees(np.sqrt(-np.log(r2))), dtype=np.float64)


def circular_mean_deg(angles_deg: FloatArray, axis: int | None = None) -> FloatArray:
    """Circular mean in (-180, 180], NaNs ignored."""
    cos, sin = directions_deg(angles_deg)
    return mean_direction_deg(cos.sum(axis), sin.sum(axis), np.isfinite(angles_deg).sum(axis))


def circular_sd_deg(angles_deg: FloatArray, axis: int | None = None) -> FloatArray:
    """Circular standard deviation ``sqrt(-2 ln R)``, degrees, NaNs ignored."""
    cos, sin = directions_deg(angles_deg)
    return resultant_sd_deg(cos.sum(axis), sin.sum(axis), np.isfinite(angles_deg).sum(axis))


def mean_sd_deg(cos_sum: FloatArray, sin_sum: FloatArray, count: FloatArray) -> FloatArray:
    """Per row: the circular SD at each point (unit vectors summed, ``count`` of them at each
    point), averaged over the points that had any; NaN for a row without any."""
    sd = resultant_sd_deg(cos_sum, sin_sum, count)
    seen = np.broadcast_to(count > 0, sd.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(seen, sd, 0.0).sum(axis=-1) / seen.sum(axis=-1)
    return np.asarray(mean, dtype=np.float64)


# ------------------------------------------------------------ continuous relative phase
@cache
def _hilbert_weights(n: int) -> FloatArray:
    """-i·sign(frequency) on the rfft bins of n samples (0 at DC and Nyquist), as the
    factor of i: the Hilbert transform is irfft(-1j · weights · rfft(x))."""
    w = np.zeros(n // 2 + 1)
    w[1 : (n + 1) // 2] = 1.0
    return w


def hilbert(x: FloatArray) -> FloatArray:
    """Hilbert transform of each row (FFT, rows taken as periodic): the imaginary part of
    the analytic signal ``x + i·H(x)``."""
    n = x.shape[-1]
    return np.fft.irfft(np.fft.rfft(x, axis=-1) * (-1j * _hilbert_weights(n)), n=n, axis=-1)


def periodic_analytic(x: FloatArray, last: int) -> Directions:
    """(real, imaginary) analytic signal at the ``last`` samples of each row of ``x``
    (n + 1 samples, the last closing the cycle): detrended so ``x[-1] == x[0]``, centred,
    transformed over ``x[:-1]``; the closing sample takes the first one's value."""
    n = x.shape[-1] - 1
    ramp = (x[..., -1:] - x[..., :1]) * np.arange(n + 1) / n
    periodic = (x - ramp)[..., :n]
    periodic = periodic - periodic.mean(axis=-1, keepdims=True)
    h = hilbert(periodic)
    pick = np.r_[n + 1 - last : n, 0]
    return periodic[..., pick], h[..., pick]


def relative_directions(x: FloatArray, y: FloatArray, last: int) -> Directions:
    """Continuous relative phase ``phase(y) - phase(x)`` as unit vectors (cos, sin) at the
    ``last`` samples of each row (rows of n + 1 samples closing a cycle, see
    ``periodic_analytic``); phase 0 where an analytic signal vanishes."""
    (xr, yr), (xi, yi) = periodic_analytic(np.stack([x, y]), last)
    cos, sin = yr * xr + yi * xi, yi * xr - yr * xi  # a_y · conj(a_x)
    size = np.hypot(cos, sin)
    nonzero = size > 0.0
    scale = np.divide(1.0, size, out=np.zeros_like(size), where=nonzero)
    return np.where(nonzero, cos * scale, 1.0), sin * scale


def relative_phase_deg(x: FloatArray, y: FloatArray) -> FloatArray:
    """Continuous relative phase ``phase(y) - phase(x)``, degrees in (-180, 180]."""
    cos, sin = relative_directions(x, y, x.shape[-1])
    return np.asarray(np.degrees(np.arctan2(sin, cos)), dtype=np.float64)
