"""The replay window: File → Open, the transport bar (play/pause, speed, seek on the
timeline, loop ranges), panels starting over on a seek, damaged and unreadable files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from desktop_fakes import FakeSession
from PySide6.QtCore import QPoint, Qt
from qt_helpers import show_active

from desktop.main_window import MainWindow
from desktop.replay_control import format_clock
from desktop.view_models import DASH
from desktop.widgets.transport import PAUSE, PLAY
from processing.events import Side
from processing.replay_session import ReplaySession

SAMPLE = Path(__file__).resolve().parents[2] / "recordings" / "sim-mixed.gdrec"


@pytest.fixture
def opener(qtbot, session: FakeSession) -> Iterator[MainWindow]:
    """A live window (on a stand-in session) to open recordings from."""
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.timer.stop()
    yield window
    window.shutdown()


@pytest.fixture
def replay(qtbot, opener: MainWindow) -> Iterator[MainWindow]:
    window = opener.session_actions.open_recording(SAMPLE)
    assert window is not None
    qtbot.addWidget(window)
    window.timer.stop()  # frames by hand
    yield window
    window.close()


def frame(window: MainWindow) -> None:
    window.on_frame()


def position(window: MainWindow) -> float:
    assert window.replay is not None
    return window.replay.poll()


def click_timeline(qtbot, window: MainWindow, t_s: float, shift_to: float | None = None) -> None:
    timeline = window.transport.timeline
    y = timeline.height() // 2
    at = QPoint(round(timeline.x_of(t_s)), y)
    if shift_to is None:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=at)
        return
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, shift, at)
    qtbot.mouseMove(timeline, QPoint(round(timeline.x_of(shift_to)), y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, shift,
                       QPoint(round(timeline.x_of(shift_to)), y))  # fmt: skip


def test_open_recording_shows_the_transport_with_markers(replay: MainWindow) -> None:
    assert isinstance(replay.session, ReplaySession)
    assert "replay · sim-mixed.gdrec" in replay.windowTitle()
    transport = replay.transport
    assert transport is not None and transport.isVisibleTo(replay)
    timeline = transport.timeline
    assert [text for _, text in timeline.markers] == ["standing still (calibration)", "running"]
    # seconds from the recording's start (its first record, 24 ms into the session clock)
    assert timeline.marker_near(timeline.x_of(5.0)) == (pytest.approx(5.0, abs=0.05), "running")
    assert timeline.marker_near(timeline.x_of(20.0)) is None
    assert transport.time_label.text().endswith(f"/ {format_clock(replay.replay.end_s)}")
    assert not replay.session_actions.record_action.isEnabled()  # nothing to record here
    assert not replay.note_label.isVisible()


def test_play_pause_and_space(qtbot, replay: MainWindow) -> None:
    control = replay.replay
    start = position(replay)
    qtbot.waitUntil(lambda: position(replay) > start + 0.3, timeout=5000)
    replay.transport.toggle()  # pause
    assert not control.playing
    frame(replay)
    assert replay.transport.play_button.text() == PLAY
    paused_at = control.clock.position_s() - control.origin_s  # from the recording's start
    qtbot.waitUntil(lambda: position(replay) == pytest.approx(paused_at), timeout=2000)
    for _ in range(5):
        qtbot.wait(20)
        assert position(replay) == pytest.approx(paused_at)  # paused: it stands still
    frame(replay)
    assert replay.transport.time_label.text().startswith(format_clock(paused_at))
    show_active(qtbot, replay)
    qtbot.keyClick(replay, Qt.Key.Key_Space)
    assert control.playing
    frame(replay)
    assert replay.transport.play_button.text() == PAUSE
    qtbot.waitUntil(lambda: position(replay) > paused_at + 0.2, timeout=5000)


def test_speed_selector(replay: MainWindow) -> None:
    speed = replay.transport.speed
    assert [speed.itemText(i) for i in range(speed.count())] == [
        "0.25×", "0.5×", "1×", "2×", "5×", "10×", "20×", "max",
    ]  # fmt: skip
    assert speed.currentText() == "1×"
    speed.setCurrentIndex(speed.count() - 1)
    assert replay.replay.speed is None
    speed.setCurrentIndex(4)
    assert replay.replay.speed == 5.0


def test_seeking_on_the_timeline_starts_the_panels_over(qtbot, replay: MainWindow) -> None:
    control, board = replay.replay, replay.session.board
    control.set_speed(None)  # as fast as possible: steps come quickly
    qtbot.waitUntil(lambda: (frame(replay), replay.view_model.events_seen > 20)[1], timeout=20_000)
    assert replay.strike[Side.LEFT].type_label.text() != DASH
    control.pause()
    epoch = board.epoch
    click_timeline(qtbot, replay, 30.0)
    assert board.epoch == epoch + 1
    assert control.clock.origin_s == pytest.approx(30.0, abs=0.1)
    assert position(replay) == pytest.approx(30.0, abs=0.1)
    frame(replay)
    vm = replay.view_model
    assert vm.epoch == board.epoch and vm.events_seen == 0
    assert vm.feet[Side.LEFT].distribution.total == 0 and vm.strides.latest is None
    assert replay.strike[Side.LEFT].type_label.text() == DASH
    assert replay.stride_panel.values["trunk_rot_rom_deg"].text() == DASH
    assert replay.transport.time_label.text().startswith("0:30")


def test_shift_drag_loops_a_range_and_it_wraps(qtbot, replay: MainWindow) -> None:
    control = replay.replay
    click_timeline(qtbot, replay, 10.0, shift_to=12.0)
    loop = control.loop
    assert loop is not None
    assert loop[0] == pytest.approx(10.0, abs=0.1) and loop[1] == pytest.approx(12.0, abs=0.1)
    generation = control.clock.generation
    control.set_speed(10.0)
    qtbot.waitUntil(lambda: control.clock.generation >= generation + 2, timeout=10_000)
    assert loop[0] - 0.05 <= position(replay) <= loop[1] + 0.05
    frame(replay)
    assert replay.transport.loop_label.text().startswith("loop 0:10")
    replay.transport.clear_button.click()
    assert control.loop is None


def test_loop_from_a_and_b_buttons(replay: MainWindow) -> None:
    control = replay.replay
    control.pause()
    control.seek(8.0)
    replay.transport.a_button.click()
    assert replay.transport.loop_label.text() == "A at 0:08.0 · now B"
    control.seek(9.5)
    replay.transport.b_button.click()
    assert control.loop == (pytest.approx(8.0), pytest.approx(9.5))


def test_the_end_of_the_recording_pauses_and_play_starts_over(qtbot, replay: MainWindow) -> None:
    control = replay.replay
    control.set_speed(20.0)
    control.seek(control.end_s - 1.0)
    qtbot.waitUntil(lambda: (position(replay), control.at_end)[1], timeout=10_000)
    assert not control.playing and position(replay) == pytest.approx(control.end_s)
    control.play()
    assert control.playing and position(replay) < control.start_s + 1.0


def test_a_salvaged_file_opens_with_a_note(qtbot, opener: MainWindow, tmp_path: Path) -> None:
    cut = tmp_path / "cut.gdrec"
    data = SAMPLE.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])  # as a crash would leave it
    window = opener.session_actions.open_recording(cut)
    assert window is not None
    qtbot.addWidget(window)
    window.timer.stop()
    try:
        assert window.note_label.isVisibleTo(window)
        assert window.note_label.text().startswith("Salvaged recording: cut short at byte")
        assert window.replay.end_s < 35.0
    finally:
        window.close()


def test_an_unreadable_file_says_why_in_one_line(opener: MainWindow, tmp_path: Path) -> None:
    warnings: list[tuple[str, str]] = []
    opener.session_actions.warn = lambda title, text: warnings.append((title, text))
    bad = tmp_path / "bad.gdrec"
    bad.write_bytes(b"not a recording at all")
    header_only = tmp_path / "header.gdrec"
    header_only.write_bytes(SAMPLE.read_bytes()[:40])
    empty = tmp_path / "empty.gdrec"
    data = SAMPLE.read_bytes()
    empty.write_bytes(data[: 11 + int.from_bytes(data[7:11], "little")])  # a header, no records
    for path in (bad, header_only, tmp_path / "missing.gdrec", empty):
        assert opener.session_actions.open_recording(path) is None
    assert [title for title, _ in warnings] == ["Open recording"] * 4
    assert "is not a gaitdeck recording" in warnings[0][1]
    assert "cut short inside its header" in warnings[1][1]
    assert "cannot open" in warnings[2][1]
    assert warnings[3][1].endswith("holds no samples to play")
    assert all("\n" not in text and "Traceback" not in text for _, text in warnings)
    assert opener.session_actions.windows == []


def test_closing_the_opener_closes_its_replays(qtbot, opener: MainWindow) -> None:
    window = opener.session_actions.open_recording(SAMPLE)
    assert window is not None
    qtbot.addWidget(window)
    session = window.session
    assert isinstance(session, ReplaySession) and session.io.loop.is_running()
    opener.close()
    assert not window.isVisible()
    qtbot.waitUntil(lambda: not session.io.loop.is_running())


def test_loop_keys(qtbot, replay: MainWindow) -> None:
    control = replay.replay
    show_active(qtbot, replay)
    control.pause()
    control.seek(6.0)
    qtbot.keyClick(replay, Qt.Key.Key_BracketLeft)
    control.seek(7.5)
    qtbot.keyClick(replay, Qt.Key.Key_BracketRight)
    assert control.loop == (pytest.approx(6.0), pytest.approx(7.5))
    qtbot.keyClick(replay, Qt.Key.Key_Backslash)
    assert control.loop is None
