"""run_app: starts and stops the session, saves the screenshot, quits after the delay."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from desktop_fakes import FakeSession, SyntheticRunner
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import run_app


def test_run_app_screenshot_and_exit(qtbot, session: FakeSession, tmp_path: Path) -> None:
    SyntheticRunner(session.board).run(6.0)
    shot = tmp_path / "app.png"
    code = run_app(session, screenshot=shot, exit_after_s=0.5)
    assert code == 0
    assert shot.exists() and shot.stat().st_size > 20_000
    assert (session.started, session.stopped) == (1, 1)


def test_run_app_reports_a_failed_screenshot(qtbot, session: FakeSession, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code = run_app(session, screenshot=blocker / "x.png", exit_after_s=0.2)
    assert code == 1
    assert session.stopped == 1


def test_ctrl_c_quits_cleanly(qtbot, session: FakeSession) -> None:
    QTimer.singleShot(300, lambda: os.kill(os.getpid(), signal.SIGINT))
    code = run_app(session, exit_after_s=10.0)  # would hang the test if SIGINT were ignored
    assert code == 0
    assert session.stopped == 1
    assert signal.getsignal(signal.SIGINT) is not None  # previous handler restored


def test_closing_the_window_stops_the_session(qtbot, session: FakeSession) -> None:
    def close_all() -> None:
        for widget in QApplication.topLevelWidgets():
            widget.close()

    QTimer.singleShot(300, close_all)
    assert run_app(session, exit_after_s=10.0) == 0
    assert session.stopped == 1
