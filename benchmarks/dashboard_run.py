"""Runs the real dashboard off-screen on a live simulated session and samples it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.main_window import MainWindow
from desktop.theme import apply_theme
from processing.live_session import LiveSession


@dataclass
class DashboardRun:
    """Frame and CPU figures of one off-screen run of the main window."""

    wall_s: float = 0.0
    frames: int = 0
    gui_cpu_s: float = 0.0
    max_frame_gap_ms: float = 0.0
    samples: list[dict[str, float]] = field(default_factory=list)


def run_dashboard(
    session: LiveSession,
    seconds: float,
    *,
    warmup_s: float = 2.0,
    sample_every_s: float = 5.0,
    sample: Callable[[], dict[str, float]] | None = None,
    until: Callable[[], bool] | None = None,
) -> DashboardRun:
    """Show the window on ``session`` for ``seconds`` after a warm-up; GUI CPU is the main
    thread's CPU time, so the I/O and processing threads are not counted."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    window = MainWindow(session)
    window.show()
    session.start()
    run = DashboardRun()
    gaps = _FrameGaps(window)
    _spin(app, warmup_s)
    frames0, cpu0, wall0 = window.frames, time.thread_time(), time.monotonic()
    gaps.reset()
    next_sample = wall0
    while time.monotonic() - wall0 < seconds and not (until and until()):
        _spin(app, 0.1)
        if sample is not None and time.monotonic() >= next_sample:
            run.samples.append({"wall_s": time.monotonic() - wall0, **sample()})
            next_sample += sample_every_s
    run.wall_s = time.monotonic() - wall0
    run.frames = window.frames - frames0
    run.gui_cpu_s = time.thread_time() - cpu0
    run.max_frame_gap_ms = gaps.max_ms
    window.timer.stop()
    session.stop()
    window.close()
    return run


def _spin(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)


class _FrameGaps:
    """Largest interval between two frame callbacks: how long the GUI thread stalled."""

    def __init__(self, window: MainWindow) -> None:
        self.max_ms = 0.0
        self._last = time.monotonic()
        self._probe = QTimer(window)
        self._probe.timeout.connect(self._tick)
        self._probe.start(10)

    def _tick(self) -> None:
        now = time.monotonic()
        self.max_ms = max(self.max_ms, (now - self._last) * 1000.0)
        self._last = now

    def reset(self) -> None:
        self.max_ms, self._last = 0.0, time.monotonic()
