"""The clinician report as one self-contained HTML page.

The page is a list of sections, each made by a builder ``ReportInput -> Section | None``
(None leaves the section out, e.g. the comparison without an earlier session). The session
summary's builders (``processing.exports``) are reused for strike distribution, FSA over
time, coordination and symmetry; the report adds its own for the rest. Nothing on the page
refers outside it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

from drivers.recording.session_recorder import app_version
from processing.exports.html_page import CSS, Section
from processing.exports.html_steps import fsa_time_section, strikes_section, symmetry_section
from processing.exports.html_strides import coordination_section
from processing.exports.summary_input import SummaryInput
from processing.report.html_charts import fsa_feet_section, ranges_section
from processing.report.html_markers import markers_section
from processing.report.html_overview import session_section, summary_section
from processing.report.html_references import references_section
from processing.report.html_tables import (
    compare_section,
    drift_section,
    feedback_section,
    stages_section,
)
from processing.report.report_input import ReportInput

ReportBuilder = Callable[[ReportInput], Section | None]

REPORT_CSS = """
ul.summary { background: #f3f7fb; border: 1px solid #c9d9ea; padding: 10px 10px 10px 28px; }
ul.summary li { margin: 3px 0; }
figure.pair svg { max-width: 49%; height: auto; }
figure svg { max-width: 100%; height: auto; }
table.stages, table.feedback, table.cues, table.compare, table.drift, table.refs,
table.markers {
  font-size: 0.85em;
}
table.refs td { vertical-align: top; }
table.stages td, table.feedback td { white-space: nowrap; }
ol.citations li { margin: 4px 0; font-size: 0.9em; }
h3 { font-size: 1em; margin: 14px 0 4px; }
@media print {
  nav { display: none; }
  section { break-inside: avoid-page; }
  body { margin: 0; max-width: none; }
}
"""


def _summary_builder(build: Callable[[SummaryInput], Section]) -> ReportBuilder:
    """A session-summary builder used as a report builder."""

    def report_builder(report: ReportInput) -> Section:
        return build(report.data)

    report_builder.__name__ = build.__name__
    return report_builder


REPORT_SECTIONS: tuple[ReportBuilder, ...] = (
    summary_section,
    session_section,
    _summary_builder(strikes_section),
    fsa_feet_section,
    _summary_builder(fsa_time_section),
    ranges_section,
    _summary_builder(coordination_section),
    stages_section,
    markers_section,
    feedback_section,
    _summary_builder(symmetry_section),
    drift_section,
    compare_section,
    references_section,
)


def report_sections(
    report: ReportInput, builders: Sequence[ReportBuilder] = REPORT_SECTIONS
) -> list[Section]:
    return [s for s in (build(report) for build in builders) if s is not None]


def report_title(report: ReportInput) -> str:
    runner = report.session.runner_id
    return f"{report.options.title} — runner {runner}" if runner else report.options.title


def report_subtitle(report: ReportInput, made: datetime.datetime | None = None) -> str:
    made = made or datetime.datetime.now(datetime.UTC)
    return (
        f"Recorded {report.session.date_text}; report made {made:%Y-%m-%d %H:%M} UTC by "
        f"gaitdeck {app_version()}. Times are seconds from the recording's start."
    )


def report_document(title: str, subtitle: str, sections: Sequence[Section]) -> str:
    """A complete HTML5 page: inline CSS, a table of contents, the sections."""
    nav = "".join(f'<a href="#{escape(s.key)}">{escape(s.title)}</a>' for s in sections)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}{REPORT_CSS}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="sub">{escape(subtitle)}</p>'
        f"<nav>{nav}</nav>{''.join(s.render() for s in sections)}</body></html>\n"
    )


def render_report_html(report: ReportInput) -> str:
    return report_document(report_title(report), report_subtitle(report), report_sections(report))


def write_report_html(path: Path, report: ReportInput) -> Path:
    """Write the report page to ``path`` (replacing it); returns ``path``."""
    path.write_text(render_report_html(report), encoding="utf-8")
    return path
