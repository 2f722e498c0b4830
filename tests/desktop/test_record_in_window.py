"""Recording from the live window: Ctrl+R, markers by hotkey, the status bar, closing the
file cleanly on a second press and on exit, and surviving PodSession rebuilds."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from desktop_fakes import FakeSession
from PySide6.QtCore import Qt
from qt_helpers import show_active

from desktop.main_window import MainWindow
from desktop.pod_session import PodChoice, PodSession
from desktop.recording_control import (
    MARKER_PRESETS,
    RecordingControl,
    format_elapsed,
    record_target,
    session_path,
    sessions_dir,
)
from drivers.ble.link import BleTransport
from drivers.clock_sync import SessionClock
from drivers.errors import GaitdeckError
from drivers.pod_links import PodLinks
from drivers.recording.info import recording_info
from drivers.recording.reader import Recording
from drivers.sim.pod_source import SimulatedPodSource
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.sim.session import simulated_pods
from drivers.source import Source
from drivers.types import Placement, PodInfo
from processing.live_session import LiveSession


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Recordings go to a temporary user data folder, never the real one."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def live(qtbot) -> Iterator[tuple[MainWindow, LiveSession]]:
    clock = SessionClock()
    session = LiveSession(simulated_pods("mixed", rate_hz=100.0, seed=3, clock=clock))
    window = MainWindow(session, clock=clock, runner_id="R07")
    qtbot.addWidget(window)
    window.timer.stop()  # frames by hand
    show_active(qtbot, window)
    session.start()
    yield window, session
    window.shutdown()
    session.stop()


def notifications(window: MainWindow) -> int:
    recorder = window.session_actions.recording.recorder
    return recorder.writer.counts["notifications"] if recorder is not None else 0


def test_sessions_go_to_the_user_data_folder(data_home: Path) -> None:
    assert sessions_dir() == data_home / "gaitdeck" / "sessions"


def test_session_file_names_are_dated_and_never_reused(tmp_path: Path) -> None:
    now = datetime.datetime(2026, 11, 26, 9, 5, 7)
    first = session_path(tmp_path, now, "runner 7/x")
    assert first.name == "2026-11-26_09-05-07-runner_7_x.gdrec"
    first.write_bytes(b"")
    assert (
        session_path(tmp_path, now, "runner 7/x").name == "2026-11-26_09-05-07-runner_7_x-2.gdrec"
    )
    assert session_path(tmp_path, now).name == "2026-11-26_09-05-07.gdrec"
    assert format_elapsed(3725.0) == "1:02:05" and format_elapsed(65.2) == "1:05"


def test_record_with_hotkeys_and_markers(qtbot, live, monkeypatch, data_home: Path) -> None:
    window, _ = live
    actions = window.session_actions
    assert actions.record_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert actions.recording.recording
    path = actions.recording.recorder.path
    assert path.parent == data_home / "gaitdeck" / "sessions" and path.name.endswith("-R07.gdrec")
    qtbot.waitUntil(lambda: notifications(window) > 200, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_1)
    qtbot.keyClick(window, Qt.Key.Key_3)
    monkeypatch.setattr(actions, "ask_text", lambda title, label: "speed 12 km/h")
    qtbot.keyClick(window, Qt.Key.Key_M)
    window.refresh_status()
    status = window.rec_label.text()
    assert status.startswith("● REC 0:0") and "3 markers" in status and "kB" in status
    drawn = [text for _, text in actions.user_markers()]
    assert drawn == [MARKER_PRESETS[0], MARKER_PRESETS[2], "speed 12 km/h"]
    qtbot.waitUntil(lambda: notifications(window) > 600, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # stop
    assert not actions.recording.recording and not actions.record_action.isChecked()
    window.refresh_status()
    assert window.rec_label.text() == ""
    with Recording(path) as recording:
        assert recording.clean
        assert [text for _, text in recording.markers()] == drawn
        assert [p.placement for p in recording.header.pods] == list(Placement)
        assert recording.header.runner_id == "R07"
        times = [t for t, _ in recording.markers()]
        assert times == sorted(times) and recording.index.t_ns.max() * 1e-9 > times[-1]


def test_the_status_bar_gives_marker_times_from_the_recordings_start(qtbot, live) -> None:
    """Recording starts a while into the session: the marker's time in the status bar is
    the one ``gaitdeck info`` and the report give, not the session clock's."""
    window, _ = live
    actions = window.session_actions
    target = actions.recording.target()
    assert target is not None
    session_clock = target[1]
    qtbot.wait(1500)  # the session runs before Record is pressed
    path = actions.recording.start()
    qtbot.waitUntil(lambda: notifications(window) > 100, timeout=10_000)
    actions.add_marker("calf tight")
    message = window.statusBar().currentMessage()
    actions.recording.stop()
    info = recording_info(path)
    (marker,) = info["markers"]
    assert message == f"Marker “calf tight” at {marker['t_s']:.1f} s"
    assert marker["t_s"] < 1.0 and session_clock.now_s() > 1.5


