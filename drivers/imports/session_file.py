"""A pod CSV folder's ``session.json``: the session the samples came from.

``gaitdeck export --format samples`` writes it beside the samples of a recording, so that
``import`` (and ``analyze``) give back the recording's session, not only its samples::

    {"format_version": 1,
     "started_utc": "2026-03-02T06:31:00.000+00:00",
     "time_zero_s": 0.0,
     "runner_id": "R-1", "notes": "",
     "markers": [{"t_s": 5.0, "text": "stage 1: 10.0 km/h, 0 %"}],
     "events": [{"t_s": 7.21, "event": {"type": "feedback_cue", ...}}]}

* ``time_zero_s``: where the recording's start (t = 0) lies on the files' ``time_s`` clock
  (0.0 in an export: its samples are already seconds from the start);
* ``started_utc``: the ISO 8601 wall time of that start (null if unknown);
* ``markers`` and ``events``: seconds from the start (not on the files' clock), in time
  order; ``events`` are the recording's events other than the starting calibration, which
  travels in ``calibration.json``.

A folder without ``session.json`` is read as before: its clock's origin is arbitrary and
an import takes its first sample as the start. Reading is pure; a file that cannot be used
raises CsvFormatError naming it and the problem.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.imports.pod_csv import CsvFormatError

SESSION_FILE = "session.json"
SESSION_FORMAT_VERSION = 1


@dataclass(frozen=True)
class FolderSession:
    """What ``session.json`` holds; times of markers and events from the start."""

    started: datetime.datetime | None = None
    time_zero_s: float = 0.0
    runner_id: str = ""
    notes: str = ""
    markers: list[tuple[float, str]] = field(default_factory=list)
    events: list[tuple[float, dict[str, Any]]] = field(default_factory=list)


def write_session_file(folder: Path, session: FolderSession) -> Path:
    """Write ``session`` as ``folder/session.json`` (the folder is created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    started = session.started
    data = {
        "format_version": SESSION_FORMAT_VERSION,
        "started_utc": None if started is None else started.isoformat(timespec="microseconds"),
        "time_zero_s": session.time_zero_s,
        "runner_id": session.runner_id,
        "notes": session.notes,
        "markers": [{"t_s": t, "text": text} for t, text in sorted(session.markers)],
        "events": [{"t_s": t, "event": e} for t, e in sorted(session.events, key=_time)],
    }
    path = folder / SESSION_FILE
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def read_session_file(folder: Path) -> FolderSession | None:
    """``folder/session.json`` (None if there is none); raises CsvFormatError if unusable."""
    path = folder / SESSION_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _error(f"cannot read ({exc})") from None
    if not isinstance(data, dict):
        raise _error("must hold a JSON object")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _error("format_version must be a positive whole number")
    if version > SESSION_FORMAT_VERSION:
        raise _error(f"format_version {version} is newer than this gaitdeck reads "
                     f"({SESSION_FORMAT_VERSION}); update gaitdeck")  # fmt: skip
    return FolderSession(
        _started(data.get("started_utc")),
        _seconds(data.get("time_zero_s", 0.0), "time_zero_s"),
        _text(data.get("runner_id", ""), "runner_id"),
        _text(data.get("notes", ""), "notes"),
        sorted(_marker(m) for m in _list(data.get("markers", []), "markers")),
        sorted((_event(e) for e in _list(data.get("events", []), "events")), key=_time),
    )


def _time(item: tuple[float, Any]) -> float:
    return item[0]


def _error(reason: str) -> CsvFormatError:
    return CsvFormatError(SESSION_FILE, None, reason)


def _started(value: object) -> datetime.datetime | None:
    if value is None:
        return None
    try:
        started = datetime.datetime.fromisoformat(_text(value, "started_utc"))
    except ValueError:
        raise _error(f"started_utc is not an ISO 8601 time: {value!r}") from None
    return started if started.tzinfo is not None else started.replace(tzinfo=datetime.UTC)


def _seconds(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _error(f"{name} must be a finite number of seconds, not {value!r}")
    return float(value)


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise _error(f"{name} must be text, not {value!r}")
    return value


def _list(value: object, name: str) -> Sequence[object]:
    if not isinstance(value, list):
        raise _error(f"{name} must be a list")
    return value


def _marker(item: object) -> tuple[float, str]:
    if not isinstance(item, dict):
        raise _error("each marker must be an object with t_s and text")
    return _seconds(item.get("t_s"), "a marker's t_s"), _text(item.get("text"), "a marker's text")


def _event(item: object) -> tuple[float, dict[str, Any]]:
    event = item.get("event") if isinstance(item, dict) else None
    if not isinstance(item, dict) or not isinstance(event, dict) or "type" not in event:
        raise _error('each event must be an object with t_s and an "event" object with a type')
    return _seconds(item.get("t_s"), "an event's t_s"), event
