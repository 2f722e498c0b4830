"""The reference-values section: what the literature reports, and the full citations."""

from __future__ import annotations

from html import escape

from processing.exports.html_page import Section, paragraph
from processing.report.html_tables import report_table
from processing.report.references import REFERENCE_VALUES, REFERENCES
from processing.report.report_input import ReportInput


def references_section(report: ReportInput) -> Section:
    guarded = report.options.guarded_twist_below_deg
    rows = [[v.measure, v.reported, v.source.key, v.caveat] for v in REFERENCE_VALUES]
    rows.append(
        [
            "Guarded trunk rotation",
            f"below {guarded:g}° per stride (this report's setting)",
            "clinic setting",
            "no published cut-off; the cited studies compare groups. Adjustable (report "
            "option --guarded-below).",
        ]
    )
    values = report_table(
        ["Measure", "Reported", "Source", "How to read it"], rows, "refs", numeric=()
    )
    cited = "".join(
        f'<li id="ref-{i}"><b>{escape(r.key)}</b>: {escape(r.citation)}</li>'
        for i, r in enumerate(REFERENCES, start=1)
    )
    note = paragraph(
        "Seay et al. 2011a and 2011b are the two 2011 papers of the same group (continuous "
        "relative phase, and vector coding).",
        "note",
    )
    body = values + f'<h3>Citations</h3><ol class="citations">{cited}</ol>' + note
    return Section("references", "Reference values", body)
