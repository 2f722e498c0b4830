"""File → Clinician report…: the report of the recording playing, or of the live session's
last recording, as HTML or PDF, optionally compared with an earlier session.

The analysis runs on a worker behind a progress dialog (``desktop.job_runner``); the PDF
is painted on the GUI thread afterwards (Qt's text layout wants it there).

Once saved, a box offers **Open report** and **Show folder**. Opening goes through an
``Opener`` (``QDesktopServices.openUrl`` unless one is given): when it cannot open the
file (no program registered for it, e.g. no ``xdg-open`` on Linux) an error box says so
and offers **Show folder**; when the folder cannot be opened either, a last box says so and
shows the report's path, selectable, to find it by hand.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.job_runner import Job
from desktop.report_pdf import write_report_pdf
from drivers.errors import GaitdeckError
from drivers.recording.reader import read_header
from processing.session_jobs import JobControl

if TYPE_CHECKING:
    from desktop.session_actions import SessionActions

REPORT_SUFFIXES = (".html", ".pdf")
EARLIER_LOOKED_AT = 50  # newest recordings beside the source searched for the same runner
NO_VIEWER = (
    "No program to open it was found on this computer. On Linux, gaitdeck opens files "
    "with xdg-open (Debian: sudo apt install xdg-utils) and the desktop's default programs."
)

Opener = Callable[[Path], bool]
"""Opens a file or folder in the desktop's default program; False when it cannot."""


