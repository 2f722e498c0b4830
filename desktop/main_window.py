"""The live window: composes the widgets and pulls the session's board at frame rate.

On a replay session it is the replay window: the same panels, with a transport bar. Menus
and the record / marker / open / import / export / LSL actions are ``SessionActions``.

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

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar

from desktop import palette
from desktop.confidence_view import session_confidence
from desktop.dashboard_layout import Dashboard, DashboardParts, with_footer
from desktop.feedback import install_feedback
from desktop.pod_manager import PodManagerDialog
from desktop.pod_manager_model import PodManagerModel
from desktop.pod_view_models import foot_pod_text, pod_cards
from desktop.replay_control import ReplayControl, replay_note
from desktop.report_action import ReportAction
from desktop.screen_fit import size_window
from desktop.session_actions import SessionActions
from desktop.session_setup import install_setup_actions
from desktop.theme import STYLESHEET, configure_pyqtgraph
from desktop.view_menu import install_view
from desktop.view_models import DeckViewModel, FrameRateMeter, SessionView
from desktop.widgets.coordination import CoordinationPanel
from desktop.widgets.gait_timing import GaitTimingPanel
from desktop.widgets.live_traces import LiveTraces
from desktop.widgets.panel import Panel, ignore_text_width, set_text
from desktop.widgets.pod_status import PodStatusRow
from desktop.widgets.stride_ranges import StrideRangesPanel
from desktop.widgets.strike_indicator import StrikeIndicator
from desktop.widgets.transport import TransportBar
from drivers.clock_sync import SessionClock
from drivers.types import Placement
from processing.events import Side
from processing.quality import Quality
from processing.replay_session import ReplaySession

log = logging.getLogger(__name__)

FRAME_INTERVAL_MS = 25  # 40 Hz target
STATUS_HZ = 4.0
SCREENSHOT_SIZE = (1600, 1000)
CALIBRATION_S = 3.0
CALIBRATING = "Calibrating: stand still for 3 s"
CANNOT_CALIBRATE = "This session cannot recalibrate"


class MainWindow(QMainWindow):
    """Live view of one session: pod status, traces, strike indicators, stride ranges and
    pelvis–trunk coordination; Record, Marker and Calibrate (Ctrl+K) on the tool bar.
    On a ``ReplaySession`` it is the replay window: a transport bar instead of Record."""

    def __init__(
        self,
        session: SessionView,
        *,
        show_fps: bool = True,
        pod_manager: PodManagerModel | None = None,
        clock: SessionClock | None = None,
        runner_id: str = "",
        owns_session: bool = False,
    ) -> None:
        """``clock``: the live sources' session clock (for recording; found from the
        sources if not given). ``owns_session``: closing the window stops the session and
        closes its recording (replay windows opened from the File menu)."""
        super().__init__()
        configure_pyqtgraph()
        self.session = session
        self.pod_manager = pod_manager
        self.owns_session = owns_session
        self.replay = ReplayControl(session) if isinstance(session, ReplaySession) else None
        self.pod_dialog: PodManagerDialog | None = None
        self.view_model = DeckViewModel()
        self._board = session.board
        self.fps = FrameRateMeter()
        self.frame_errors: Counter[str] = Counter()
        self.last_error = ""
        self.frames = 0
        self.frame_cost_ms = 0.0  # time in the frame callback (not painting), smoothed
        self._last_status_s = -1.0
        self.setWindowTitle("gaitdeck · live")
        if isinstance(session, ReplaySession):
            self.setWindowTitle(f"gaitdeck · replay · {session.recording.path.name}")
        self.setStyleSheet(STYLESHEET)
        self._build(show_fps)
        self.session_actions = SessionActions(self, clock=clock, runner_id=runner_id)
        self.report_action = ReportAction(self.session_actions)  # File → Clinician report…
        self._add_session_tools()
        self.session_setup = install_setup_actions(self)  # New session…, stages, wizard
        self._frame_parts: list[tuple[str, Callable[[], None]]] = [
            ("events", self._pull_events),
            ("traces", self._draw_traces),
            ("strike", self._draw_strikes),
            ("strides", self.stride_panel.refresh),
            ("coordination", self.coordination_panel.refresh),
        ]
        if self.transport is not None:
            self._frame_parts.append(("transport", self.transport.refresh))
        self._status_parts: list[tuple[str, Callable[[], None]]] = [
            ("pods", self._draw_pods),
            ("timing", self.timing_panel.refresh),
            ("foot pods", self._draw_foot_pods),
            ("status bar", self._draw_status_bar),
            ("session", self.session_actions.refresh_status),
        ]
        self.feedback = install_feedback(self)  # Feedback menu, bar, cues, reference bands
        self.view_menu = install_view(self, self.feedback.bar)  # panels, theme, geometry
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

        title = "Replayed signals" if self.replay is not None else "Live signals"
        trace_panel = Panel(f"{title} — last 5 seconds")
        trace_panel.body.addWidget(self.traces, 1)
        self.transport = TransportBar(self.replay) if self.replay is not None else None
        self.dashboard = Dashboard(
            DashboardParts(self.pod_row, self._build_toolbar(), trace_panel,
                           (self.strike[Side.LEFT], self.strike[Side.RIGHT]), self.timing_panel,
                           self.stride_panel, self.coordination_panel, self.menuBar())
        )  # fmt: skip
        self.cue_banner = self.dashboard.cue_banner  # the cue's own slot, by the feedback bar
        self.setCentralWidget(with_footer(self.dashboard, self.transport))

        self.error_label = ignore_text_width(QLabel(""))
        self.fps_label = QLabel("")
        self.fps_label.setFixedWidth(230)  # its text changes every status tick
        self.fps_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.fps_label.setVisible(show_fps)
        self.note_label = QLabel("")  # a salvaged recording
        self.note_label.setStyleSheet(f"color: {palette.WARNING_COLOUR};")
        self.note_label.setVisible(False)
        self.rec_label = QLabel("")
        self.rec_label.setStyleSheet(f"color: {palette.RECORDING_COLOUR}; font-weight: bold;")
        self.lsl_label = QLabel("")
        self.lsl_label.setStyleSheet(f"color: {palette.TRUNK_COLOUR};")
        self.statusBar().addWidget(self.error_label, 1)
        self.statusBar().addPermanentWidget(self.note_label)
        self.statusBar().addPermanentWidget(self.rec_label)
        self.statusBar().addPermanentWidget(self.lsl_label)
        self.statusBar().addPermanentWidget(self.fps_label)
        size_window(self, QSize(*SCREENSHOT_SIZE))  # the screen's room, never more

    def _build_toolbar(self) -> QToolBar:
        """Session actions, at the end of the pod row (no extra row of height)."""
        self.calibrate_action = QAction("Quick calibrate (stand 3 s)", self)
        self.calibrate_action.setIconText("Calibrate")
        self.calibrate_action.setShortcut(QKeySequence("Ctrl+K"))
        self.calibrate_action.setToolTip("Calibrate again: stand still for 3 s (Ctrl+K)")
        self.calibrate_action.triggered.connect(self.calibrate)
        self.addAction(self.calibrate_action)  # the shortcut works wherever the focus is
        self.toolbar = QToolBar("Session", self)
        self.toolbar.setObjectName("sessionToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setOrientation(Qt.Orientation.Vertical)
        self.toolbar.addAction(self.calibrate_action)
        if self.pod_manager is not None:
            self.pods_action = QAction("Pods", self)
            self.pods_action.setShortcut(QKeySequence("Ctrl+P"))
            self.pods_action.setToolTip("Scan, place, connect and disconnect pods (Ctrl+P)")
            self.pods_action.triggered.connect(self.open_pod_manager)
            self.addAction(self.pods_action)
            self.toolbar.addAction(self.pods_action)
        return self.toolbar

    def _add_session_tools(self) -> None:
        """Record and Marker on the tool bar (live); the salvage note (replay); Space."""
        actions = self.session_actions
        if self.replay is None:
            self.toolbar.insertAction(self.calibrate_action, actions.record_action)
            self.toolbar.insertAction(self.calibrate_action, actions.marker_action)
            return
        note = replay_note(self.replay.session.recording)
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        transport = self.transport
        assert transport is not None
        playback = self.menuBar().addMenu("&Playback")
        for text, key, slot in (
            ("Play / pause", "Space", transport.toggle),
            ("Loop start (A)", "[", transport.mark_a),
            ("Loop end (B)", "]", transport.mark_b),
            ("Stop looping", "\\", transport.clear_loop),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(slot)
            self.addAction(action)
            playback.addAction(action)
            if key == "Space":
                self.play_action = action

    def open_pod_manager(self) -> None:
        """Show the pod manager (created on first use, scanning at once)."""
        if self.pod_manager is None:
            return
        if self.pod_dialog is None:
            self.pod_dialog = PodManagerDialog(self.pod_manager, self)
        self.pod_dialog.show()
        self.pod_dialog.raise_()

    def close_pod_manager(self) -> None:
        if self.pod_dialog is not None:
            self.pod_dialog.close()

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

    def add_frame_part(self, name: str, part: Callable[[], None], *, status: bool = False) -> None:
        """Run ``part`` every frame (or at the status rate), contained like the others."""
        (self._status_parts if status else self._frame_parts).append((name, part))

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
        board = self.session.board
        if board is not self._board:  # the session was rebuilt (pods came or went)
            self._board = board
            self.view_model.cursor = 0
        self.view_model.pull(board)

    def _draw_traces(self) -> None:
        self.traces.refresh(self.session.board, self.view_model.markers,
                            self.session_actions.user_markers())  # fmt: skip

    def _draw_strikes(self) -> None:
        for indicator in self.strike.values():
            indicator.refresh()

    def _draw_pods(self) -> None:
        confidence = session_confidence(self.session, self.view_model.feet)
        lines = {p: (c.text, c.quality is not Quality.GOOD) for p, c in confidence.items()}
        self.pod_row.set_cards(pod_cards(self.session.pod_status(), lines))
        trunk = confidence.get(Placement.TRUNK)
        ambiguous = trunk is not None and trunk.quality is Quality.AMBIGUOUS
        self.traces.set_trunk_note(trunk.text if trunk is not None and ambiguous else "")

    def _draw_foot_pods(self) -> None:
        foot_pods = getattr(self.session, "foot_pods", None)  # only sessions with RSC pods
        self.timing_panel.set_foot_pods(foot_pod_text(foot_pods()) if foot_pods else "")

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
        set_text(self.rec_label, self.session_actions.recording.status_text())
        set_text(self.lsl_label, self.session_actions.lsl_text())

    # ------------------------------------------------------------------------ closing
    def shutdown(self) -> None:
        """Stop recording (the file is closed cleanly), streaming and replays opened from
        here; stop the session too if the window owns it. Idempotent."""
        self.timer.stop()
        self.close_pod_manager()  # else the open dialog would keep the app running
        if self.session_setup is not None:
            self.session_setup.close_dialogs()
        self.feedback.shutdown()  # before recording stops: its stop marker is recorded
        self.session_actions.shutdown()
        if self.owns_session:
            self.owns_session = False
            stop = getattr(self.session, "stop", None)
            if stop is not None:
                stop()
            if self.replay is not None:
                self.replay.session.recording.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
