"""Retraining feedback in the live window: the Feedback menu, the feedback bar, the cue
banner and sound, recording of cues, and the reference bands that follow the settings.

Each frame ``on_frame`` pulls new events (``LiveFeedback``); every cue given shows the
banner and plays the tone, and while recording it is written as a ``feedback_cue`` event
(``{"type": "feedback_cue", "cue", "side", "value", "message", "block"}`` at the step's or
stride's session time); starting and stopping a run, and each new block, are markers.
At the status rate the bar shows the block and tally, and the coordination panel and the
cadence panel get the baseline and the symmetry.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from desktop.feedback.bar import FeedbackBar
from desktop.feedback.model import LiveFeedback
from desktop.feedback.sound import QSOUND, CueSound
from desktop.layout import app_settings
from processing.feedback import (
    BLOCK_MARKER,
    CUE_EVENT,
    START_MARKER,
    STOP_MARKER,
    TALLY_MARKER,
    Cue,
    FeedbackSettings,
)

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SETTINGS_GROUP = "feedback"
SOUND_KEY = "feedback_sound/on"
CUE_TOGGLES = (("rearfoot", "Rearfoot strike"), ("twist", "Trunk twist below band"),
               ("lean", "Trunk lean outside band"))  # fmt: skip


def load_settings() -> FeedbackSettings:
    settings = app_settings()
    settings.beginGroup(SETTINGS_GROUP)
    data = {key: settings.value(key) for key in settings.childKeys()}
    settings.endGroup()
    return FeedbackSettings.from_dict(data)


def save_settings(value: FeedbackSettings) -> None:
    settings = app_settings()
    settings.beginGroup(SETTINGS_GROUP)
    for key, item in value.to_dict().items():
        settings.setValue(key, str(item))
    settings.endGroup()
    settings.sync()


class FeedbackControl(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.model = LiveFeedback(load_settings())
        self.bar = FeedbackBar(self.model.settings)
        self.banner = window.cue_banner  # its own slot beside the bar: never over a panel
        self.sound = CueSound(self)
        self.sound.enabled = str(app_settings().value(SOUND_KEY, "true")).lower() == "true"
        self._block = -1
        self.bar.settings_changed.connect(self.set_settings)
        self.bar.start_toggled.connect(self.set_running)
        self._build_menu()
        self._apply_references()
        self._show_baseline()
        window.session_actions.before_stop.append(self._mark_tally)

    # ------------------------------------------------------------------ menu
    def _build_menu(self) -> None:
        window = self.window
        menu = window.menuBar().addMenu("F&eedback")
        self.start_action = QAction("Start feedback block", window)
        self.start_action.setCheckable(True)
        self.start_action.setShortcut(QKeySequence("Ctrl+F"))
        self.start_action.toggled.connect(self.set_running)
        window.addAction(self.start_action)
        menu.addAction(self.start_action)
        menu.addSeparator()
        self.cue_actions: dict[str, QAction] = {}
        for key, text in CUE_TOGGLES:
            action = QAction(text, window)
            action.setCheckable(True)
            action.setChecked(bool(getattr(self.model.settings, key)))
            action.toggled.connect(lambda on, key=key: self._toggle_cue(key, on))
            menu.addAction(action)
            self.cue_actions[key] = action
        self.sound_action = QAction("Sound with each cue", window)
        self.sound_action.setCheckable(True)
        self.sound_action.setChecked(self.sound.enabled)
        self.sound_action.toggled.connect(self.set_sound)
        menu.addAction(self.sound_action)
        menu.aboutToShow.connect(self._describe_sound)
        self._describe_sound()
        menu.addSeparator()
        self.baseline_action = QAction("Set coordination baseline", window)
        self.baseline_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.baseline_action.setToolTip("Take the next strides as the runner's own baseline")
        self.baseline_action.triggered.connect(self.set_baseline)
        window.addAction(self.baseline_action)
        menu.addAction(self.baseline_action)
        window.calibrate_action.triggered.connect(self.set_baseline)  # new neutral, new baseline
        self.menu = menu

    def _describe_sound(self) -> None:
        """Name what the cue sound plays through when it is not the tone."""
        backend = self.sound.check()
        text = "Sound with each cue"
        self.sound_action.setText(text if backend == QSOUND else f"{text} ({backend})")

    def _toggle_cue(self, key: str, on: bool) -> None:
        values = self.model.settings.to_dict()
        values[key] = on
        self.set_settings(FeedbackSettings.from_dict(values))

    # -------------------------------------------------------------- settings
    def set_settings(self, settings: FeedbackSettings) -> None:
        self.model.set_settings(settings)
        save_settings(settings)
        self.bar.set_settings(settings)
        for key, action in self.cue_actions.items():
            action.blockSignals(True)
            action.setChecked(bool(getattr(settings, key)))
            action.blockSignals(False)
        self._apply_references()

    def set_sound(self, on: bool) -> None:
        self.sound.enabled = on
        app_settings().setValue(SOUND_KEY, "true" if on else "false")

    def _apply_references(self) -> None:
        s = self.model.settings
        lean = (s.lean_low_deg, s.lean_high_deg) if s.lean else None
        twist = s.twist_min_deg if s.twist else None
        self.window.stride_panel.set_references(lean, twist)
        self.window.traces.flexion_references.set_band(lean)

    # ------------------------------------------------------------------- run
    def now_s(self) -> float:
        """Session time of the newest data shown (traces, else events)."""
        now = self.window.traces.now_s
        return now if math.isfinite(now) else self.model.latest_s

    def set_running(self, on: bool) -> None:
        if on == self.model.running:
            return
        if on:
            self.model.start(self.now_s())
            self._block = -1
            self._mark(f"{START_MARKER} {self.model.settings.schedule}")
        else:
            self.model.stop(self.now_s())
            status = self.model.status(self.now_s())
            given, due = (status.run_given, status.run_due) if status is not None else (0, 0)
            self._mark(f"{STOP_MARKER} (given {given} of {due} over the run)")
        self.start_action.blockSignals(True)
        self.start_action.setChecked(on)
        self.start_action.blockSignals(False)
        self.start_action.setText("Stop feedback block" if on else "Start feedback block")
        self.bar.set_running(on)
        self.refresh_status()

    def set_baseline(self) -> None:
        self.model.baseline.arm()
        self._show_baseline()

    def on_frame(self) -> None:
        pulled = self.model.pull(self.window.session.board)
        if pulled.cues:
            self.give(pulled.cues)
        if pulled.baseline_done:
            self._show_baseline()

    def give(self, cues: list[Cue]) -> None:
        """Show and sound ``cues`` (one banner and tone for those of one frame), and
        record them."""
        messages = list(dict.fromkeys(cue.message for cue in cues))
        self.banner.show_cue(" · ".join(messages))
        self.sound.play()
        recorder = self.window.session_actions.recording.recorder
        if recorder is None:
            return
        controller = self.model.controller
        for cue in cues:
            block = controller.block_name(cue.t_s) if controller is not None else ""
            value = cue.value if math.isfinite(cue.value) else None
            recorder.event(CUE_EVENT, cue.t_s, cue=cue.kind.value, side=cue.side,
                           value=value, message=cue.message, block=block)  # fmt: skip

    def _mark_tally(self) -> None:
        """A recording stopped while a block runs ends with the block's tally so far."""
        status = self.model.status(self.now_s()) if self.model.running else None
        if status is not None:
            self._mark(f"{TALLY_MARKER} {status.block}, "
                       f"given {status.given} of {status.due}")  # fmt: skip

    def _mark(self, text: str, t_s: float | None = None) -> None:
        if self.window.session_actions.recording.recording:
            self.window.session_actions.recording.marker(text, t_s)

    # ---------------------------------------------------------------- status
    def refresh_status(self) -> None:
        status = self.model.status(self.now_s())
        running = self.model.running
        if running and status is not None and status.index != self._block:
            if self._block >= 0:
                self._mark(f"{BLOCK_MARKER} {status.block}")
            self._block = status.index
        if running and status is not None and status.finished:
            self.set_running(False)
            return
        self.bar.show_status(status, running)
        self.window.timing_panel.set_symmetry(self.model.symmetry.value())
        if self.model.baseline.armed:
            self._show_baseline()

    def _show_baseline(self) -> None:
        baseline = self.model.baseline
        value = baseline.value
        if baseline.armed:
            got = f"collecting {baseline.collected}/{baseline.strides} strides"
            text = f"Baseline: {got}" + (" (the previous one shows until then)" if value else "")
        elif value is not None:
            text = (
                f"Baseline (first {value.strides} strides): in-phase {value.in_phase_pct:.0f}%"
                f" · CRP {value.crp_deg:.0f}° · dashed lines"
            )
        else:
            text = ""
        self.window.coordination_panel.set_baseline(value, text)

    def shutdown(self) -> None:
        if self.model.running:
            self.set_running(False)
        self.sound.close()
