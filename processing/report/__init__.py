"""The clinician report: one recording (optionally against an earlier one) as a
self-contained HTML page, and the same content prepared for printing to PDF.

    session = load_report_session(Path("run.gdrec"))
    report = build_report_input(session, ReportOptions())
    write_report_html(Path("report.html"), report)

PDF rendering needs Qt and lives in ``desktop.report_pdf`` (``write_report_pdf``); it prints
the same page, rewritten by ``processing.report.printable`` for Qt's rich text.
"""

from processing.report.html_report import REPORT_SECTIONS, render_report_html, write_report_html
from processing.report.report_input import ReportInput, ReportOptions, build_report_input
from processing.report.session import ReportSession, load_report_session

__all__ = [
    "REPORT_SECTIONS",
    "ReportInput",
    "ReportOptions",
    "ReportSession",
    "build_report_input",
    "load_report_session",
    "render_report_html",
    "write_report_html",
]
