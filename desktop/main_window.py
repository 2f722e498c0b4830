"""The live window: composes the widgets and pulls the session's board at frame rate.

One QTimer drives everything. Each frame reads new events from a cursor and the latest
traces; the strike indicators and stride panel redraw only when their model changed, the
pod status row and the number panels at ``STATUS_HZ``. Nothing raised in a frame escapes:
errors are counted per part and shown in the status bar while the other parts keep going.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.theme import STYLESHEET, configure_pyqtgraph
from desktop.view_models import DeckViewModel, FrameRateMeter, SessionView, pod_cards
from desktop.widgets.coordination import CoordinationPanel
from desktop.widgets.gait_timing import GaitTimingPanel
from desktop.widgets.live_traces import LiveTraces
from desktop.widgets.panel import Panel, ignore_text_width, set_text
from desktop.widgets.pod_status import PodStatusRow
from desktop.widgets.stride_ranges import StrideRangesPanel
from desktop.widgets.strike_indicator import StrikeIndicator
from processing.events import Side

log = logging.getLogger(__name__)

FRAME_INTERVAL_MS = 25  # 40 Hz target
STATUS_HZ = 4.0
SCREENSHOT_SIZE = (1600, 1000)
CALIBRATION_S = 3.0
CALIBRATING = "Calibrating: stand still for 3 s"
CANNOT_CALIBRATE = "This session cannot recalibrate"


class MainWindow(QMainWindow):
    """Live view of one session: pod status, traces, strike indicators, stride ranges and
    pelvis–trunk coordination; a Calibrate action (Ctrl+K) on the tool bar."""

    def __init__(self, session: SessionView, *, show_fps: bool = True) -> None:
        super().__init__()
        configure_pyqtgraph()
        self.session = session
        self.view_model = DeckViewModel()
        self.fps = FrameRateMeter()
        self.frame_errors: Counter[str] = Counter()
        self.last_error = ""
        self.frames = 0
        self.frame_cost_ms = 0.0  # time in the frame callback (not painting), smoothed
        self._last_status_s = -1.0
        self.setWindowTitle("gaitdeck · live")
        self.setStyleSheet(STYLESHEET)
        self._build(show_fps)
        self._frame_parts: list[tuple[str, Callable[[], None]]] = [
            ("events", self._pull_events),
            ("traces", self._draw_traces),
            ("strike", self._draw_strikes),
            ("strides", self.stride_panel.refresh),
            ("coordination", self.coordination_panel.refresh),
        ]
        self._status_parts: list[tuple[str, Callable[[], None]]] = [
            ("pods", self._draw_pods),
            ("timing", self.timing_panel.refresh),
            ("status bar", self._draw_status_bar),
        ]
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.on_frame)
        self.timer.start(FRAME_INTERVAL_MS)
        self.on_frame()

    # ------------------------------------------------------------------------- layout
    def _build(self, show_fps: bool) -> None:
        vm = self.view_model
        self.pod_row = PodStatusRow()
        self.traces = LiveTraces()
        self.strike = {side: StrikeIndicator(vm.feet[side]) for side in Side}
        self.timing_panel = GaitTimingPanel(vm.cadence)
        self.stride_panel = StrideRangesPanel(vm.strides)
        self.coordination_panel = CoordinationPanel(vm.coordination)

        trace_panel = Panel("Live signals — last 5 seconds")
        trace_panel.body.addWidget(self.traces, 1)
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(trace_panel, 5)
        left.addWidget(self.coordination_panel, 2)

        feet = QHBoxLayout()
        feet.setSpacing(10)
        feet.addWidget(self.strike[Side.LEFT], 1)
        feet.addWidget(self.strike[Side.RIGHT], 1)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addLayout(feet, 5)
        right.addWidget(self.timing_panel)
        right.addWidget(self.stride_panel, 4)

        main = QHBoxLayout()
        main.setSpacing(10)
        main.addLayout(left, 1)
        main.addLayout(right, 1)

        central = QWidget()
        central.setObjectName("central")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(10, 10, 10, 6)
        outer.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.pod_row, 1)
        top.addWidget(self._build_toolbar())
        outer.addLayout(top)
        outer.addLayout(main, 1)
        self.setCentralWidget(central)

        self.error_label = ignore_text_width(QLabel(""))
        self.fps_label = QLabel("")
        self.fps_label.setFixedWidth(230)  # its text changes every status tick
        self.fps_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.fps_label.setVisible(show_fps)
        self.statusBar().addWidget(self.error_label, 1)
        self.statusBar().addPermanentWidget(self.fps_label)
        self.resize(*SCREENSHOT_SIZE)

    def _build_toolbar(self) -> QToolBar:
        """Session actions, at the end of the pod row (no extra row of height)."""
        self.calibrate_action = QAction("Calibrate", self)
        self.calibrate_action.setShortcut(QKeySequence("Ctrl+K"))
        self.calibrate_action.setToolTip("Calibrate again: stand still for 3 s (Ctrl+K)")
        self.calibrate_action.triggered.connect(self.calibrate)
        self.addAction(self.calibrate_action)  # the shortcut works wherever the focus is
        self.toolbar = QToolBar("Session", self)
        self.toolbar.setObjectName("sessionToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setOrientation(Qt.Orientation.Vertical)
        self.toolbar.addAction(self.calibrate_action)
        return self.toolbar

    def calibrate(self) -> None:
        """Ask the session to recalibrate and tell the runner to stand still."""
        try:
            accepted = self.session.request_calibration()
        except Exception as exc:  # contain, like a frame part
            self.frame_errors["calibrate"] += 1
            self.last_error = f"calibrate: {exc!r}"
            log.exception("calibration request failed")
            accepted = False
        message = CALIBRATING if accepted else CANNOT_CALIBRATE
        self.statusBar().showMessage(message, int(CALIBRATION_S * 1000))

    # -------------------------------------------------------------------------- frame
    def on_frame(self) -> None:
        """One UI frame; safe to call by hand in tests."""
        now_s = time.monotonic()
        self.frames += 1
        self.fps.tick(now_s)
        self._run_parts(self._frame_parts)
        if now_s - self._last_status_s >= 1.0 / STATUS_HZ:
            self._last_status_s = now_s
            self._run_parts(self._status_parts)
        cost_ms = (time.monotonic() - now_s) * 1000.0
        self.frame_cost_ms += 0.1 * (cost_ms - self.frame_cost_ms)  # smoothed

    def refresh_status(self) -> None:
        """Redraw the throttled parts now (tests, screenshots)."""
        self._run_parts(self._status_parts)

    def _run_parts(self, parts: list[tuple[str, Callable[[], None]]]) -> None:
        for name, part in parts:
            try:
                part()
            except Exception as exc:  # contain: one failing part must not stop the others
                self.frame_errors[name] += 1
                self.last_error = f"{name}: {exc!r}"
                if self.frame_errors[name] == 1:
                    log.exception("UI frame part %r failed", name)

    def _pull_events(self) -> None:
        self.view_model.pull(self.session.board)

    def _draw_traces(self) -> None:
        self.traces.refresh(self.session.board, self.view_model.markers)

    def _draw_strikes(self) -> None:
        for indicator in self.strike.values():
            indicator.refresh()

    def _draw_pods(self) -> None:
        self.pod_row.set_cards(pod_cards(self.session.pod_status()))

    def _draw_status_bar(self) -> None:
        set_text(self.fps_label, f"{self.fps.fps:.0f} fps · update {self.frame_cost_ms:.1f} ms")
        ui_errors = sum(self.frame_errors.values())
        processing_errors = list(self.session.board.errors)
        parts = [f"{self.view_model.events_seen} gait events"]
        if processing_errors:
            parts.append(f"processing errors: {len(processing_errors)} ({processing_errors[-1]})")
        if ui_errors:
            parts.append(f"UI errors: {ui_errors} ({self.last_error})")
        set_text(self.error_label, "  ·  ".join(parts))

    # ------------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        super().closeEvent(event)
