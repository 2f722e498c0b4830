"""Session → New session…: validating the runner id, editing stages and marker hotkeys,
persisting across launches, and feeding the recording header and stage markers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from desktop_fakes import FakeSession
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from qt_helpers import show_active

from desktop.main_window import MainWindow
from desktop.session_setup import SetupController, load_setup, settings
from desktop.setup_dialog import SessionSetupDialog, pod_lines, stage_prompt
from drivers.clock_sync import SessionClock
from drivers.recording.reader import Recording
from drivers.sim.session import simulated_pods
from processing.live_session import LiveSession
from processing.session_setup import DEFAULT_MARKER_PRESETS, TreadmillStage


@pytest.fixture(autouse=True)
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings and recordings in temporary folders, never the user's."""
    monkeypatch.setenv("GAITDECK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


def controller(window: MainWindow) -> SetupController:
    assert window.session_setup is not None
    return window.session_setup


def fill(dialog: SessionSetupDialog) -> None:
    dialog.runner.setText("   ")
    assert not dialog.ok_button.isEnabled() and "R-017" in dialog.problem.text()
    dialog.runner.setText("Jane Doe")
    assert not dialog.ok_button.isEnabled() and "no spaces" in dialog.problem.text()
    dialog.suggest_button.click()
    assert dialog.runner.text() == "R-001" and dialog.ok_button.isEnabled()
    dialog.runner.setText("R-017")
    dialog.notes.setPlainText("left knee pain since March")
    dialog.add_stage(TreadmillStage(10.0, 1.0))
    dialog.add_stage()  # the next one: 1 km/h faster
    assert dialog.stages() == [TreadmillStage(10.0, 1.0), TreadmillStage(11.0, 1.0)]
    dialog.stage_table.item(1, 0).setText("12")
    dialog.stage_table.item(0, 1).setText("steep")  # not a number: the value stays
    dialog.stage_table.item(1, 1).setText("99")  # out of range: the value stays
    assert dialog.stage_table.item(0, 1).text() == "1.0"
    dialog.preset_table.item(0, 0).setText("cue: lean forward")


def test_setup_persists_and_feeds_the_next_launch(qtbot, folders: Path) -> None:
    window = MainWindow(FakeSession([]))
    qtbot.addWidget(window)
    window.timer.stop()
    setup = controller(window)
    assert setup.new_action in window.session_actions.session_menu.actions()
    setup.new_action.trigger()
    dialog = setup.dialog
    assert dialog is not None and dialog.isVisible()
    fill(dialog)
    dialog.ok_button.click()
    assert setup.setup.runner_id == "R-017" and window.windowTitle().endswith("R-017")
    assert (folders / "config" / "session.ini").exists()

    again = MainWindow(FakeSession([]))  # the next launch
    qtbot.addWidget(again)
    again.timer.stop()
    stored = controller(again).setup
    assert stored.runner_id == "R-017" and stored.notes == "left knee pain since March"
    assert stored.stages == (TreadmillStage(10.0, 1.0), TreadmillStage(12.0, 1.0))
    assert stored.marker_presets[0] == "cue: lean forward"
    actions = again.session_actions
    assert actions.recording.runner_id == "R-017"
    assert actions.preset_actions[0].text() == "cue: lean forward"
    assert actions.marker_presets[1:] == list(DEFAULT_MARKER_PRESETS[1:])
    reopened = controller(again).open_setup()
    assert reopened.runner.text() == "R-017" and reopened.suggest_button.text() == "New id: R-018"
    reopened.close()


def test_pods_are_listed_with_where_they_are_worn(qtbot, session: FakeSession) -> None:
    lines = pod_lines(session.pod_status())
    assert lines[0] == ("Upper trunk", "WitMotion WT9011DCL · AA:BB:CC:00:00:01 · streaming")
    assert pod_lines([])[2] == ("Left shoe", "no pod")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.timer.stop()
    dialog = controller(window).open_setup()
    assert dialog.pod_labels[0].text().endswith("streaming")
    assert not dialog.pods_button.isEnabled()  # simulated: no pod manager to link to
    dialog.close()


@pytest.fixture
def live(qtbot) -> Iterator[tuple[MainWindow, LiveSession]]:
    clock = SessionClock()
    session = LiveSession(simulated_pods("mixed", rate_hz=100.0, seed=3, clock=clock))
    window = MainWindow(session, clock=clock)
    qtbot.addWidget(window)
    window.timer.stop()
    show_active(qtbot, window)
    session.start()
    yield window, session
    window.shutdown()
    session.stop()


def notifications(window: MainWindow) -> int:
    recorder = window.session_actions.recording.recorder
    return recorder.writer.counts["notifications"] if recorder is not None else 0


def test_recording_header_and_stage_markers_follow_the_setup(qtbot, live, monkeypatch) -> None:
    window, _ = live
    setup = controller(window)
    dialog = setup.open_setup()
    fill(dialog)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # hotkeys go to the window
    qtbot.keyClick(window, Qt.Key.Key_N)  # stage 1 before recording: marked at its start
    assert "not recording" in window.statusBar().currentMessage()
    assert "stage 1: 10.0 km/h, 1 %" in setup.stage_label.text()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    path = window.session_actions.recording.recorder.path
    assert path.name.endswith("-R-017.gdrec")
    qtbot.waitUntil(lambda: notifications(window) > 200, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_N)  # stage 2
    qtbot.keyClick(window, Qt.Key.Key_1)  # the edited preset
    monkeypatch.setattr(setup, "ask_stage", lambda n, like: TreadmillStage(13.5, 2.0))
    qtbot.keyClick(window, Qt.Key.Key_N)  # beyond the plan: asked, then kept in the plan
    assert setup.setup.stages[-1] == TreadmillStage(13.5, 2.0)
    qtbot.waitUntil(lambda: notifications(window) > 400, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # stop
    with Recording(path) as recording:
        header = recording.header
        assert header.runner_id == "R-017" and header.notes == "left knee pain since March"
        assert header.extra["session_setup"]["stages"] == [
            {"speed_kmh": 10.0, "incline_pct": 1.0},
            {"speed_kmh": 12.0, "incline_pct": 1.0},
        ]
        assert header.extra["session_setup"]["marker_presets"][0] == "cue: lean forward"
        assert [text for _, text in recording.markers()] == [
            "stage 1: 10.0 km/h, 1 %",
            "stage 2: 12.0 km/h, 1 %",
            "cue: lean forward",
            "stage 3: 13.5 km/h, 2 %",
        ]
    assert load_setup(settings()).stages[-1] == TreadmillStage(13.5, 2.0)


def test_a_new_runner_starts_the_stages_over(qtbot, live) -> None:
    window, _ = live
    setup = controller(window)
    dialog = setup.open_setup()
    fill(dialog)
    dialog.ok_button.click()
    assert setup.next_stage() == "stage 1: 10.0 km/h, 1 %"
    same = setup.open_setup()
    same.ok_button.click()  # same runner: the stage goes on
    assert setup.stages.current == 1
    other = setup.open_setup()
    other.runner.setText("R-018")
    other.ok_button.click()
    assert setup.stages.current == 0 and setup.stages.marker() is None
    assert window.session_actions.recording.runner_id == "R-018"


def test_wizard_and_recheck_open_from_the_session_menu(qtbot, live) -> None:
    window, _ = live
    setup = controller(window)
    menu = window.session_actions.session_menu.actions()
    assert setup.wizard_action in menu and setup.recheck_action in menu
    assert setup.wizard_action.shortcut().toString() == "Ctrl+Shift+K"
    assert window.calibrate_action.shortcut().toString() == "Ctrl+K"  # quick calibrate stays
    setup.wizard_action.trigger()
    assert setup.wizard is not None and setup.wizard.isVisible()
    setup.recheck_action.trigger()
    assert setup.recheck is not None and setup.recheck.isVisible()
    setup.recheck.threshold.setValue(8.0)
    assert load_setup(settings()).slip_threshold_deg == 8.0
    setup.recheck.recalibrate_button.click()  # closes the re-check, opens the wizard
    assert not setup.recheck.isVisible() and setup.wizard.isVisible()
    window.shutdown()
    assert not setup.wizard.isVisible()


def test_stage_words_with_no_stages_or_one_planned(qtbot, live, monkeypatch) -> None:
    """N with no stages planned asks for stage 1 in words that fit; one planned stage is
    '1 stage planned', not '1 stages'."""
    window, _ = live
    setup = controller(window)
    asked: list[str] = []

    def ask(number: int, like: TreadmillStage) -> TreadmillStage:
        asked.append(stage_prompt(number))
        return TreadmillStage(9.0, 0.0)

    monkeypatch.setattr(setup, "ask_stage", ask)
    assert setup.next_stage() == "stage 1: 9.0 km/h, 0 %"
    assert asked == ["Stage 1: no stages were planned. Its speed and incline:"]
    assert "used up" not in stage_prompt(2) and "beyond the planned stages" in stage_prompt(2)
    dialog = setup.open_setup()
    dialog.runner.setText("R-019")
    while dialog.stages():
        dialog.stage_table.removeRow(0)
    dialog.add_stage(TreadmillStage(10.0, 1.0))
    dialog.ok_button.click()
    assert "1 stage planned · N starts stage 1" in setup.stage_label.text()
