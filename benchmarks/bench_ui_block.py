"""How long the GUI thread is blocked: the live dashboard on 4 simulated pods at 200 Hz,
off-screen, with retraining feedback running (every rearfoot strike cued, banner and
sound), for ``--seconds`` (target: never blocked more than 50 ms).

Two measures on the GUI thread:

* **probe lateness** — a 5 ms QTimer; each firing's delay past its due time is time the
  event loop could not run (a frame, a paint, a layout, anything);
* **frame update** — the duration of each ``MainWindow.on_frame`` call (pulling the board,
  redrawing traces and panels, the feedback's event pull and cues); painting follows it
  in the event loop and shows up in the probe.

The app shortens Python's thread switch interval to 1 ms (``desktop.app.favour_gui_thread``);
``--default-switch-interval`` measures without that, for comparison.

Run: python benchmarks/bench_ui_block.py [--seconds 30] [--runner heel-striker-guarded]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GAITDECK_CONFIG_DIR", tempfile.mkdtemp(prefix="gaitdeck-bench-"))

from common import percentiles_ms, report
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import favour_gui_thread
from desktop.main_window import MainWindow
from desktop.theme import apply_theme
from drivers.sim.session import simulated_pods
from processing.feedback import FeedbackSettings
from processing.live_session import LiveSession

PROBE_MS = 5
TARGET_MS = 50.0


class LatenessProbe:
    """A precise 5 ms timer recording how late each firing is (seconds)."""

    def __init__(self) -> None:
        self.late_s: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self._due = 0.0

    def start(self) -> None:
        self.late_s.clear()
        self._due = time.perf_counter() + PROBE_MS / 1000.0
        self.timer.start(PROBE_MS)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late_s.append(max(0.0, now - self._due))
        self._due = now + PROBE_MS / 1000.0


def timed_frames(window: MainWindow) -> list[float]:
    """Wrap the window's frame callback to record each call's duration (seconds)."""
    durations: list[float] = []
    frame = window.on_frame

    def timed() -> None:
        start = time.perf_counter()
        frame()
        durations.append(time.perf_counter() - start)

    window.timer.timeout.disconnect()
    window.timer.timeout.connect(timed)
    return durations


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=8.0)
    parser.add_argument("--runner", default="heel-striker-guarded")
    parser.add_argument("--no-feedback", action="store_true", help="for comparison")
    parser.add_argument(
        "--default-switch-interval",
        action="store_true",
        help="keep Python's 5 ms GIL switch interval (for comparison)",
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    if not args.default_switch_interval:
        favour_gui_thread()  # as the app does
    session = LiveSession(simulated_pods(args.runner, rate_hz=200.0, seed=5))
    window = MainWindow(session)
    window.resize(1600, 1000)
    window.feedback.set_settings(FeedbackSettings(schedule="constant", retention=False))
    window.feedback.set_running(not args.no_feedback)
    frames = timed_frames(window)
    probe = LatenessProbe()
    window.show()
    session.start()
    end = time.monotonic() + args.warmup  # standing, calibration, first strides
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)
    frames.clear()
    cues0 = window.feedback.banner.shown
    probe.start()
    QTimer.singleShot(int(args.seconds * 1000), app.quit)
    wall0, cpu0 = time.monotonic(), time.thread_time()
    app.exec()
    wall_s, cpu_s = time.monotonic() - wall0, time.thread_time() - cpu0
    probe.timer.stop()
    window.shutdown()
    session.stop()
    lateness, update = percentiles_ms(probe.late_s), percentiles_ms(frames)
    report(
        "ui_block" + ("_no_feedback" if args.no_feedback else "")
        + ("_default_switch" if args.default_switch_interval else ""),
        {"pods": 4, "switch_interval_ms": 1000 * sys.getswitchinterval(),
         "rate_hz": 200.0, "runner": args.runner, "seconds": round(wall_s, 1),
         "feedback": "off" if args.no_feedback else "constant, all cues",
         "cues_shown": window.feedback.banner.shown - cues0,
         "fps": len(frames) / wall_s, "gui_thread_cpu_pct": 100 * cpu_s / wall_s,
         "probe_lateness": lateness, "frame_update": update,
         "longest_block_ms": max(lateness["max_ms"], update["max_ms"]),
         "probe_late_over_33_ms": sum(late > 0.033 for late in probe.late_s),
         "probe_late_over_50_ms": sum(late > 0.050 for late in probe.late_s),
         "target": f"GUI thread never blocked more than {TARGET_MS:.0f} ms"},
    )  # fmt: skip


if __name__ == "__main__":
    main()
