"""Sensor-to-segment axes from standing gravity plus the running itself (any strap orientation).

Segment axes follow the world convention at quiet standing: x forward, y left, z up. They
are returned as a (3, 3) matrix whose rows are the segment x, y, z axes written in sensor
coordinates, so ``segment_vector = axes @ sensor_vector``.

* Shoe: z is gravity at standing (foot flat). y (mediolateral) is the dominant rotation axis
  of the moving foot (principal component of the gyro), made horizontal; a rotation spread
  over all axes (turns, shuffling) decides nothing yet. Its sign has two cues: the shape of
  the gait cycle — the foot's largest excursion is toes-down around toe-off, so the foot
  angle about +y (positive = plantarflexion, toes down) is positively skewed — and the
  terminal swing, where a running foot sheds its forward speed just before each landing
  (``MIN_SLOWING_G``), so its deceleration points backward. Either decides; if both are
  clear and disagree, the direction is not decided.
* Trunk / pelvis: z is gravity at standing. Forward has two independent cues. (1) Braking:
  the horizontal direction whose specific force best follows −d(a_vertical)/dt — in each
  stance the body brakes while the vertical ground reaction force rises and propels while
  it falls, whereas mediolateral sway follows the stride, not the step. (2) Lean: runners
  lean forward relative to standing, so the mean tilt while running points forward. A lean
  of ``LEAN_CUE_DEG`` to ``LEAN_MAX_DEG`` decides forward when the braking cue, even a weak
  one, points the same way; a smaller or larger lean only vetoes a braking cue it clearly
  contradicts (``LEAN_VETO_DEG``); a
  braking fit that is weak or inconsistent over the window decides nothing. When the cues
  disagree the direction is "not sure" rather than a trunk shown leaning the wrong way.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, find_peaks, sosfiltfilt

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
    min_planarity: float = 0.3,
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
    planarity = float(1.0 - np.sqrt(values[1] / values[2]))
    if planarity < min_planarity:
        return AxesEstimate(None, planarity, "foot rotation not in one plane yet")
    ml = _unit(axis - (axis @ up) * up)
    skew = _plantarflexion_skew(gyro_dps @ ml, rate_hz)
    by_skew = float(np.sign(skew)) if abs(skew) >= min_skew else 0.0
    slowing = _swing_slowing(acc_g, up, rate_hz)
    by_swing = float(np.sign(np.cross(ml, up) @ slowing)) * -1.0 if slowing is not None else 0.0
    if by_skew * by_swing < 0:
        return AxesEstimate(None, abs(skew), "toe-off and terminal-swing cues disagree")
    sign = by_skew or by_swing
    if not sign:
        return AxesEstimate(None, abs(skew), "toe-off direction unclear")
    y_left = ml * sign
    quality = float(min(1.0, max(abs(skew), 0.5 if by_swing else 0.0))) * planarity
    return AxesEstimate(axes_from(np.cross(y_left, up), up), quality, "decided")


SWING_WINDOW_S = (0.08, 0.02)  # terminal swing: this long before a landing's jolt, up to this
MIN_SLOWING_G = 1.5
"""A foot slowing down at least this much (horizontally, in the last 80–20 ms before its
landings) gives the forward direction: in terminal swing it must shed its forward speed
(3–10 g in running); walking's ~1 g gives no cue."""


