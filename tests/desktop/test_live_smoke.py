"""The window on a real LiveSession of simulated pods (needs the pipeline and the simulator)."""

from __future__ import annotations

import pytest

pytest.importorskip("processing.pipeline", reason="GaitPipeline not written yet")
pytest.importorskip("drivers.sim.runner_model", reason="runner model not written yet")

from desktop.main_window import MainWindow
from drivers.sim.faults import FaultPlan
from drivers.sim.session import simulated_pods
from drivers.types import Placement
from processing.live_session import LiveSession

pytestmark = pytest.mark.slow


def _run(qtbot, session: LiveSession, seconds: float) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    session.start()
    try:
        qtbot.wait(int(seconds * 1000))
    finally:
        session.stop()
    window.timer.stop()
    window.refresh_status()
    return window


def _points(window: MainWindow, trace_name: str) -> int:
    for plot in window.traces.plots:
        for trace in plot.curves:
            if trace.name == trace_name:
                x, _ = trace.curve.getData()
                return 0 if x is None else len(x)
    raise KeyError(trace_name)


def test_window_on_simulated_pods(qtbot) -> None:
    window = _run(qtbot, LiveSession(simulated_pods("forefoot-relaxed", seed=3)), 3.0)
    assert window.frames >= 45  # >= 15 fps even on a loaded CI machine
    assert window.frame_errors == {}, window.last_error
    states = {p: card.state.text() for p, card in window.pod_row.cards.items()}
    assert set(states.values()) == {"STREAMING"}, states
    drawn = [trace.name for plot in window.traces.plots for trace in plot.curves]
    assert any(_points(window, name) > 100 for name in drawn), window.session.board.trace_names()


def test_lost_pod_is_shown_while_the_others_stream(qtbot) -> None:
    faults = {Placement.PELVIS: FaultPlan(disconnects=((0.5, 30.0),))}
    session = LiveSession(simulated_pods("forefoot-relaxed", seed=4, faults=faults))
    window = _run(qtbot, session, 2.0)
    assert window.pod_row.cards[Placement.PELVIS].state.text() == "LOST"
    assert window.pod_row.cards[Placement.TRUNK].state.text() == "STREAMING"
    assert window.pod_row.cards[Placement.LEFT_SHOE].state.text() == "STREAMING"
    assert window.frame_errors == {}, window.last_error
