"""File → Clinician report: a recording analysed on a worker, saved as PDF or HTML."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from desktop_fakes import FakeSession
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton

from desktop.job_runner import Job
from desktop.main_window import MainWindow
from desktop.report_action import earlier_sessions, open_with_desktop

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"
SAMPLE = RECORDINGS / "sim-mixed.gdrec"
EARLIER = RECORDINGS / "sim-heel-striker-guarded.gdrec"


@pytest.fixture
def window(qtbot, session: FakeSession) -> Iterator[MainWindow]:
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.timer.stop()
    win.session_actions.warn = lambda title, text: pytest.fail(f"{title}: {text}")
    yield win
    win.shutdown()


def finish(qtbot, job: Job | None) -> Job:
    assert job is not None
    with qtbot.waitSignal(job.ended, timeout=120_000):
        pass
    return job


def test_pdf_report_of_a_recording(qtbot, window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    job = finish(qtbot, window.report_action.make_report(SAMPLE, out, ask_compare=False))
    assert job.outcome == "done"
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary left


def test_html_report_compared_with_an_earlier_session(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    finish(qtbot, window.report_action.make_report(SAMPLE, out, EARLIER))
    html = out.read_text(encoding="utf-8")
    assert "sim-mixed" in html and "sim-heel-striker-guarded" in html


def test_nothing_to_report_says_so(window: MainWindow) -> None:
    said: list[str] = []
    window.session_actions.warn = lambda title, text: said.append(text)
    assert window.report_action.make_report(out=Path("x.pdf"), ask_compare=False) is None
    assert said and "Nothing recorded yet" in said[0]


def test_cancel_writes_nothing(qtbot, window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    job = window.report_action.make_report(SAMPLE, out, ask_compare=False)
    assert job is not None
    job.cancel()
    finish(qtbot, job)
    assert job.outcome == "cancelled"  # stopped at the next progress report
    assert not out.exists()


class RecordingOpener:
    """An opener that notes what it was asked to open and answers as a desktop would:
    ``True`` where a program opened it, ``False`` where none could (``works`` says which)."""

    def __init__(self, works: set[str]) -> None:
        self.works = works
        self.asked: list[Path] = []

    def __call__(self, path: Path) -> bool:
        self.asked.append(path)
        return ("folder" if path.is_dir() else "file") in self.works


def saved_box_buttons(window: MainWindow, out: Path) -> dict[str, QAbstractButton]:
    window.report_action.offer_to_open(out)
    box = window.report_action.saved_box
    assert box is not None and box.isVisible() and str(out) in box.text()
    return {b.text(): b for b in box.buttons()}


def test_saved_report_offers_to_open_it_and_its_folder(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    opener = RecordingOpener({"file", "folder"})
    window.report_action.opener = opener
    out = tmp_path / "report.html"
    finish(qtbot, window.report_action.make_report(SAMPLE, out, ask_compare=False))
    box = window.report_action.saved_box
    assert box is not None and box.isVisible() and str(out) in box.text()
    buttons = {b.text(): b for b in box.buttons()}
    buttons["Show folder"].click()
    buttons["Open report"].click()
    assert opener.asked == [tmp_path, out]
    assert window.report_action.error_box is None  # both opened: nothing to say


def test_a_report_that_cannot_be_opened_says_so_and_offers_its_folder(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    opener = RecordingOpener({"folder"})
    window.report_action.opener = opener
    out = tmp_path / "report.html"
    out.write_text("<html></html>", encoding="utf-8")
    saved_box_buttons(window, out)["Open report"].click()
    error = window.report_action.error_box
    assert error is not None and error.isVisible()
    assert error.windowTitle() == "Cannot open the report"
    assert f"Could not open {out}." in error.text() and "xdg-open" in error.text()
    show_folder = {b.text(): b for b in error.buttons()}["Show folder"]
    assert error.defaultButton() is show_folder
    show_folder.click()
    assert opener.asked == [out, tmp_path]
    assert window.report_action.error_box is error  # the folder opened: no further box


def test_a_folder_that_cannot_be_shown_either_says_where_the_report_is(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    window.report_action.opener = RecordingOpener(set())  # no viewer at all
    out = tmp_path / "report.pdf"
    out.write_bytes(b"%PDF-1.4")
    saved_box_buttons(window, out)["Open report"].click()
    first = window.report_action.error_box
    assert first is not None
    {b.text(): b for b in first.buttons()}["Show folder"].click()
    last = window.report_action.error_box
    assert last is not None and last is not first and last.isVisible()
    assert last.windowTitle() == "Cannot show the folder"
    assert f"Could not open the folder {tmp_path} either." in last.text()
    assert last.text().endswith(f"The report is at:\n{out}")


def test_the_desktop_opener_failing_for_real_is_reported(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """The default opener (QDesktopServices) on a platform with no program to open files:
    the offscreen platform the tests run on has none, as a desktop without xdg-open."""
    if QGuiApplication.platformName() != "offscreen":
        pytest.skip("needs a platform without desktop services (offscreen)")
    assert window.report_action.opener is open_with_desktop
    out = tmp_path / "report.html"
    out.write_text("<html></html>", encoding="utf-8")
    assert not window.report_action.open_report(out)
    error = window.report_action.error_box
    assert error is not None and error.isVisible() and str(out) in error.text()
    {b.text(): b for b in error.buttons()}["Show folder"].click()
    last = window.report_action.error_box
    assert last is not error and last is not None and "either" in last.text()


def test_compare_is_offered_only_with_earlier_sessions_of_the_runner(tmp_path: Path) -> None:
    source = tmp_path / "today.gdrec"
    shutil.copy(SAMPLE, source)
    shutil.copy(EARLIER, tmp_path / "other-runner.gdrec")
    assert earlier_sessions(source) == []
    shutil.copy(SAMPLE, tmp_path / "last-week.gdrec")  # same runner id (sim-mixed)
    (tmp_path / "broken.gdrec").write_bytes(b"not a recording")
    assert earlier_sessions(source) == [tmp_path / "last-week.gdrec"]
