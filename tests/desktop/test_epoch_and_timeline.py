"""A board that starts over (replay seek) clears what the panels accumulated; the timeline
widget maps times, shows marker tooltips, seeks on release and selects loops."""

from __future__ import annotations

import pytest
from desktop_fakes import FakeSession, SyntheticRunner
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip

from desktop.main_window import MainWindow
from desktop.replay_control import format_clock, speed_text
from desktop.view_models import DASH, DeckViewModel
from desktop.widgets.timeline import Timeline
from processing.events import Side


def test_a_new_epoch_clears_every_model() -> None:
    board = FakeSession([]).board
    runner = SyntheticRunner(board)
    runner.run(20.0)
    vm = DeckViewModel()
    vm.pull(board)
    assert vm.feet[Side.LEFT].distribution.total > 10 and vm.strides.latest is not None
    assert vm.coordination.latest is not None and vm.cadence.cadence_spm is not None
    revisions = (vm.feet[Side.LEFT].revision, vm.strides.revision, vm.coordination.revision)
    board.reset()
    assert vm.pull(board) == 0
    assert vm.epoch == board.epoch == 1
    assert vm.feet[Side.LEFT].last is None and vm.feet[Side.LEFT].distribution.total == 0
    assert vm.strides.latest is None and vm.strides.series("trunk_rot_rom_deg").size == 0
    assert vm.coordination.latest is None and vm.coordination.shares_pct().shape == (0, 4)
    assert vm.cadence.cadence_spm is None and not vm.markers and vm.events_seen == 0
    after = (vm.feet[Side.LEFT].revision, vm.strides.revision, vm.coordination.revision)
    assert all(a > b for a, b in zip(after, revisions, strict=True))  # widgets redraw
    runner.run(26.0)  # the new epoch's steps are counted from scratch
    assert vm.pull(board) > 0 and 0 < vm.feet[Side.LEFT].distribution.total < 12


def test_the_window_panels_start_over_on_a_new_epoch(qtbot, session: FakeSession) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.timer.stop()
    SyntheticRunner(session.board).run(12.0)
    window.on_frame()
    assert window.strike[Side.RIGHT].type_label.text() != DASH
    assert window.stride_panel.values["trunk_flex_mean_deg"].text() != DASH
    session.board.reset()
    window.on_frame()
    window.refresh_status()
    assert window.strike[Side.RIGHT].type_label.text() == DASH
    assert window.stride_panel.values["trunk_flex_mean_deg"].text() == DASH
    assert window.coordination_panel.crp.text() == DASH
    assert window.timing_panel.cadence.text() == DASH


@pytest.fixture
def timeline(qtbot) -> Timeline:
    widget = Timeline(2.0, 42.0)
    qtbot.addWidget(widget)
    widget.resize(416, 34)  # a 400 px track: 10 s per 100 px
    widget.set_markers([(12.0, "speed +"), (13.0, "shoe change")])
    return widget


def test_timeline_maps_times_and_finds_markers(timeline: Timeline) -> None:
    assert timeline.x_of(2.0) == 8 and timeline.x_of(42.0) == 408
    assert timeline.time_at(108) == pytest.approx(12.0)
    assert timeline.time_at(-50) == 2.0 and timeline.time_at(900) == 42.0
    assert timeline.marker_near(109) == (12.0, "speed +")
    assert timeline.marker_near(117) == (13.0, "shoe change")
    assert timeline.marker_near(150) is None


def test_timeline_seeks_on_release_only(qtbot, timeline: Timeline) -> None:
    seeks: list[float] = []
    previews: list[float] = []
    timeline.seek_requested.connect(seeks.append)
    timeline.scrubbed.connect(previews.append)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(108, 17))
    qtbot.mouseMove(timeline, QPoint(208, 17))
    assert seeks == [] and timeline.dragging
    assert previews[0] == pytest.approx(12.0) and previews[-1] == pytest.approx(22.0)
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(208, 17))
    assert seeks == [pytest.approx(22.0)] and not timeline.dragging
    assert timeline.position_s == pytest.approx(22.0)


def test_timeline_shift_drag_selects_a_loop(qtbot, timeline: Timeline) -> None:
    loops: list[tuple[float, float]] = []
    seeks: list[float] = []
    timeline.loop_selected.connect(lambda a, b: loops.append((a, b)))
    timeline.seek_requested.connect(seeks.append)
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, shift, QPoint(308, 17))
    qtbot.mouseMove(timeline, QPoint(158, 17))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, shift, QPoint(158, 17))
    assert loops == [(pytest.approx(17.0), pytest.approx(32.0))] and seeks == []


def test_time_and_speed_texts() -> None:
    assert format_clock(0.0) == "0:00.0" and format_clock(75.25) == "1:15.2"
    assert format_clock(3725.0) == "1:02:05" and format_clock(float("nan")) == "0:00.0"
    assert speed_text(None) == "max" and speed_text(0.25) == "0.25×" and speed_text(2.0) == "2×"


def test_timeline_tooltips_name_markers_and_times(qtbot, timeline: Timeline) -> None:
    timeline.show()
    qtbot.waitExposed(timeline)

    def tooltip_at(x: int) -> str:
        local = QPoint(x, 17)
        event = QHelpEvent(QEvent.Type.ToolTip, local, timeline.mapToGlobal(local))
        assert timeline.event(event)
        return QToolTip.text()

    assert tooltip_at(109) == "0:12.0  speed +"
    assert tooltip_at(258) == "0:27.0"
    QToolTip.hideText()
