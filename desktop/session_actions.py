"""The window's session actions and menus: record, markers, open, import, export, LSL.

``SessionActions`` builds the menus of a ``MainWindow`` and runs what they do:

* **Record** (Ctrl+R) records the live session's sources into the user's sessions folder
  (``desktop.recording_control``); **Marker** (M: free text, 1–9: presets) adds a
  timestamped marker to the recording.
* **Open recording** (Ctrl+O) opens a replay window over a ``ReplaySession``; **Import**
  turns a pod CSV folder or MetaBase export into a recording and opens it; **Export**
  writes the open recording (or the live session's last recording) in the chosen formats.
  Import and export run on a worker behind a progress dialog with Cancel (``Job``).
* **Stream to LSL** tees the processing to Lab Streaming Layer (``LslSwitch``).

Every question to the user goes through one method (``warn``, ``confirm``, ``ask_text``,
``ask_mapping``, ``ask_export``) so tests can answer without a modal dialog.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMenu, QMessageBox

from desktop.file_dialogs import ExportDialog, MappingDialog
from desktop.job_runner import Job
from desktop.pod_session import PodSession
from desktop.recording_control import (
    MARKER_PRESETS,
    RecordingControl,
    record_target,
    session_path,
    sessions_dir,
)
from desktop.replay_control import open_replay
from drivers.clock_sync import SessionClock
from drivers.errors import GaitdeckError
from drivers.imports.metabase import find_devices, is_metabase_folder
from drivers.imports.pod_csv import pod_files
from drivers.recording.reader import Recording
from drivers.types import Placement, PodInfo
from processing.exports.session import ExportKind, planned_files
from processing.live_session import LiveSession
from processing.lsl_switch import LslSwitch
from processing.replay_session import ReplaySession
from processing.session_jobs import export_files, import_recording

if TYPE_CHECKING:
    from desktop.main_window import MainWindow
    from processing.exports.lsl_feed import GaitLslFeed

log = logging.getLogger(__name__)
MESSAGE_MS = 6000
RECORDING_FILTER = "gaitdeck recordings (*.gdrec);;All files (*)"


class SessionActions(QObject):
    def __init__(
        self,
        window: MainWindow,
        *,
        clock: SessionClock | None = None,
        runner_id: str = "",
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.clock = clock
        self.replay = self.session if isinstance(self.session, ReplaySession) else None
        self.recording = RecordingControl(lambda: record_target(self.session, clock),
                                          runner_id=runner_id)  # fmt: skip
        self.lsl = LslSwitch(self._open_feed)
        if self.replay is not None:
            self.lsl.watch_replay(self.replay)
        self.windows: list[MainWindow] = []  # replay windows opened from here
        self.jobs: list[Job] = []
        self.before_stop: list[Callable[[], None]] = []  # last words into a recording
        self._build_actions()

    # ----------------------------------------------------------------------- menus
    def _action(self, text: str, shortcut: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)  # the shortcut works wherever the focus is
        return action

    def _build_actions(self) -> None:
        live = self.replay is None
        self.open_action = self._action("Open recording…", "Ctrl+O", "Replay a recording",
                                        self.open_recording)  # fmt: skip
        self.import_action = self._action("Import…", "Ctrl+I", "Import a pod CSV folder or "
                                          "MetaBase export as a recording",
                                          self.import_session)  # fmt: skip
        self.export_action = self._action("Export…", "Ctrl+E", "Export tables, samples, C3D, "
                                          "HTML", self.export_session)  # fmt: skip
        self.close_action = self._action("Close window", "Ctrl+W", "Close", self.window.close)
        self.record_action = self._action("● Record", "Ctrl+R", "Start / stop recording",
                                          self.toggle_recording)  # fmt: skip
        self.record_action.setCheckable(True)
        self.record_action.setEnabled(live and self.recording.available)
        if not self.record_action.isEnabled():
            self.record_action.setToolTip("This session cannot be recorded")
        self.marker_action = self._action("Marker…", "M", "Add a marker with your own text",
                                          self.ask_marker)  # fmt: skip
        self.marker_action.setEnabled(live)
        self.marker_presets = list(MARKER_PRESETS)  # editable (Session → New session…)
        self.preset_actions = [
            self._action(
                text, str(i), f"Marker “{text}”", functools.partial(self.add_preset, i - 1)
            )
            for i, text in enumerate(MARKER_PRESETS, start=1)
        ]
        for action in self.preset_actions:
            action.setEnabled(live)
        self.lsl_action = self._action(
            "Stream to LSL",
            "",
            "Stream raw IMU, step events and stride metrics to Lab Streaming Layer",
            lambda: self.set_lsl(self.lsl_action.isChecked()),
        )
        self.lsl_action.setCheckable(True)
        self.lsl_action.setEnabled(self._live_session() is not None or self._pod_session())
        self._build_menus()

    def _build_menus(self) -> None:
        bar = self.window.menuBar()
        self.file_menu = file_menu = bar.addMenu("&File")
        for action in (self.open_action, self.import_action, self.export_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        self.session_menu = session = bar.addMenu("&Session")
        session.addAction(self.record_action)
        session.addAction(self.marker_action)
        presets = QMenu("Preset markers", self.window)
        for action in self.preset_actions:
            presets.addAction(action)
        session.addMenu(presets)
        session.addSeparator()
        session.addAction(self.window.calibrate_action)
        settings = bar.addMenu("S&ettings")
        settings.addAction(self.lsl_action)

    # ------------------------------------------------------------- user questions
    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self.window, title, text)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.window, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self.window, title, label)
        return text if ok else None

    def ask_mapping(self, addresses: list[str]) -> dict[str, Placement] | None:
        dialog = MappingDialog(addresses, self.window)
        return dialog.mapping() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_export(self, source: Path) -> tuple[Path, set[ExportKind]] | None:
        dialog = ExportDialog(source, source.with_name(f"{source.stem}-export"), self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.out_dir(), dialog.kinds()

    def message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, MESSAGE_MS)

    # ------------------------------------------------------------------ recording
    def toggle_recording(self) -> None:
        if self.recording.recording:
            self.stop_recording()
        else:
            self.start_recording()

    def start_recording(self) -> Path | None:
        try:
            path = self.recording.start()
        except GaitdeckError as exc:
            self.record_action.setChecked(False)
            self.warn("Record", str(exc))
            return None
        self.record_action.setChecked(True)  # red on the tool bar while recording
        self.message(f"Recording to {path}")
        return path

    def stop_recording(self) -> Path | None:
        if self.recording.recording:
            for last_words in self.before_stop:
                last_words()
        path = self.recording.stop()
        self.record_action.setChecked(False)
        if path is not None:
            self.message(f"Recording saved: {path}")
        return path

    def ask_marker(self) -> None:
        t_s = self.recording.now_s()  # the moment M was pressed, not when typing ends
        if t_s is None:
            self.message("Not recording: start recording (Ctrl+R) to add markers")
            return
        text = self.ask_text("Marker", "Marker text:")
        if text:
            self.add_marker(text, t_s)

    def add_preset(self, index: int) -> None:
        self.add_marker(self.marker_presets[index])

    def set_marker_presets(self, texts: Sequence[str]) -> None:
        self.marker_presets = list(texts)
        for action, text in zip(self.preset_actions, texts, strict=False):
            action.setText(text.replace("&", "&&"))
            action.setToolTip(f"Marker “{text}” ({action.shortcut().toString()})")

    def add_marker(self, text: str, t_s: float | None = None) -> None:
        added = self.recording.marker(text, t_s)
        if added is None:
            self.message("Not recording: start recording (Ctrl+R) to add markers")
        else:
            at_s = self.recording.recording_time_s(added)  # as info and the report say
            self.message(f"Marker “{text}” at {at_s:.1f} s")

    def user_markers(self) -> list[tuple[float, str]]:
        """Markers to draw on the traces: the recording's (replay) or those added now."""
        return self.replay.markers() if self.replay is not None else self.recording.markers

    # ------------------------------------------------------------------- open
    def open_recording(self, path: Path | None = None) -> MainWindow | None:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self.window, "Open recording", str(sessions_dir()), RECORDING_FILTER
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            session = open_replay(path)
        except GaitdeckError as exc:
            self.warn("Open recording", str(exc))
            return None
        from desktop.main_window import MainWindow

        window = MainWindow(  # sized to fit the screen
            session, show_fps=not self.window.fps_label.isHidden(), owns_session=True
        )
        self.windows.append(window)
        session.start()
        window.show()
        return window

    # ------------------------------------------------------------------ import
    def import_session(self, folder: Path | None = None) -> Job | None:
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self.window, "Import a pod CSV folder or "
                                                      "MetaBase export")  # fmt: skip
            if not chosen:
                return None
            folder = Path(chosen)
        mapping: dict[str, Placement] | None = None
        try:
            if is_metabase_folder(folder) and not pod_files(folder):
                mapping = self.ask_mapping([d.address for d in find_devices(folder)])
                if mapping is None:
                    return None
        except GaitdeckError as exc:
            self.warn("Import", str(exc))
            return None
        out = session_path(sessions_dir(), datetime.datetime.now(), f"import-{folder.name}")
        job = Job("Import", f"Importing {folder.name}…",
                  lambda control: import_recording(folder, out, control, mapping),
                  self.window)  # fmt: skip
        job.succeeded.connect(self._imported)
        job.failed.connect(lambda text: self.warn("Import", text))
        job.cancelled.connect(lambda: self.message("Import cancelled; nothing was written"))
        return self._run(job)

    def _imported(self, path: object) -> None:
        self.message(f"Imported into {path}")
        if isinstance(path, Path):
            self.open_recording(path)

    # ------------------------------------------------------------------ export
    def export_source(self, verb: str = "export") -> Path | None:
        """The recording to ``verb``: the one playing, or the live session's last one."""
        if self.replay is not None:
            return self.replay.recording.path
        if self.recording.recording and self.confirm(
            verb.split()[0].capitalize(), f"Stop recording and {verb} what was recorded?"
        ):
            self.stop_recording()
        return self.recording.finished_path()

    def export_session(
        self,
        source: Path | None = None,
        out_dir: Path | None = None,
        kinds: set[ExportKind] | None = None,
    ) -> Job | None:
        source = source or self.export_source()
        if source is None:
            self.warn("Export", "Nothing recorded yet: record the session first (Ctrl+R), "
                      "or open a recording (Ctrl+O).")  # fmt: skip
            return None
        if out_dir is None or kinds is None:
            chosen = self.ask_export(source)
            if chosen is None:
                return None
            out_dir, kinds = chosen
        existing = [p for p in planned_files(out_dir, kinds, _placements(source)) if p.exists()]
        if existing:
            names = "\n".join(str(p) for p in existing[:8]) + ("\n…" if len(existing) > 8 else "")
            if not self.confirm("Export", f"Replace {len(existing)} existing file(s)?\n{names}"):
                return None
        job = Job("Export", f"Analysing and exporting {source.name}…",
                  lambda control: export_files(source, out_dir, kinds, control,
                                               overwrite=bool(existing)),
                  self.window)  # fmt: skip
        job.succeeded.connect(lambda paths: self.message(f"Exported {len(paths)} files "
                                                         f"to {out_dir}"))  # fmt: skip
        job.failed.connect(lambda text: self.warn("Export", text))
        job.cancelled.connect(lambda: self.message("Export cancelled; nothing was written"))
        return self._run(job)

    def run_job(self, job: Job) -> Job:
        return self._run(job)

    def _run(self, job: Job) -> Job:
        self.jobs.append(job)
        job.ended.connect(lambda: self.jobs.remove(job) if job in self.jobs else None)
        return job.start()

    # --------------------------------------------------------------------- LSL
    def _live_session(self) -> LiveSession | None:
        session = self.session
        if isinstance(session, PodSession):
            return session.live
        return session if isinstance(session, LiveSession) else None

    def _pod_session(self) -> bool:
        return isinstance(self.session, PodSession)

    def _session_now(self) -> Callable[[], float]:
        if self.replay is not None:
            return self.replay.clock.position_s
        if isinstance(self.session, PodSession):
            return self.session.links.clock.now_s
        target = record_target(self.session, self.clock)
        if target is None:
            raise GaitdeckError("this session has no clock to stamp LSL samples with")
        return target[1].now_s

    def _open_feed(self, pods: Sequence[PodInfo]) -> GaitLslFeed:
        from processing.exports.lsl_feed import GaitLslFeed  # pylsl only when streaming

        return GaitLslFeed.open(pods, self._session_now())

    def set_lsl(self, on: bool) -> None:
        try:
            self.lsl.set_enabled(on, self._live_session())
        except Exception as exc:
            log.exception("LSL outlet failed")
            self.lsl_action.setChecked(False)
            self.warn("Stream to LSL", f"Cannot open the LSL outlets: {exc}")
            return
        self.lsl_action.setChecked(on)
        self.message("Streaming to LSL" if on else "LSL streaming stopped")

    # ------------------------------------------------------------------ status
    def refresh_status(self) -> None:
        """Follow a rebuilt session with LSL; forget closed replay windows. Called at the
        window's status rate."""
        self.lsl.follow(self._live_session())
        self.windows = [w for w in self.windows if w.isVisible()]

    def lsl_text(self) -> str:
        if not self.lsl.enabled:
            return ""
        pods = len(self.lsl.pods)
        return f"LSL on · {pods} pod stream{'s' if pods != 1 else ''}" if pods else "LSL on"

    def shutdown(self) -> None:
        """Stop recording (closing the file cleanly), stop streaming, close replays."""
        self.stop_recording()
        self.lsl.close()
        for job in list(self.jobs):
            job.cancel()
            job.wait()
        for window in list(self.windows):
            window.close()
        self.windows.clear()


def _placements(source: Path) -> list[Placement]:
    try:
        with Recording(source) as recording:
            return [p.placement for p in recording.header.pods]
    except GaitdeckError:
        return list(Placement)
