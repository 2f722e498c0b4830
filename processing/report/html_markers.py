"""The report's list of every marker of the recording, with its time and kind: stage
markers (which split the run), a person's notes and presets ("calf tight", "shoe change"),
and feedback's own."""

from __future__ import annotations

from processing.exports.html_page import Section, paragraph
from processing.exports.markers import MarkerKind, SessionMarker, session_markers
from processing.report.html_tables import Row, report_table
from processing.report.report_input import ReportInput
from processing.report.summary_text import num

MARKER_HEADERS = ("Time (s)", "Clock (UTC)", "Kind", "Marker")
KIND_WORDS = {
    MarkerKind.STAGE: "stage (starts a stage)",
    MarkerKind.NOTE: "note",
    MarkerKind.FEEDBACK: "feedback",
}


def marker_row(report: ReportInput, marker: SessionMarker) -> Row:
    moment = marker.wall_clock(report.session.started)
    clock = f"{moment:%H:%M:%S}" if moment is not None else "–"
    return [num(marker.t_s - report.start_s, 1), clock, KIND_WORDS[marker.kind], marker.text]


def markers_section(report: ReportInput) -> Section:
    """Every marker in time order; a sentence when there are none."""
    markers = session_markers(report.session.markers)
    if not markers:
        return Section("markers", "Markers", paragraph("No markers were added.", "note"))
    rows = [marker_row(report, m) for m in markers]
    table = report_table(MARKER_HEADERS, rows, "markers", numeric=(0,))
    note = (
        "Every marker added while recording, at seconds from the recording's start and at "
        "the time of day. Only stage markers (Next stage) split the run into stages; notes "
        "and presets mark a moment, feedback markers its blocks."
    )
    return Section("markers", "Markers", table + paragraph(note, "note"))