def test_markers_need_a_recording(qtbot, live) -> None:
    window, _ = live
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert window.session_actions.recording.markers == []
    assert "Not recording" in window.statusBar().currentMessage()


def test_closing_the_window_closes_the_file_cleanly(qtbot, live) -> None:
    window, _ = live
    path = window.session_actions.start_recording()
    assert path is not None
    qtbot.waitUntil(lambda: notifications(window) > 100, timeout=10_000)
    window.session_actions.add_marker("last words")
    window.close()
    with Recording(path) as recording:
        assert recording.clean and recording.markers()[0][1] == "last words"


def test_a_session_without_sources_cannot_record(qtbot, session: FakeSession) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.timer.stop()
    assert record_target(session) is None
    assert not window.session_actions.record_action.isEnabled()
    with pytest.raises(GaitdeckError, match="cannot be recorded"):
        RecordingControl(lambda: None).start()


# ------------------------------------------------------------------- real-pod sessions
def simulated(
    model_key: str, info: PodInfo, _t: BleTransport | None, clock: SessionClock
) -> Source:
    return SimulatedPodSource(info, RunnerModel(get_profile("midfoot"), seed=2), clock)


def choice(n: int, placement: Placement) -> PodChoice:
    return PodChoice(f"AA:BB:CC:DD:EE:0{n}", "witmotion", placement, 100.0)


def test_recording_survives_pods_coming_and_going(qtbot, tmp_path: Path) -> None:
    session = PodSession(PodLinks(source_factory=simulated))
    control = RecordingControl(lambda: record_target(session), folder=lambda: tmp_path)
    try:
        session.start()
        session.connect(choice(1, Placement.LEFT_SHOE))
        session.connect(choice(2, Placement.RIGHT_SHOE))
        path = control.start()
        first = session.live
        qtbot.waitUntil(lambda: control.recorder.writer.counts["notifications"] > 100)
        session.connect(choice(3, Placement.TRUNK))  # processing is rebuilt
        assert session.live is not first and control.missing_pods() == 1
        assert "1 pod not recorded" in control.status_text()
        before = control.recorder.writer.counts["notifications"]
        qtbot.waitUntil(lambda: control.recorder.writer.counts["notifications"] > before + 200)
        session.disconnect("AA:BB:CC:DD:EE:02").result(5.0)  # rebuilt again
        before = control.recorder.writer.counts["notifications"]
        qtbot.waitUntil(lambda: control.recorder.writer.counts["notifications"] > before + 100)
        assert control.stop() == path
    finally:
        session.stop()
    with Recording(path) as recording:
        assert recording.clean
        assert [p.placement for p in recording.header.pods] == [
            Placement.LEFT_SHOE,
            Placement.RIGHT_SHOE,
        ]
        assert len(recording.pod_rows(0)) > len(recording.pod_rows(1)) > 0
