"""The live window against a board fed by hand: content, faults, containment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from desktop_fakes import FakeSession, SyntheticRunner, publish, stats, strike
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from desktop import palette
from desktop.main_window import MainWindow
from desktop.screenshot import render_to_png
from desktop.view_models import DASH
from drivers.types import Placement, PodState
from processing import traces
from processing.engine import PipelineOutput
from processing.events import Side, StrideEvent
from processing.live_session import LiveSession


@pytest.fixture
def window(qtbot, session: FakeSession) -> MainWindow:
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.timer.stop()  # tests drive frames by hand
    return win


def test_strike_event_updates_the_indicator(window: MainWindow, session: FakeSession) -> None:
    publish(session.board, [strike(Side.RIGHT, 3.0, -6.5)])
    window.on_frame()
    indicator = window.strike[Side.RIGHT]
    assert indicator.type_label.text() == "FOREFOOT"
    assert indicator.fsa_label.text() == "−6.5°"
    assert window.strike[Side.LEFT].type_label.text() == DASH


def test_ranges_show_dash_without_pelvis(window: MainWindow, session: FakeSession) -> None:
    publish(session.board, [StrideEvent(Side.LEFT, 0.0, 0.7, 8.0, 5.0, 17.0, 9.0, None)])
    window.on_frame()
    values = window.stride_panel.values
    assert values["trunk_rot_rom_deg"].text() == "17.0°"
    assert values["pelvis_rot_rom_deg"].text() == DASH


def test_traces_and_markers_drawn_from_the_board(window: MainWindow, session: FakeSession) -> None:
    SyntheticRunner(session.board).run(8.0)
    window.on_frame()
    window.refresh_status()
    for plot in window.traces.plots:
        for trace in plot.curves:
            x, _ = trace.curve.getData()
            assert x is not None and len(x) > 500, trace.name
            assert x.min() >= -5.3 and x.max() == 0.0
    assert len(window.traces.markers[Side.LEFT].dots.data) >= 5
    assert window.timing_panel.cadence.text() == "172"
    assert window.frame_errors == {}


def test_contact_dots_stay_on_screen_as_the_window_slides(
    window: MainWindow, session: FakeSession
) -> None:
    """The dots slide with the window; the newest contacts must be painted, not culled."""
    window.resize(1600, 1000)
    window.show()
    runner = SyntheticRunner(session.board)
    for seconds in (6.0, 7.0, 8.0, 9.0, 10.0):  # frames, each painted, while time goes on
        runner.run(seconds)
        window.on_frame()
        image = window.traces.grab().toImage()
    plot = window.traces.plots[0]  # left shoe
    dot_colours = {QColor(c).rgb() for c in palette.STRIKE_COLOURS.values()}
    newest = [m.ic_s - runner.t_s for m in window.view_model.markers if m.side is Side.LEFT]
    assert max(newest) > -1.0  # a contact in the last second ...
    left = plot.item.vb.mapViewToScene(QPointF(-1.0, 0.0)).x()
    right = plot.item.vb.mapViewToScene(QPointF(0.0, 0.0)).x()
    box = plot.item.vb.sceneBoundingRect()
    painted = sum(
        image.pixel(x, y) in dot_colours
        for x in range(int(left), int(right))
        for y in range(int(box.top()), int(box.bottom()))
    )
    assert painted > 20  # ... is drawn there as a dot (11 px across)


def test_a_lost_pod_is_red_while_the_rest_keep_updating(
    window: MainWindow, session: FakeSession
) -> None:
    info, _ = session.status[1]
    session.status[1] = (info, stats(PodState.LOST, lost=300))
    publish(session.board, [strike(Side.LEFT, 1.0, 12.0)])
    window.on_frame()
    window.refresh_status()
    assert window.pod_row.cards[Placement.PELVIS].state.text() == "LOST"
    assert window.pod_row.cards[Placement.TRUNK].state.text() == "STREAMING"
    assert window.strike[Side.LEFT].type_label.text() == "REARFOOT"


def test_frame_errors_are_contained_and_shown(window: MainWindow, session: FakeSession) -> None:
    def broken() -> list:
        raise RuntimeError("status exploded")

    session.pod_status = broken  # type: ignore[method-assign]
    publish(session.board, [strike(Side.LEFT, 1.0, 0.0)])
    window.on_frame()
    window.refresh_status()
    assert window.frame_errors["pods"] >= 1
    assert window.strike[Side.LEFT].type_label.text() == "MIDFOOT"  # the rest carried on
    assert "UI errors" in window.error_label.text()


def test_processing_errors_appear_in_the_status_bar(
    window: MainWindow, session: FakeSession
) -> None:
    session.board.report_error("processing step failed: ValueError()")
    window.refresh_status()
    assert "processing errors: 1" in window.error_label.text()


def test_fps_label_can_be_hidden(qtbot, session: FakeSession) -> None:
    win = MainWindow(session, show_fps=False)
    qtbot.addWidget(win)
    assert win.fps_label.isHidden()


def test_window_renders_to_png(window: MainWindow, session: FakeSession, tmp_path: Path) -> None:
    SyntheticRunner(session.board).run(10.0)
    window.on_frame()
    window.refresh_status()
    path = render_to_png(window, tmp_path / "shots" / "window.png")
    assert path.stat().st_size > 20_000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_trace_gaps_are_drawn_as_gaps(window: MainWindow, session: FakeSession) -> None:
    t = np.arange(0, 4, 0.005)
    y = np.sin(t)
    y[100:200] = np.nan
    session.board.publish([], {traces.TRUNK_FLEXION: (t, y)}, {}, 0)
    window.on_frame()
    plot = window.traces.plots[2]
    assert plot.range.current is not None and all(np.isfinite(plot.range.current))
    assert window.frame_errors == {}


def test_fps_label_fits_in_the_window(window: MainWindow, session: FakeSession, qtbot) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.refresh_status()
    label = window.fps_label
    right = label.mapTo(window, label.rect().topRight()).x()
    assert label.text().endswith("ms") and right <= window.width()
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())


def test_pelvis_ranges_and_coordination_from_the_board(
    window: MainWindow, session: FakeSession
) -> None:
    SyntheticRunner(session.board).run(10.0)
    window.on_frame()
    values = window.stride_panel.values
    assert values["pelvis_tilt_rom_deg"].text() == "5.0°"
    assert values["pelvis_obliquity_rom_deg"].text() == "9.0°"
    panel = window.coordination_panel
    assert panel.crp.text() != DASH and panel.crp_note.text() == "near anti-phase"
    assert "Anti-phase 70%" in panel.legend["anti_phase"].text()
    assert window.frame_errors == {}


def test_calibrate_action_asks_the_session_and_says_stand_still(
    window: MainWindow, session: FakeSession
) -> None:
    action = window.calibrate_action
    assert action.shortcut().toString() == "Ctrl+K"
    assert action.text() == "Quick calibrate (stand 3 s)"
    toolbar = window.toolbar.actions()  # the tool bar has the guided calibration instead
    assert action not in toolbar and window.session_setup.wizard_action in toolbar
    assert action in window.actions()  # the shortcut works wherever the focus is in the window
    assert action.shortcutContext() == Qt.ShortcutContext.WindowShortcut
    action.trigger()
    assert session.calibrations == 1
    assert window.statusBar().currentMessage() == "Calibrating: stand still for 3 s"


def test_calibrate_when_the_session_cannot(window: MainWindow, session: FakeSession) -> None:
    session.can_calibrate = False
    window.calibrate()
    assert session.calibrations == 0
    assert window.statusBar().currentMessage() == "This session cannot recalibrate"


def test_content_fits_a_1366_by_768_laptop_without_scrolling(window: MainWindow, qtbot) -> None:
    window.resize(1364, 729)  # the client area gaitdeck takes on that screen
    window.show()
    qtbot.waitExposed(window)
    hint = window.dashboard.widget().minimumSizeHint()  # the compact arrangement's least
    viewport = window.dashboard.viewport().size()
    assert hint.width() <= viewport.width() and hint.height() <= viewport.height(), hint


class _Pipeline:
    def __init__(self) -> None:
        self.requests = 0

    def update(self, blocks: object) -> PipelineOutput:
        return PipelineOutput()

    def request_calibration(self) -> None:
        self.requests += 1


def test_live_session_passes_calibration_to_its_pipeline() -> None:
    pipeline = _Pipeline()
    assert LiveSession([], pipeline).request_calibration()
    assert pipeline.requests == 1
    no_calibration = _Pipeline()
    no_calibration.request_calibration = None  # type: ignore[assignment,method-assign]
    assert not LiveSession([], no_calibration).request_calibration()
