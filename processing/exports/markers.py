"""A session's markers as a table: when, what kind, what they say.

Markers are text in a recording (recordings/README.md), in files of every version; their
kind is read from the text:

* ``stage``: written by **Next stage** (``stage 2: 12.0 km/h, 1 %``,
  ``processing.session_setup.stage_marker``); only these split a session into stages;
* ``feedback``: written by retraining feedback (start, block, stop, tally);
* ``note``: a person's marker, a preset ("shoe change") or free text ("calf tight").

Times are seconds from the recording's start; ``wall_clock_utc`` adds the time of day when
the recording's start is known. ``markers.csv`` has the columns ``MARKER_COLUMNS``.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from processing.export import write_table
from processing.feedback import is_feedback_marker
from processing.session_setup import parse_stage_marker

MARKERS_FILE = "markers.csv"
MARKER_COLUMNS = ("t_s", "wall_clock_utc", "kind", "text")


class MarkerKind(enum.StrEnum):
    STAGE = "stage"
    FEEDBACK = "feedback"
    NOTE = "note"


def marker_kind(text: str) -> MarkerKind:
    """What wrote a marker, from its text."""
    if parse_stage_marker(text) is not None:
        return MarkerKind.STAGE
    if is_feedback_marker(text.strip()):
        return MarkerKind.FEEDBACK
    return MarkerKind.NOTE


@dataclass(frozen=True)
class SessionMarker:
    """One marker: ``t_s`` from the recording's start, its kind and its text."""

    t_s: float
    kind: MarkerKind
    text: str

    def wall_clock(self, started: datetime.datetime | None) -> datetime.datetime | None:
        """The marker's UTC wall time, given the recording's start (None if unknown)."""
        if started is None:
            return None
        return (started + datetime.timedelta(seconds=self.t_s)).astimezone(datetime.UTC)


def session_markers(markers: Iterable[tuple[float, str]]) -> list[SessionMarker]:
    """Every marker, in time order, with its kind."""
    return [SessionMarker(t, marker_kind(text), text) for t, text in sorted(markers)]


def wall_clock_text(moment: datetime.datetime | None) -> str:
    """ISO 8601 UTC to the millisecond, or "" when unknown."""
    return "" if moment is None else moment.isoformat(timespec="milliseconds")


def marker_rows(
    markers: Sequence[tuple[float, str]], started: datetime.datetime | None
) -> list[dict[str, object]]:
    """The rows of markers.csv."""
    return [
        {"t_s": m.t_s, "wall_clock_utc": wall_clock_text(m.wall_clock(started)),
         "kind": m.kind.value, "text": m.text}
        for m in session_markers(markers)
    ]  # fmt: skip


def write_markers(
    path: Path, markers: Sequence[tuple[float, str]], started: datetime.datetime | None
) -> int:
    """Write markers.csv (a header only when there are none); returns the rows written."""
    return write_table(path, MARKER_COLUMNS, marker_rows(markers, started))
