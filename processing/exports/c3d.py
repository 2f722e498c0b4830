"""C3D export (ezc3d): the IMU channels as analog data and the gait events, for gait-lab
software (Vicon Nexus/Polygon, Visual3D, Mokka, ezc3d, btk).

Analog data: per pod, in Placement order, ``<PLACEMENT>_ACC_X/Y/Z`` (units ``g``) and
``<PLACEMENT>_GYRO_X/Y/Z`` (units ``deg/s``), in the pod's own sensor axes, stored as float
(POINT:SCALE −1; SCALE 1, OFFSET 0, so values read back as written to float32 precision).
C3D has one analog rate: every pod is resampled onto one uniform grid at the highest pod
rate rounded to whole hertz, by linear interpolation within the pod's continuous stretches;
gaps, and times before a pod's first or after its last sample, are NaN
(``processing.exports.resample``). Frame 1 is the earliest sample of any pod; the session
clock time of frame 1 is kept in GAITDECK:START_TIME_S.

Point data: none (POINT:USED 0), but a point rate, since gait-lab software lays out its
time line in point frames: ANALOG:RATE / k with k the smallest divisor of the analog rate
giving at most ``MAX_POINT_RATE_HZ`` and at most 65535 frames (the header's frame counter;
ezc3d reads no further). The analog grid is padded with NaN to a whole number of frames.

Events: EVENT group, see ``processing.exports.c3d_events``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import ezc3d
import numpy as np
from ezc3d import ezc3d as c3d_core

from drivers.errors import GaitdeckError
from drivers.types import FloatArray, Placement, SampleBlock
from processing.analysis import AnalysisResult
from processing.export import sample_rate_hz
from processing.exports.c3d_events import event_parameters, gait_events
from processing.exports.resample import GAP_FACTOR, resample_block, uniform_grid

AXES = ("X", "Y", "Z")
SENSORS = (("ACC", "g", "accelerometer"), ("GYRO", "deg/s", "gyroscope"))
MAX_POINT_RATE_HZ = 100.0
MAX_FRAMES = 65535


class C3dExportError(GaitdeckError):
    """The session cannot be written as C3D (no samples, or too long for the format)."""


@dataclass(frozen=True)
class C3dLayout:
    """What ``write_c3d`` wrote: rates, frame count, labels, the session time of frame 1."""

    path: Path
    analog_rate_hz: float
    point_rate_hz: float
    frames: int
    analog_frames: int
    start_s: float
    labels: tuple[str, ...]
    events: int


def channel_labels(placement: Placement) -> list[tuple[str, str, str]]:
    """(label, units, description) of a pod's six channels, e.g. ``LEFT_SHOE_ACC_X``."""
    name = placement.value.upper()
    return [
        (f"{name}_{sensor}_{axis}", units, f"{placement.value} {what} {axis.lower()}, sensor axes")
        for sensor, units, what in SENSORS
        for axis in AXES
    ]


def analog_rate_hz(blocks: Mapping[Placement, SampleBlock]) -> float:
    """The highest pod rate, rounded to whole hertz."""
    rates = [sample_rate_hz(b) for b in blocks.values()]
    known = [r for r in rates if r is not None]
    if not known:
        raise C3dExportError("no pod has two samples: nothing to write as C3D")
    return float(max(1, round(max(known))))


def frame_ratio(rate_hz: float, analog_samples: int) -> int:
    """Analog samples per point frame: the smallest divisor k of ``rate_hz`` (whole hertz)
    with ``rate_hz / k <= MAX_POINT_RATE_HZ`` and at most MAX_FRAMES frames."""
    whole = round(rate_hz)
    for k in range(1, whole + 1):
        frames = math.ceil(analog_samples / k)
        if whole % k == 0 and whole / k <= MAX_POINT_RATE_HZ and frames <= MAX_FRAMES:
            return k
    raise C3dExportError(
        f"{analog_samples} samples at {rate_hz:g} Hz do not fit in {MAX_FRAMES} C3D frames"
    )


