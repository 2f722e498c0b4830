"""File → Clinician report: a recording analysed on a worker, saved as PDF or HTML."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from desktop_fakes import FakeSession
from PySide6.QtGui import QDesktopServices

from desktop.job_runner import Job
from desktop.main_window import MainWindow
from desktop.report_action import earlier_sessions

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


def test_saved_report_offers_to_open_it_and_its_folder(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    out = tmp_path / "report.html"
    finish(qtbot, window.report_action.make_report(SAMPLE, out, ask_compare=False))
    box = window.report_action.saved_box
    assert box is not None and box.isVisible() and str(out) in box.text()
    buttons = {b.text(): b for b in box.buttons()}
    buttons["Show folder"].click()
    buttons["Open report"].click()
    assert opened == [str(tmp_path), str(out)]


def test_compare_is_offered_only_with_earlier_sessions_of_the_runner(tmp_path: Path) -> None:
    source = tmp_path / "today.gdrec"
    shutil.copy(SAMPLE, source)
    shutil.copy(EARLIER, tmp_path / "other-runner.gdrec")
    assert earlier_sessions(source) == []
    shutil.copy(SAMPLE, tmp_path / "last-week.gdrec")  # same runner id (sim-mixed)
    (tmp_path / "broken.gdrec").write_bytes(b"not a recording")
    assert earlier_sessions(source) == [tmp_path / "last-week.gdrec"]