def _swing_slowing(acc_g: FloatArray, up: FloatArray, rate_hz: float) -> FloatArray | None:
    """The horizontal direction (sensor axes, ⟂ ``up``) of the foot's deceleration just
    before its landings, or None if it is weak or inconsistent. Landings are the strongest
    jolts (second differences), at least 0.3 s apart."""
    jolt = np.zeros(acc_g.shape[0])
    jolt[2:] = np.linalg.norm(acc_g[2:] - 2 * acc_g[1:-1] + acc_g[:-2], axis=1)
    landings, _ = find_peaks(jolt, height=0.3 * np.percentile(jolt, 99.5),
                             distance=max(1, round(0.3 * rate_hz)))  # fmt: skip
    early, late = (round(s * rate_hz) for s in SWING_WINDOW_S)
    landings = landings[landings >= early]
    if landings.size < 4:
        return None
    means = np.array([acc_g[k - early : k - late + 1].mean(axis=0) for k in landings])
    flat = means - np.outer(means @ up, up)
    typical = np.median(flat, axis=0)
    size = float(np.linalg.norm(typical))
    if size < MIN_SLOWING_G:
        return None
    agree = (flat @ typical) / (np.linalg.norm(flat, axis=1) * size + 1e-12)
    return typical / size if np.mean(agree > 0.5) >= 0.75 else None


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

    Two cues to forward: the braking/propulsion fit (``_braking``) and the lean relative to
    standing (``_lean``). A lean of ``LEAN_CUE_DEG`` to ``LEAN_MAX_DEG`` gives forward if the
    braking fit, even a weak one, points the same way (within 90°): the braking fit's angle
    is often tens of degrees off at the upper trunk, the lean's a few. A lean alone decides
    nothing (a standing that was not upright tilts it). A smaller lean can only veto the
    braking cue.
    """
    if acc_g.shape[0] < 4 * rate_hz:
        return AxesEstimate(None, 0.0, "not enough running")
    up_run = _unit(acc_g.mean(axis=0))  # mean specific force over whole strides = gravity
    lean = _lean(up, up_run)
    braking = _braking(acc_g, up_run, rate_hz, min_corr, parts)
    if braking is None:
        return AxesEstimate(None, 0.0, "no running bounce")
    forward, quality, clear = braking
    lean_deg = float(np.degrees(np.arcsin(min(1.0, float(np.linalg.norm(lean))))))
    if LEAN_CUE_DEG <= lean_deg <= LEAN_MAX_DEG:
        if float(forward @ lean) <= 0.0:
            return AxesEstimate(None, quality, "braking and forward lean disagree on forward")
        return AxesEstimate(axes_from(lean, up), max(quality, 0.5), "decided by the lean")
    if not clear:
        return AxesEstimate(None, quality, "braking/propulsion direction unclear")
    if lean_deg >= LEAN_VETO_DEG and float(forward @ lean) < 0.0:
        return AxesEstimate(None, quality, "braking and forward lean disagree on forward")
    return AxesEstimate(axes_from(forward, up), quality, "decided")


LEAN_VETO_DEG = 1.0
"""A lean relative to standing at least this large vetoes a braking cue pointing against it
(the mean tilts while standing and running are each known to a few tenths of a degree)."""
LEAN_CUE_DEG = 4.0
"""A lean relative to standing at least this large gives forward by itself: runners lean
forward 2–15° (more than when standing), while the braking fit at the upper trunk is masked
by the trunk's own pitching and can be tens of degrees off."""
LEAN_MAX_DEG = 20.0
"""A larger tilt since standing is no running lean (the standing was not upright, or the pod
moved on its strap): it gives no direction, and only vetoes a braking cue against it."""


def _lean(up: FloatArray, up_run: FloatArray) -> FloatArray:
    """The segment's mean lean while running relative to standing (``up`` then, ``up_run``
    the mean while running), as a horizontal vector of length sin(lean) pointing the way
    the segment leans: leaning forward turns its front down, so gravity's reaction (up)
    tilts toward its back, the opposite of the lean."""
    z = _unit(up)
    return np.asarray(-(up_run - (up_run @ z) * z))


def _braking(
    acc_g: FloatArray, up_run: FloatArray, rate_hz: float, min_corr: float, parts: int
) -> tuple[FloatArray, float, bool] | None:
    """The braking/propulsion cue: the horizontal direction whose specific force best
    follows −d(a_vertical)/dt, its quality, and whether it is clear (correlation at least
    ``min_corr`` and each of ``parts`` consecutive parts within 30° of the whole). At the
    upper trunk the signal is partly masked by the trunk's own pitching (tangential
    acceleration), so the correlation is low there but the direction often still
    consistent. None unless the whole window bounces (running in each part)."""
    h1 = _unit(np.cross(up_run, [1.0, 0.0, 0.0] if abs(up_run[0]) < 0.9 else [0.0, 1.0, 0.0]))
    h2 = np.cross(up_run, h1)
    sos = butter(2, min(8.0, 0.4 * rate_hz) / (rate_hz / 2), output="sos")
    smooth = sosfiltfilt(sos, acc_g - acc_g.mean(axis=0), axis=0)
    vertical = smooth @ up_run
    if min(part.std() for part in np.array_split(vertical, parts)) < 0.15:
        return None  # not running all along: a standing in the window skews its mean tilt
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
    clear = corr >= min_corr and agreement >= np.cos(np.radians(30.0))
    return np.asarray(beta[0] * h1 + beta[1] * h2), quality, bool(clear)


def _fit(horizontal: FloatArray, target: FloatArray) -> tuple[FloatArray, float]:
    """The horizontal direction along which the specific force co-varies with ``target``
    (its covariance with each horizontal component), and the correlation of the specific
    force along it with ``target``. Not least-squares weights: mediolateral sway (stride
    frequency, uncorrelated with the step-frequency target) would pull their direction
    toward the axis with less sway, tens of degrees off at the trunk."""
    beta = horizontal.T @ target
    along = horizontal @ beta
    corr = float(np.corrcoef(along, target)[0, 1]) if along.std() > 0 else 0.0
    return np.asarray(beta, dtype=np.float64), corr