def write_c3d(
    path: Path,
    blocks: Mapping[Placement, SampleBlock],
    result: AnalysisResult | None = None,
    *,
    gap_factor: float = GAP_FACTOR,
    subject: str = "",
) -> C3dLayout:
    """Write ``blocks`` (and ``result``'s gait events, if given) as one C3D file."""
    placements = [p for p in Placement if p in blocks and len(blocks[p])]
    rate = analog_rate_hz({p: blocks[p] for p in placements})
    grid = uniform_grid([blocks[p] for p in placements], rate)
    k = frame_ratio(rate, grid.shape[0])
    frames = math.ceil(grid.shape[0] / k)
    analogs = np.full((len(placements) * 6, frames * k), np.nan)
    for i, placement in enumerate(placements):
        analogs[6 * i : 6 * i + 6, : grid.shape[0]] = resample_block(
            blocks[placement], grid, gap_factor
        ).T
    channels = [c for p in placements for c in channel_labels(p)]
    start_s = float(grid[0])
    events = gait_events(result) if result is not None else []
    c3d = _new_c3d(rate, rate / k, channels, analogs, frames)
    _set_parameters(c3d, event_parameters(events, start_s, subject), "EVENT")
    _set_parameters(c3d, _gaitdeck_parameters(start_s, gap_factor), "GAITDECK")
    _set_parameters(c3d, _manufacturer(), "MANUFACTURER")
    path.parent.mkdir(parents=True, exist_ok=True)
    c3d.write(str(path))
    return C3dLayout(
        path=path,
        analog_rate_hz=rate,
        point_rate_hz=rate / k,
        frames=frames,
        analog_frames=frames * k,
        start_s=start_s,
        labels=tuple(label for label, _, _ in channels),
        events=len(events),
    )


def _new_c3d(
    rate_hz: float,
    point_rate_hz: float,
    channels: list[tuple[str, str, str]],
    analogs: FloatArray,
    frames: int,
) -> ezc3d.c3d:
    c3d = ezc3d.c3d()
    point, analog = c3d["parameters"]["POINT"], c3d["parameters"]["ANALOG"]
    point["RATE"]["value"] = [point_rate_hz]
    point["UNITS"]["value"] = ["mm"]
    analog["RATE"]["value"] = [rate_hz]
    analog["LABELS"]["value"] = [label for label, _, _ in channels]
    analog["UNITS"]["value"] = [units for _, units, _ in channels]
    analog["DESCRIPTIONS"]["value"] = [text for _, _, text in channels]
    analog["SCALE"]["value"] = np.ones(len(channels))
    analog["GEN_SCALE"]["value"] = [1.0]
    c3d["data"]["points"] = np.zeros((4, 0, frames))
    c3d["data"]["analogs"] = analogs[np.newaxis, :, :]
    return c3d


def _set_parameters(c3d: ezc3d.c3d, params: Mapping[str, object], group: str) -> None:
    """Add ``params`` to ``group``: ints and lists of ints as INT, strings and lists of
    strings as CHAR, numbers and arrays as FLOAT."""
    for name, value in params.items():
        if isinstance(value, list) and value and all(isinstance(v, int) for v in value):
            parameter = c3d_core.Parameter(name)
            parameter.set(c3d_core.VecInt(value), [len(value)])
            c3d["parameters"].add_parameter(group, parameter)
        else:
            c3d.add_parameter(group, name, value)


def _gaitdeck_parameters(start_s: float, gap_factor: float) -> dict[str, object]:
    return {
        "START_TIME_S": f"{start_s:.6f}",
        "RESAMPLING": (
            "linear within continuous stretches; gaps longer than "
            f"{gap_factor:g} x the pod's median interval are NaN"
        ),
        "AXES": "pod sensor axes",
    }


def _manufacturer() -> dict[str, object]:
    try:
        version = metadata.version("gaitdeck")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {"COMPANY": "gaitdeck", "SOFTWARE": "gaitdeck", "VERSION_LABEL": version}
