"""Sensor-to-segment axes from standing gravity plus the running itself (any strap orientation).

Segment axes follow the world convention at quiet standing: x forward, y left, z up. They
are returned as a (3, 3) matrix whose rows are the segment x, y, z axes written in sensor
coordinates, so ``segment_vector = axes @ sensor_vector``.

* Shoe: z is gravity at standing (foot flat). y (mediolateral) is the dominant rotation axis
  of the moving foot (principal component of the gyro), made horizontal. Its sign comes from
  the shape of the gait cycle: the foot's largest excursion is toes-down around toe-off, so
  the foot angle about +y (positive = plantarflexion, toes down) is positively skewed.
* Trunk / pelvis: z is gravity at standing. x is the horizontal direction whose specific
  force best follows −d(a_vertical)/dt: in each stance the body brakes while the vertical
  ground reaction force rises and propels while it falls, whereas mediolateral sway follows
  the stride, not the step. If the fit is weak or inconsistent over the window, the forward
  direction is reported as not decidable. A second, independent cue checks it: runners lean
  forward relative to standing, so a clear backward lean (``LEAN_VETO_DEG``) along the
  braking cue's forward means the two disagree, and the direction is not decided either —
  "not sure" rather than a trunk shown leaning the wrong way.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, sosfiltfilt

from drivers.types import FloatArray

EMPTY = np.zeros((0, 3))
GRID_WINDOW = 16  # stamps whose phases give the sampling grid's (see grid_periods)


class AlignmentStatus(enum.StrEnum):
    WAITING_FOR_STANDING = "waiting for standing"
    PENDING = "pending"  # calibrated, not enough movement yet
    DECIDED = "decided"
    AMBIGUOUS = "ambiguous"  # enough movement seen, direction still not decidable


@dataclass(frozen=True)
class AxesEstimate:
    """One alignment attempt: ``axes`` (3, 3) or None, a 0..1 ``quality`` and a note."""

    axes: FloatArray | None
    quality: float
    note: str


def _unit(v: FloatArray) -> FloatArray:
    return np.asarray(v / np.linalg.norm(v), dtype=np.float64)


def axes_from(forward: FloatArray, up: FloatArray) -> FloatArray:
    """Right-handed rows x, y, z from a forward guess and the exact up vector."""
    z = _unit(up)
    x = _unit(forward - (forward @ z) * z)
    return np.vstack([x, np.cross(z, x), z])


def shoe_axes(
    acc_g: FloatArray,
    gyro_dps: FloatArray,
    up: FloatArray,
    rate_hz: float,
    moving_dps: float = 100.0,
    min_skew: float = 0.3,
) -> AxesEstimate:
    """Shoe axes from running samples (gyro already bias-corrected). See module docstring."""
    moving = np.linalg.norm(gyro_dps, axis=1) > moving_dps
    if moving.sum() < rate_hz:
        return AxesEstimate(None, 0.0, "not enough foot movement")
    w = gyro_dps[moving]
    values, vectors = np.linalg.eigh(w.T @ w)
    axis = vectors[:, 2]
    if abs(axis @ up) > 0.6:
        return AxesEstimate(None, 0.0, "main rotation axis is not horizontal")
    ml = _unit(axis - (axis @ up) * up)
    skew = _plantarflexion_skew(gyro_dps @ ml, rate_hz)
    if abs(skew) < min_skew:
        return AxesEstimate(None, abs(skew), "toe-off direction unclear")
    y_left = ml if skew > 0 else -ml
    planarity = float(1.0 - np.sqrt(values[1] / values[2]))
    quality = float(min(1.0, abs(skew))) * planarity
    return AxesEstimate(axes_from(np.cross(y_left, up), up), quality, "decided")


def _plantarflexion_skew(w_dps: FloatArray, rate_hz: float) -> float:
    """Skewness of the high-passed foot angle ∫w dt (w about a candidate mediolateral axis).

    Over a gait cycle the foot's largest excursion is toes-down around toe-off (about −60 to
    −80°, vs +10 to +30° toes-up before contact), so the angle about the true left axis
    (positive = plantarflexion) is positively skewed.
    """
    angle = np.cumsum(w_dps) / rate_hz
    sos = butter(2, 0.3 / (rate_hz / 2), btype="highpass", output="sos")
    angle = sosfiltfilt(sos, angle)
    sd = float(angle.std())
    return float(np.mean((angle - angle.mean()) ** 3) / sd**3) if sd > 0 else 0.0


def second_difference(acc_g: FloatArray, t_s: FloatArray, rate_hz: float) -> FloatArray:
    """‖second divided difference of a‖ (g/s²), (n,), the first two samples 0: for a uniform
    rate ‖a[k] − 2a[k−1] + a[k−2]‖ · rate², and exact for missing samples.

    Intervals are whole numbers of sample periods (see ``grid_periods``): timestamps stamped
    on arrival jitter by a fair part of a period, and dividing by the jittered intervals
    would turn the swing's smooth 5 g deceleration into kinks as large as a soft landing's.
    Impacts change specific force abruptly; swing kinematics change it smoothly.
    """
    out = np.zeros(acc_g.shape[0])
    if acc_g.shape[0] > 2:
        dt = grid_periods(t_s, rate_hz) / rate_hz
        slope = np.diff(acc_g, axis=0) / dt[:, None]
        d2 = 2.0 * (slope[1:] - slope[:-1]) / (dt[1:] + dt[:-1])[:, None]
        out[2:] = np.linalg.norm(d2, axis=1)
    return out


def grid_periods(t_s: FloatArray, rate_hz: float, window: int = GRID_WINDOW) -> FloatArray:
    """Sample periods (≥ 1, whole) between consecutive samples, (n − 1,): 2 where one was
    dropped. Each timestamp is put on the sampling grid, whose phase is the circular mean of
    the last ``window`` stamps' phases; a stamp's own jitter (up to half a period and more,
    on arrival) averages out of the phase, and the phase follows a clock running slightly
    off ``rate_hz``. Causal, so a sample's period does not depend on later samples.
    """
    position = (t_s - t_s[0]) * rate_hz
    turn = np.exp(2j * np.pi * position)
    summed = np.cumsum(turn)
    summed[window:] -= summed[:-window].copy()
    phase = np.unwrap(np.angle(summed)) / (2.0 * np.pi)  # no jump where it crosses ±½
    grid = np.round(position - phase)
    return np.asarray(np.maximum(1.0, np.diff(grid)))


def trunk_axes(
    acc_g: FloatArray, up: FloatArray, rate_hz: float, min_corr: float = 0.1, parts: int = 3
) -> AxesEstimate:
    """Trunk or pelvis axes from running samples. See module docstring.

    The fit is repeated on ``parts`` consecutive parts of the window; the direction is
    decided only if every part agrees with the whole within 30°. At the upper trunk the
    braking/propulsion signal is partly masked by the trunk's own pitching (tangential
    acceleration), so the correlation is low there but the direction is still consistent.
    """
    if acc_g.shape[0] < 4 * rate_hz:
        return AxesEstimate(None, 0.0, "not enough running")
    up_run = _unit(acc_g.mean(axis=0))  # mean specific force over whole strides = gravity
    h1 = _unit(np.cross(up_run, [1.0, 0.0, 0.0] if abs(up_run[0]) < 0.9 else [0.0, 1.0, 0.0]))
    h2 = np.cross(up_run, h1)
    sos = butter(2, min(8.0, 0.4 * rate_hz) / (rate_hz / 2), output="sos")
    smooth = sosfiltfilt(sos, acc_g - acc_g.mean(axis=0), axis=0)
    vertical = smooth @ up_run
    if vertical.std() < 0.15:
        return AxesEstimate(None, 0.0, "no running bounce")
    target = -np.gradient(vertical) * rate_hz
    horizontal = np.column_stack([smooth @ h1, smooth @ h2])
    beta, corr = _fit(horizontal, target)
    agreement = min(
        float(_unit(b) @ _unit(beta)) if np.any(b) else -1.0
        for b, _ in (
            _fit(h, y)
            for h, y in zip(
                np.array_split(horizontal, parts), np.array_split(target, parts), strict=True
            )
        )
    )
    quality = max(0.0, agreement) * min(1.0, corr / min_corr) if np.any(beta) else 0.0
    if not (corr >= min_corr and agreement >= np.cos(np.radians(30.0))):
        return AxesEstimate(None, quality, "braking/propulsion direction unclear")
    forward = beta[0] * h1 + beta[1] * h2
    if _leans_against(forward, up, up_run):
        return AxesEstimate(None, quality, "braking and forward lean disagree on forward")
    return AxesEstimate(axes_from(forward, up), quality, "decided")


LEAN_VETO_DEG = 3.0
"""A lean relative to standing at least this large is a cue to forward in its own right."""


def _leans_against(forward: FloatArray, up: FloatArray, up_run: FloatArray) -> bool:
    """Whether the segment, running, leans clearly backward along ``forward`` relative to
    standing (``up`` then, ``up_run`` the mean while running): runners lean forward, so
    the braking cue and the lean then disagree and the direction is not decided."""
    z = _unit(up)
    # leaning forward turns the segment's front down, so gravity's reaction (up) tilts
    # toward its back: the lean, forward, is the opposite of up's horizontal shift
    lean = -(up_run - (up_run @ z) * z)
    size_deg = float(np.degrees(np.arcsin(min(1.0, float(np.linalg.norm(lean))))))
    return size_deg >= LEAN_VETO_DEG and float(_unit(forward) @ _unit(lean)) < -0.5


def _fit(horizontal: FloatArray, target: FloatArray) -> tuple[FloatArray, float]:
    """Least-squares weights of the two horizontal components, and the fit's correlation."""
    beta, *_ = np.linalg.lstsq(horizontal, target, rcond=None)
    fit = horizontal @ beta
    corr = float(np.corrcoef(fit, target)[0, 1]) if fit.std() > 0 else 0.0
    return np.asarray(beta, dtype=np.float64), corr
