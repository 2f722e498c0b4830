"""A pipeline's calibration as plain data: what travels with a recording.

Per placement: the standing calibration (up vector in sensor axes, gyro bias, accelerometer
noise, the time it was found on the session clock) and, once decided, the segment axes with
their alignment status and fit quality. ``GaitPipeline.calibration_state()`` takes it,
``GaitPipeline.restore_calibration()`` starts a fresh pipeline from it; ``to_json`` /
``from_json`` give the body of a recording's ``calibration`` event (recordings/README.md).
Floats are written as JSON numbers (Python's shortest repr), so they read back exactly.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from drivers.types import FloatArray, Placement
from processing.stages.alignment import AlignmentStatus
from processing.stages.segment import SegmentChain
from processing.stages.shoe import ShoeChain

log = logging.getLogger(__name__)

Vector = tuple[float, float, float]


class CalibrationStateError(ValueError):
    """A calibration state that cannot be read (damaged or from another format)."""


@dataclass(frozen=True)
class PodCalibration:
    """One pod's calibration. ``axes``: rows x (forward), y (left), z (up) of the segment in
    sensor coordinates, or None while not decided; ``status`` an AlignmentStatus value."""

    up_sensor: Vector
    gyro_bias_dps: Vector
    acc_sd_g: float
    calibrated_at_s: float
    axes: tuple[Vector, Vector, Vector] | None = None
    status: str = AlignmentStatus.PENDING.value
    quality: float = 0.0


CalibrationState = dict[Placement, PodCalibration]
"""Calibrated pods only, by placement."""


def chain_state(chain: ShoeChain | SegmentChain) -> PodCalibration | None:
    """The chain's calibration now; None if it has none yet."""
    cal = chain.calibration
    if not cal.calibrated_:
        return None
    axes = chain.axes_
    return PodCalibration(
        _vector(cal.up_sensor_), _vector(cal.gyro_bias_dps_), float(cal.acc_sd_g_),
        float(cal.t_s_),
        None if axes is None else (_vector(axes[0]), _vector(axes[1]), _vector(axes[2])),
        str(chain.status_) if axes is not None else AlignmentStatus.PENDING.value,
        _finite(chain.alignment_quality_) if axes is not None else 0.0,
    )  # fmt: skip


def restore_chain(chain: ShoeChain | SegmentChain, state: PodCalibration, search: bool) -> None:
    """Start ``chain`` (before any samples) from ``state``; with ``search`` a quiet standing
    in its samples still replaces the calibration."""
    stage = chain.calibration.restored(np.array(state.up_sensor), np.array(state.gyro_bias_dps),
                                       state.acc_sd_g, state.calibrated_at_s, search)  # fmt: skip
    axes: FloatArray | None = None if state.axes is None else np.array(state.axes)
    chain.restore(stage, axes, AlignmentStatus(state.status), state.quality)


def to_json(state: Mapping[Placement, PodCalibration]) -> dict[str, Any]:
    """``{"pods": {placement: {...}}}``: the body of a ``calibration`` event."""
    return {"pods": {p.value: _pod_json(s) for p, s in state.items()}}


def from_json(data: Mapping[str, Any]) -> CalibrationState:
    """The inverse of ``to_json``; raises CalibrationStateError if ``data`` is not one."""
    try:
        return {Placement(name): _pod_from_json(pod) for name, pod in data["pods"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CalibrationStateError(f"not a calibration state: {exc!r}") from exc


def recorded_calibration(event: Mapping[str, Any] | None) -> CalibrationState | None:
    """The state in a recording's starting ``calibration`` event (``LoadedSession.calibration``),
    or None if there is none or it cannot be read (the analysis then starts from scratch)."""
    if event is None:
        return None
    try:
        return from_json(event) or None
    except CalibrationStateError as exc:
        log.warning("ignoring the recording's calibration: %s", exc)
        return None


def _pod_json(s: PodCalibration) -> dict[str, Any]:
    return {
        "up_sensor": list(s.up_sensor),
        "gyro_bias_dps": list(s.gyro_bias_dps),
        "acc_sd_g": s.acc_sd_g,
        "calibrated_at_s": s.calibrated_at_s,
        "axes": None if s.axes is None else [list(row) for row in s.axes],
        "alignment": s.status,
        "quality": s.quality,
    }


def _pod_from_json(pod: Mapping[str, Any]) -> PodCalibration:
    axes = pod.get("axes")
    status = AlignmentStatus(pod.get("alignment", AlignmentStatus.PENDING.value))
    state = PodCalibration(
        _vector(pod["up_sensor"]), _vector(pod["gyro_bias_dps"]), _number(pod["acc_sd_g"]),
        _number(pod["calibrated_at_s"]),
        None if axes is None else (_vector(axes[0]), _vector(axes[1]), _vector(axes[2])),
        status.value if axes is not None else AlignmentStatus.PENDING.value,
        _number(pod.get("quality", 0.0)),
    )  # fmt: skip
    if not math.isclose(float(np.linalg.norm(state.up_sensor)), 1.0, abs_tol=1e-6):
        raise ValueError("up_sensor is not a unit vector")
    return state


def _vector(values: Any) -> Vector:
    x, y, z = (_number(v) for v in values)
    return (x, y, z)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise ValueError(f"{value!r} is not a number")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not finite")
    return number


def _finite(value: float) -> float:
    return float(value) if math.isfinite(value) else 0.0