def open_with_desktop(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


@dataclass(frozen=True)
class BuiltReport:
    title: str
    html: str


def build_report(source: Path, earlier: Path | None, control: JobControl) -> BuiltReport:
    """Analyse ``source`` (and ``earlier``) into the report page (no Qt; worker thread)."""
    from processing.report import ReportOptions, build_report_input, load_report_session
    from processing.report.html_report import render_report_html, report_title

    options = ReportOptions()
    control.report(0.05)
    session = load_report_session(source, options.thresholds)
    control.report(0.6 if earlier is not None else 0.9)
    previous = load_report_session(earlier, options.thresholds) if earlier is not None else None
    control.report(0.9)
    report = build_report_input(session, options, previous)
    return BuiltReport(report_title(report), render_report_html(report))


def save_report(path: Path, built: BuiltReport) -> Path:
    """Write the page (HTML as is, PDF painted with Qt) via a temporary file, so a failure
    leaves no half-written report behind."""
    fd, name = tempfile.mkstemp(prefix=".report-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    partial = Path(name)
    try:
        if path.suffix.lower() == ".pdf":
            write_report_pdf(partial, built.title, built.html)
        else:
            partial.write_text(built.html, encoding="utf-8")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


class ReportAction:
    """The menu action and what it does, for one window's ``SessionActions``."""

    def __init__(self, actions: SessionActions, opener: Opener = open_with_desktop) -> None:
        self.actions = actions
        self.opener = opener
        window = actions.window
        self.action = QAction("Clinician &report…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.action.setStatusTip("Analyse the recording into a clinician report (HTML or PDF)")
        self.action.setToolTip("Clinician report of the last recording (Ctrl+Shift+R)")
        self.saved_box: QMessageBox | None = None  # the last "report saved" box
        self.error_box: QMessageBox | None = None  # the last "could not open" box
        self.action.triggered.connect(lambda: self.make_report())
        window.addAction(self.action)
        actions.file_menu.insertAction(actions.close_action, self.action)

    def make_report(
        self, source: Path | None = None, out: Path | None = None,
        earlier: Path | None = None, *, ask_compare: bool = True,
    ) -> Job | None:  # fmt: skip
        actions = self.actions
        source = source or actions.export_source("report on")
        if source is None:
            actions.warn("Report", "Nothing recorded yet: record the session first (Ctrl+R), "
                         "or open a recording (Ctrl+O).")  # fmt: skip
            return None
        out = out or self._ask_output(source)
        if out is None:
            return None
        if out.suffix.lower() not in REPORT_SUFFIXES:
            out = out.with_suffix(".pdf")
        if earlier is None and ask_compare and earlier_sessions(source):
            earlier = self._ask_earlier(source)
        job = Job("Report", f"Analysing {source.name}…",
                  lambda control: build_report(source, earlier, control),
                  actions.window)  # fmt: skip
        job.succeeded.connect(lambda built: self._save(out, built))
        job.failed.connect(lambda text: actions.warn("Report", text))
        job.cancelled.connect(lambda: actions.message("Report cancelled; nothing was written"))
        return actions.run_job(job)

    def _save(self, out: Path, built: object) -> None:
        assert isinstance(built, BuiltReport)
        try:
            save_report(out, built)
        except OSError as exc:
            self.actions.warn("Report", f"cannot write {out}: {exc.strerror or exc}")
            return
        self.actions.message(f"Report saved to {out}")
        self.offer_to_open(out)

    def offer_to_open(self, out: Path) -> None:
        """Say where the report went, with buttons to open it or its folder (not modal to
        the app: the session keeps running behind it)."""
        box = QMessageBox(self.actions.window)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Report saved")
        box.setText(f"The clinician report was saved to\n{out}")
        open_report = box.addButton("Open report", QMessageBox.ButtonRole.AcceptRole)
        show_folder = box.addButton("Show folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        open_report.clicked.connect(lambda: self.open_report(out))
        show_folder.clicked.connect(lambda: self.show_folder(out))
        box.setDefaultButton(open_report)
        box.open()
        self.saved_box = box

    def open_report(self, out: Path) -> bool:
        """Open the saved report; if that fails, say why and offer its folder."""
        if self.opener(out):
            return True
        box = self._error_box("Cannot open the report", f"Could not open {out}.\n\n{NO_VIEWER}")
        show_folder = box.addButton("Show folder", QMessageBox.ButtonRole.ActionRole)
        show_folder.clicked.connect(lambda: self.show_folder(out))
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(show_folder)
        box.open()
        return False

    def show_folder(self, out: Path) -> bool:
        """Open the report's folder; if that fails too, say so with the path to find."""
        if self.opener(out.parent):
            return True
        box = self._error_box(
            "Cannot show the folder",
            f"Could not open the folder {out.parent} either.\n\n{NO_VIEWER}\n\n"
            f"The report is at:\n{out}",
        )  # fmt: skip
        box.addButton(QMessageBox.StandardButton.Close)
        box.open()
        return False

    def _error_box(self, title: str, text: str) -> QMessageBox:
        """A warning box (not modal to the app), its text selectable to copy the path."""
        if self.error_box is not None:
            self.error_box.close()
        box = QMessageBox(self.actions.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_box = box
        return box

    def _ask_output(self, source: Path) -> Path | None:
        suggested = source.with_name(f"{source.stem}-report.pdf")
        name, _ = QFileDialog.getSaveFileName(
            self.actions.window, "Save clinician report", str(suggested),
            "PDF (*.pdf);;Web page (*.html)",
        )  # fmt: skip
        return Path(name) if name else None

    def _ask_earlier(self, source: Path) -> Path | None:
        answer = QMessageBox.question(
            self.actions.window, "Report",
            "This runner has earlier sessions in the same folder. Compare with one of them "
            "(pre/post retraining)?",
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return None
        name, _ = QFileDialog.getOpenFileName(
            self.actions.window, "Earlier session", str(source.parent),
            "gaitdeck recordings (*.gdrec)",
        )  # fmt: skip
        return Path(name) if name else None


def earlier_sessions(source: Path) -> list[Path]:
    """Other recordings of ``source``'s runner in its folder (the newest
    ``EARLIER_LOOKED_AT`` looked at), newest first; none for an unnamed runner."""
    runner = _runner_of(source)
    if not runner:
        return []
    try:
        others = [p for p in source.parent.glob("*.gdrec") if p != source]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return []
    return [p for p in others[:EARLIER_LOOKED_AT] if _runner_of(p) == runner]


def _runner_of(path: Path) -> str:
    try:
        return read_header(path).runner_id.strip()  # the header only: no record scan
    except GaitdeckError:
        return ""
