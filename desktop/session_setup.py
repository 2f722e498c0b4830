"""Session → New session…: the runner, notes, treadmill stages, marker hotkeys and pods;
plus the Session menu's Next stage, Calibration wizard… and Re-check calibration.

``install_setup_actions(window)`` adds these to a live window (not to replay windows) and
returns the ``SetupController`` that owns the current ``SessionSetup``:

* the setup feeds the recording control: runner id and notes go into the next recording's
  header, the stages and marker presets into its ``extra`` (``processing.session_setup``);
* **Next stage** (N) starts the next planned stage (asking for speed and incline once the
  plan is used up) and marks ``stage 2: 12.0 km/h, 1 %`` in the recording; a recording
  started mid-stage opens with the current stage's marker, so a report can split by stage;
* the setup persists in QSettings (``<config dir>/session.ini``) for the next launch.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from desktop.setup_dialog import SessionSetupDialog, StageDialog
from desktop.wizard.calibration_wizard import CalibrationWizard
from desktop.wizard.recheck import RecheckDialog
from drivers.pod_memory import config_dir
from processing.session_setup import SessionSetup, StageTracker, TreadmillStage

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SETTINGS_KEY = "session/setup"
NEXT_STAGE_KEY = "N"
WIZARD_KEY = "Ctrl+Shift+K"
NEW_SESSION_KEY = "Ctrl+N"


def settings() -> QSettings:
    """Where the setup is kept: an INI file in gaitdeck's config folder (which
    ``GAITDECK_CONFIG_DIR`` moves, e.g. in tests)."""
    return QSettings(str(config_dir() / "session.ini"), QSettings.Format.IniFormat)


def load_setup(store: QSettings) -> SessionSetup:
    raw = store.value(SETTINGS_KEY, "")
    try:
        return SessionSetup.from_dict(json.loads(str(raw))) if raw else SessionSetup()
    except json.JSONDecodeError:
        return SessionSetup()


def save_setup(store: QSettings, setup: SessionSetup) -> None:
    store.setValue(SETTINGS_KEY, json.dumps(setup.to_dict(), ensure_ascii=False))
    store.sync()


class SetupController(QObject):
    """The window's current setup and stage; the Session menu's setup actions."""

    def __init__(self, window: MainWindow, store: QSettings | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.store = store or settings()
        self.setup = load_setup(self.store)
        self.stages = StageTracker(self.setup.stages)
        self.wizard: CalibrationWizard | None = None
        self.recheck: RecheckDialog | None = None
        self.dialog: SessionSetupDialog | None = None
        recording = window.session_actions.recording
        if not self.setup.runner_id:  # nothing set up yet: keep the window's own id
            self.setup = dataclasses.replace(self.setup, runner_id=recording.runner_id)
        recording.on_start.append(self._recording_started)
        self.stage_label = QLabel("")
        window.statusBar().addPermanentWidget(self.stage_label)
        self._build_actions()
        self.apply(self.setup)

    # ----------------------------------------------------------------------- actions
    def _action(self, text: str, key: str, tip: str) -> QAction:
        action = QAction(text, self.window)
        if key:
            action.setShortcut(QKeySequence(key))
        action.setToolTip(f"{tip} ({key})" if key else tip)
        self.window.addAction(action)  # the shortcut works wherever the focus is
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(
            "New session…", NEW_SESSION_KEY, "Runner, notes, stages, marker hotkeys, pods"
        )
        self.new_action.triggered.connect(self.open_setup)
        self.stage_action = self._action("Next stage", NEXT_STAGE_KEY,
                                         "Start the next treadmill stage and mark it")  # fmt: skip
        self.stage_action.triggered.connect(lambda _checked=False: self.next_stage())
        self.wizard_action = self._action(
            "Calibration wizard…", WIZARD_KEY, "Calibration wizard: stand still, walk, check"
        )
        self.wizard_action.setIconText("Calibrate…")
        self.wizard_action.triggered.connect(self.open_wizard)
        self.recheck_action = self._action("Re-check calibration", "",
                                           "Stand still again: has a pod slipped?")  # fmt: skip
        self.recheck_action.triggered.connect(self.open_recheck)
        menu = self.window.session_actions.session_menu
        first = menu.actions()[0]  # Record
        menu.insertAction(first, self.new_action)
        menu.insertSeparator(first)
        calibrate = self.window.calibrate_action
        menu.insertAction(calibrate, self.stage_action)
        menu.insertSeparator(calibrate)
        menu.addAction(self.wizard_action)
        menu.addAction(self.recheck_action)
        toolbar = self.window.toolbar  # the guided calibration on the tool bar; Ctrl+K stays
        toolbar.insertAction(calibrate, self.wizard_action)
        toolbar.removeAction(calibrate)

    # ------------------------------------------------------------------------- setup
    def apply(self, setup: SessionSetup, *, new_session: bool = False) -> None:
        """Use ``setup`` from now on: recordings, marker hotkeys, the stage plan."""
        self.setup = setup
        recording = self.window.session_actions.recording
        recording.runner_id = setup.runner_id
        recording.notes = setup.notes
        recording.extra = setup.header_extra()
        self.window.session_actions.set_marker_presets(setup.marker_presets)
        current = 0 if new_session else min(self.stages.current, len(setup.stages))
        self.stages = StageTracker(setup.stages)
        self.stages.current = current
        self._show_stage()

    def open_setup(self) -> SessionSetupDialog:
        dialog = SessionSetupDialog(self.setup, self.window, stage=self.stages.current)
        dialog.setModal(True)  # one setup at a time; the dashboard keeps running behind it
        dialog.accepted.connect(lambda: self.accept_setup(dialog.result_setup()))
        self.dialog = dialog
        dialog.show()
        return dialog

    def accept_setup(self, setup: SessionSetup) -> None:
        new_runner = setup.runner_id != self.setup.runner_id
        self.apply(setup, new_session=new_runner)
        save_setup(self.store, setup)
        self.window.session_actions.message(
            f"Session set up for runner {setup.runner_id}: next, Calibrate… (Ctrl+Shift+K), "
            "then Record (Ctrl+R)"
        )
        self.window.activateWindow()  # the hotkeys (N, 1–9, M) work on the main window

    # ------------------------------------------------------------------------ stages
    def next_stage(self, extra: TreadmillStage | None = None) -> str | None:
        """Start the next stage and mark it; returns its marker text (None if cancelled)."""
        if self.stages.next_planned() is None and extra is None:
            last = self.stages.stages[-1] if self.stages.stages else TreadmillStage(10.0, 1.0)
            extra = self.ask_stage(self.stages.current + 1, last)
            if extra is None:
                return None
        started = self.stages.advance(extra)
        if started is None:
            return None
        if len(self.stages.stages) != len(self.setup.stages):  # an extra stage: keep it
            self._keep_stages()
        marker = self.stages.marker()
        assert marker is not None
        actions = self.window.session_actions
        if actions.recording.marker(marker) is None:
            actions.message(f"{marker.capitalize()} — not recording: it will be marked when "
                            "recording starts")  # fmt: skip
        else:
            actions.message(f"{marker.capitalize()} marked")
        self._show_stage()
        return marker

    def ask_stage(self, number: int, like: TreadmillStage) -> TreadmillStage | None:
        dialog = StageDialog(number, like, self.window)
        return dialog.stage() if dialog.exec() == StageDialog.DialogCode.Accepted else None

    def _keep_stages(self) -> None:
        self.setup = dataclasses.replace(self.setup, stages=tuple(self.stages.stages))
        self.window.session_actions.recording.extra = self.setup.header_extra()
        save_setup(self.store, self.setup)

    def _recording_started(self) -> None:
        marker = self.stages.marker()
        if marker is not None:
            self.window.session_actions.recording.marker(marker)

    def _show_stage(self) -> None:
        parts = [f"runner {self.setup.runner_id}"] if self.setup.runner_id else []
        marker = self.stages.marker()
        if marker is not None:
            parts.append(marker)
        elif self.stages.stages:
            planned = len(self.stages.stages)
            parts.append(f"{planned} stage{'s' if planned != 1 else ''} planned · N starts stage 1")
        self.stage_label.setText(" · ".join(parts))
        title = "gaitdeck · live"
        self.window.setWindowTitle(f"{title} · {self.setup.runner_id}" if self.setup.runner_id
                                   else title)  # fmt: skip

    # ------------------------------------------------------------------- calibration
    def open_wizard(self) -> CalibrationWizard:
        if self.recheck is not None:
            self.recheck.close()
        if self.wizard is not None:
            self.wizard.close()
        self.wizard = CalibrationWizard(self.window.session, self.window)
        self.wizard.show()
        return self.wizard

    def open_recheck(self) -> RecheckDialog:
        if self.recheck is not None:
            self.recheck.close()
        self.recheck = RecheckDialog(
            self.window.session, self.setup.slip_threshold_deg, self.window,
            recalibrate=self.open_wizard,
            threshold_changed=self._threshold,
        )  # fmt: skip
        self.recheck.show()
        return self.recheck

    def _threshold(self, value: float) -> None:
        self.setup = dataclasses.replace(self.setup, slip_threshold_deg=value)
        save_setup(self.store, self.setup)

    def close_dialogs(self) -> None:
        for dialog in (self.wizard, self.recheck, self.dialog):
            if dialog is not None:
                dialog.close()


def install_setup_actions(window: MainWindow) -> SetupController | None:
    """Add the setup and calibration actions to a live window; None for a replay window."""
    if window.replay is not None:
        return None
    return SetupController(window)
