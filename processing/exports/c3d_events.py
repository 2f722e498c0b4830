"""Gait events for the C3D EVENT group: foot strike and foot off per side.

The EVENT group (Oxford Metrics' convention, described on c3d.org) holds one entry per
event in parallel parameters: ``LABELS`` ("Foot Strike", "Foot Off"), ``CONTEXTS`` ("Left",
"Right"), ``TIMES`` a 2 × n float array (row 0 whole minutes, row 1 the remaining seconds,
so the time is ``60 * minutes + seconds``), ``DESCRIPTIONS``, ``SUBJECTS``, ``ICON_IDS``
(1 foot strike, 2 foot off, as gait-lab software draws them) and ``GENERIC_FLAGS`` (0), with
``USED`` the number of events. Times are seconds from the file's first frame.

A C3D parameter dimension is one byte, so one parameter holds at most 255 events. Longer
sessions continue in ``TIMES2``, ``LABELS2``, … in the same way POINT:LABELS2 extends
POINT:LABELS (c3d.org, "Additional POINT parameters"); ``USED`` counts all of them. Software
that knows only the first set shows the first 255 events.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from processing.analysis import AnalysisResult
from processing.events import Side
from processing.export import step_rows

FOOT_STRIKE = "Foot Strike"
FOOT_OFF = "Foot Off"
CONTEXTS = {Side.LEFT: "Left", Side.RIGHT: "Right"}
ICON_IDS = {FOOT_STRIKE: 1, FOOT_OFF: 2}
DESCRIPTIONS = {
    FOOT_STRIKE: "The instant the foot strikes the ground",
    FOOT_OFF: "The instant the toe leaves the ground",
}
MAX_PER_PARAMETER = 255


@dataclass(frozen=True)
class C3dEvent:
    """One event: label, context and time in seconds on the session clock."""

    label: str
    context: str
    t_s: float


def gait_events(result: AnalysisResult) -> list[C3dEvent]:
    """Foot strikes (every detected initial contact) and foot offs (every completed step's
    toe-off), in time order."""
    events = []
    for row in step_rows(result):
        context = CONTEXTS[Side(str(row["side"]))]
        for label, key in ((FOOT_STRIKE, "ic_s"), (FOOT_OFF, "to_s")):
            value = row.get(key)
            if isinstance(value, float) and math.isfinite(value):
                events.append(C3dEvent(label, context, value))
    return sorted(events, key=lambda e: (e.t_s, e.context, e.label))


def minutes_seconds(t_s: float) -> tuple[float, float]:
    """C3D event time: (whole minutes, remaining seconds); negative times stay in seconds."""
    minutes = math.floor(t_s / 60.0) if t_s >= 0 else 0
    return float(minutes), t_s - 60.0 * minutes


def event_parameters(
    events: Sequence[C3dEvent], start_s: float, subject: str = ""
) -> dict[str, object]:
    """The EVENT group's parameters for ``events``, times relative to ``start_s``. Integer
    parameters are Python ints (lists of them for ICON_IDS, GENERIC_FLAGS); TIMES arrays are
    2 × n float64; string parameters are lists."""
    params: dict[str, object] = {"USED": len(events)}
    for suffix, chunk in _chunks(events):
        times = [minutes_seconds(e.t_s - start_s) for e in chunk]
        params["TIMES" + suffix] = np.array(times, dtype=np.float64).T.reshape(2, len(chunk))
        params["LABELS" + suffix] = [e.label for e in chunk]
        params["CONTEXTS" + suffix] = [e.context for e in chunk]
        params["DESCRIPTIONS" + suffix] = [DESCRIPTIONS.get(e.label, "") for e in chunk]
        params["SUBJECTS" + suffix] = [subject for _ in chunk]
        params["ICON_IDS" + suffix] = [ICON_IDS.get(e.label, 0) for e in chunk]
        params["GENERIC_FLAGS" + suffix] = [0 for _ in chunk]
    return params


def _chunks(events: Sequence[C3dEvent]) -> Iterator[tuple[str, Sequence[C3dEvent]]]:
    """("", first 255), ("2", next 255), …"""
    for k, start in enumerate(range(0, len(events), MAX_PER_PARAMETER)):
        yield ("" if k == 0 else str(k + 1)), events[start : start + MAX_PER_PARAMETER]


def read_event_times(event_group: dict[str, dict[str, object]]) -> list[tuple[str, str, float]]:
    """(label, context, seconds) of every event in an EVENT group as ezc3d reads it, across
    TIMES, TIMES2, …: the inverse of ``event_parameters`` (for checks and tests)."""
    out: list[tuple[str, str, float]] = []
    suffix, k = "", 1
    while "TIMES" + suffix in event_group:
        times = np.asarray(event_group["TIMES" + suffix]["value"], dtype=np.float64)
        labels = list(event_group["LABELS" + suffix]["value"])  # type: ignore[call-overload]
        contexts = list(event_group["CONTEXTS" + suffix]["value"])  # type: ignore[call-overload]
        seconds = 60.0 * times[0] + times[1]
        out.extend(zip(labels, contexts, seconds.tolist(), strict=True))
        k += 1
        suffix = str(k)
    return out
