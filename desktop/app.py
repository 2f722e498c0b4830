"""Runs the live window on a session: the Qt composition root of ``gaitdeck``.

``run_app`` owns the session's lifetime: it starts it after the window exists and stops it
on every way out (the window closed, ``--exit-after`` elapsed, Ctrl+C, an exception).
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from desktop.cli_output import pods_screenshot_path
from desktop.main_window import MainWindow
from desktop.pod_manager_model import PodManagerModel
from desktop.qt_messages import install_message_filter
from desktop.screenshot import render_to_png
from desktop.theme import apply_theme
from desktop.view_models import SessionView
from drivers.clock_sync import SessionClock

log = logging.getLogger(__name__)

DEFAULT_SCREENSHOT_AFTER_S = 5.0  # with --screenshot but no --exit-after
SIGNAL_POLL_MS = 200  # lets Python run its SIGINT handler while Qt's loop is in C++
# A frame calls back into Python many times from Qt's painting (item bounds, paints), and
# each call must win the GIL back from the I/O and processing threads. At Python's default
# 5 ms switch interval a few such waits add up to a stall of 50 ms or more; at 1 ms the worst
# frame in bench_ui_block stays under ~40 ms, for a little more switching in the workers.
GUI_SWITCH_INTERVAL_S = 0.001


class RunnableSession(SessionView, Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


@contextmanager
def _quit_on_sigint(app: QCoreApplication) -> Iterator[None]:
    """Ctrl+C quits the event loop (cleanly) instead of being swallowed or killing Qt."""
    try:
        previous: Any = signal.signal(signal.SIGINT, lambda *_: app.quit())
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    poll = QTimer()
    poll.timeout.connect(lambda: None)
    poll.start(SIGNAL_POLL_MS)
    try:
        yield
    finally:
        poll.stop()
        signal.signal(signal.SIGINT, previous)


def favour_gui_thread() -> None:
    """Shorten the interpreter's thread switch interval so the GUI thread gets the GIL back
    quickly (process-wide; see ``GUI_SWITCH_INTERVAL_S``)."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


def _new_application() -> QApplication:
    """This process's QApplication, with Qt's noise kept off stderr (desktop.qt_messages)."""
    install_message_filter()
    return QApplication(sys.argv[:1])


def _finish(window: MainWindow, screenshot: Path | None, status: list[int]) -> Callable[[], None]:
    """The end-of-run action: save the screenshot(s) if asked, then quit."""

    def finish() -> None:
        if screenshot is not None:
            try:
                window.refresh_status()
                render_to_png(window, screenshot)
                log.info("screenshot saved to %s", screenshot)
                dialog = window.pod_dialog
                if dialog is not None and dialog.isVisible():
                    dialog.refresh()
                    render_to_png(dialog, pods_screenshot_path(screenshot))
            except Exception:
                log.exception("screenshot failed")
                status[0] = 1
        QApplication.quit()

    return finish


def run_app(
    session: RunnableSession,
    *,
    screenshot: Path | None = None,
    exit_after_s: float | None = None,
    show_fps: bool = True,
    pod_manager: PodManagerModel | None = None,
    show_pod_manager: bool = False,
    clock: SessionClock | None = None,
    runner_id: str = "",
    lsl: bool = False,
) -> int:
    """Show the live window on ``session`` until it is closed; returns the exit code.

    With ``exit_after_s`` the app quits by itself after that many seconds, saving
    ``screenshot`` (PNG) just before; a screenshot without ``exit_after_s`` is taken after
    ``DEFAULT_SCREENSHOT_AFTER_S`` and the app then quits too. Returns 1 if the screenshot
    could not be saved, else Qt's exit code. With ``pod_manager`` the window has a Pods
    action opening the pod manager; ``show_pod_manager`` opens it at once. ``clock`` is
    the live sources' session clock and ``runner_id`` names recordings made in the window;
    ``lsl`` starts streaming to Lab Streaming Layer at once.
    """
    app = QApplication.instance() or _new_application()
    assert isinstance(app, QApplication)
    apply_theme(app)
    favour_gui_thread()
    window = MainWindow(session, show_fps=show_fps, pod_manager=pod_manager, clock=clock,
                        runner_id=runner_id)  # fmt: skip
    status = [0]
    if screenshot is not None and exit_after_s is None:
        exit_after_s = DEFAULT_SCREENSHOT_AFTER_S
    try:
        session.start()
        window.show()
        if lsl:
            window.session_actions.set_lsl(True)
        if show_pod_manager:
            window.open_pod_manager()
        if exit_after_s is not None:
            QTimer.singleShot(int(exit_after_s * 1000), _finish(window, screenshot, status))
        with _quit_on_sigint(app):
            code = app.exec()
    finally:
        window.shutdown()  # a recording is closed cleanly before the sources stop
        session.stop()
        window.close()
        window.deleteLater()
    return status[0] or code
