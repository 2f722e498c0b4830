"""Retraining feedback in the live window: cues per schedule (banner and sound), settings
that persist and move the reference bands, the baseline, symmetry, and cue recording."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from desktop_fakes import FakeSession, coordination, publish, strike
from PySide6.QtCore import Qt

from desktop.feedback.control import CUE_EVENT, FeedbackControl
from desktop.main_window import MainWindow
from drivers.clock_sync import SessionClock
from drivers.recording.reader import Recording
from drivers.sim.session import simulated_pods
from processing.events import Side, StepEvent, StrideEvent, StrikeType
from processing.feedback import MESSAGES, CueKind, FeedbackSettings
from processing.live_session import LiveSession


def make_window(qtbot, session: FakeSession) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.timer.stop()  # frames by hand
    return window


@pytest.fixture
def window(qtbot, session: FakeSession) -> MainWindow:
    return make_window(qtbot, session)


def control(window: MainWindow) -> FeedbackControl:
    return window.feedback


def run_strikes(window: MainWindow, session: FakeSession, times: list[float]) -> int:
    """One rearfoot strike per frame; how many frames gave a cue."""
    cued = 0
    for t in times:
        before = control(window).sound.played
        publish(session.board, [strike(Side.LEFT, t, 14.0)])
        window.on_frame()
        cued += control(window).sound.played - before
    return cued


def cue_once(window: MainWindow, session: FakeSession, t0: float = 1.0) -> int:
    """Three rearfoot strikes: the fault persists (3 of the last 5), one cue."""
    return run_strikes(window, session, [t0, t0 + 0.7, t0 + 1.4])


def test_constant_feedback_cues_a_persisting_rearfoot_strike_spaced(window, session) -> None:
    feedback = control(window)
    assert run_strikes(window, session, [-1.0, -0.3, 0.4, 1.1]) == 0  # not started: no cue
    assert not feedback.banner.active
    window.feedback.start_action.trigger()  # Ctrl+F
    assert feedback.bar.start_button.isChecked() and feedback.bar.start_button.text() == "■ Stop"
    assert run_strikes(window, session, [2.4, 3.1]) == 0  # not yet most of the last five
    assert run_strikes(window, session, [3.8]) == 1
    assert feedback.banner.active and feedback.banner.opacity == 1.0
    assert feedback.banner.text == MESSAGES[CueKind.REARFOOT]
    # every strike is rearfoot, but the same cue waits 6 s: 4.5 … 9.1 give none, 10.1 one
    assert run_strikes(window, session, [3.8 + 0.7 * k for k in range(1, 8)]) == 0
    assert run_strikes(window, session, [9.9, 10.1]) == 1
    publish(session.board, [strike(Side.RIGHT, 10.5, 2.0)])  # midfoot: inside the band
    window.on_frame()
    assert feedback.sound.played == 2 and feedback.banner.shown == 2
    window.refresh_status()
    assert "given 2 of 2 due" in feedback.bar.status.text()


def test_banner_has_its_own_slot_beside_the_bar_never_over_a_panel(window, session) -> None:
    window.resize(1600, 1000)
    window.show()
    feedback = control(window)
    feedback.set_running(True)
    slot = feedback.banner.geometry()  # reserved before any cue: nothing moves when one shows
    cue_once(window, session)
    assert feedback.banner.active and feedback.banner.geometry() == slot

    def rect_of(widget):
        return widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))

    banner = rect_of(feedback.banner)
    for panel in (window.traces.parentWidget(), window.strike[Side.LEFT], feedback.bar):
        assert not banner.intersects(rect_of(panel))
    assert banner.top() == rect_of(feedback.bar).top()  # in the feedback row
    feedback.banner.show_cue("a long message " * 8)  # shrinks to fit its slot
    assert rect_of(feedback.banner) == banner


def test_banner_fades_after_about_a_second(qtbot, window, session) -> None:
    window.feedback.set_running(True)
    cue_once(window, session)
    banner = control(window).banner
    assert banner.active
    qtbot.waitUntil(lambda: not banner.active, timeout=3000)
    assert banner.opacity == 0.0


def test_faded_schedule_halves_then_stops_cues_and_retention_gives_none(window, session) -> None:
    feedback = control(window)
    feedback.set_settings(FeedbackSettings(schedule="faded", block_min=1.0, cue_gap_s=0.0))
    feedback.set_running(True)  # no data yet: the run starts at the first event (t = 0)
    per_block = [run_strikes(window, session, [60.0 * b + 0.5 * k for k in range(100)])
                 for b in range(4)]  # fmt: skip
    assert per_block == [98, 50, 0, 0]  # 100% → 50% → 0% → retention (from the 3rd strike)
    tallies = [(t.due, t.given) for t in feedback.model.controller.tallies]
    assert tallies == [(98, 98), (100, 50), (100, 0), (100, 0)]
    assert run_strikes(window, session, [241.0]) == 0
    window.refresh_status()  # past the last block: the run ends by itself
    assert not feedback.model.running and not feedback.bar.start_button.isChecked()
    assert "stopped in retention" in feedback.bar.status.text()


def test_retention_block_shows_nothing(window, session) -> None:
    feedback = control(window)
    feedback.set_settings(FeedbackSettings(block_min=1.0, retention=True))
    feedback.set_running(True)
    assert run_strikes(window, session, [0.0, 0.5, 1.0, 30.0]) == 2
    shown = feedback.banner.shown
    window.refresh_status()
    assert run_strikes(window, session, [65.0, 80.0, 100.0]) == 0
    assert feedback.banner.shown == shown
    window.refresh_status()
    assert feedback.bar.status.text().startswith("retention · block 2/2")


def test_after_stop_the_bar_keeps_the_runs_tally(qtbot, window, session) -> None:
    """Stopped mid-way through a 30 s constant block followed by retention: the bar keeps
    the run's tally however much time passes (it read "given 0 of 0 due" once the session
    clock passed into the retention block the run never reached)."""
    feedback = control(window)
    feedback.set_settings(FeedbackSettings(block_min=0.5, retention=True, cue_gap_s=0.0))
    qtbot.mouseClick(feedback.bar.start_button, Qt.MouseButton.LeftButton)
    assert run_strikes(window, session, [0.5 * k for k in range(21)]) == 19
    window.refresh_status()
    assert "given 19 of 19 due" in feedback.bar.status.text()
    qtbot.mouseClick(feedback.bar.start_button, Qt.MouseButton.LeftButton)  # ■ Stop
    assert not feedback.model.running
    stopped = "stopped in constant 100% · given 19 of 19 due"
    assert feedback.bar.status.text() == stopped
    assert run_strikes(window, session, [40.0 + 0.5 * k for k in range(10)]) == 0
    window.refresh_status()  # the session is now 45 s in: past the block, into retention
    assert feedback.bar.status.text() == stopped


def test_switched_off_cue_and_stride_cues(window, session) -> None:
    feedback = control(window)
    feedback.cue_actions["rearfoot"].setChecked(False)
    assert not feedback.bar.rearfoot.isChecked()
    feedback.set_running(True)
    assert cue_once(window, session) == 0
    texts = []
    for k in range(10):  # strides 0.7 s apart, each with a guarded twist and too much lean
        start_s = 0.5 + 0.7 * k
        faults = StrideEvent(Side.LEFT, start_s, start_s + 0.7, trunk_flex_mean_deg=18.0,
                             trunk_rot_rom_deg=4.0)  # fmt: skip
        publish(session.board, [faults])
        window.on_frame()
        if feedback.banner.shown > len(texts):
            texts.append(feedback.banner.text)
    # one message at a time: the twist at the third stride, the lean ≥ 3 s after it
    assert texts == [MESSAGES[CueKind.GUARDED_TWIST], MESSAGES[CueKind.LEAN_HIGH]]
    assert feedback.sound.played == 2


def test_settings_persist_and_move_the_reference_bands(qtbot, window, session) -> None:
    bar = control(window).bar
    bar.twist_min.setValue(11.5)
    bar.lean_low.setValue(3.0)
    bar.schedule.setCurrentIndex(bar.schedule.findData("faded"))
    twist = window.stride_panel.sparklines["trunk_rot_rom_deg"]
    assert twist.lines == (11.5,)
    lean = window.stride_panel.sparklines["trunk_flex_mean_deg"]
    assert lean.band == (3.0, 15.0)
    assert window.traces.flexion_references.band.getRegion() == pytest.approx((3.0, 15.0))
    bar.lean.setChecked(False)
    assert not window.traces.flexion_references.band.isVisible()
    assert lean.band is None and lean.lines == (4.0, 11.0)  # Teng & Powers stay
    again = make_window(qtbot, FakeSession(session.status))
    restored = control(again).model.settings
    assert (restored.twist_min_deg, restored.lean_low_deg, restored.lean, restored.schedule) == (
        11.5, 3.0, False, "faded")  # fmt: skip
    assert control(again).bar.twist_min.value() == 11.5


def test_the_cue_gap_is_set_on_the_bar_and_applies_at_once(qtbot, window, session) -> None:
    feedback = control(window)
    feedback.set_running(True)
    assert cue_once(window, session) == 1
    assert run_strikes(window, session, [3.1 + 0.7 * k for k in range(4)]) == 0  # 6 s apart
    feedback.bar.cue_gap.setValue(1.0)  # the same cue every 2 s now, in the running block
    assert feedback.model.settings.cue_gap_s == 1.0
    assert run_strikes(window, session, [5.9 + 0.7 * k for k in range(6)]) == 2  # 5.9, 8.0
    again = make_window(qtbot, FakeSession(session.status))
    assert control(again).bar.cue_gap.value() == 1.0  # remembered


def test_reference_values_on_the_panels(window) -> None:
    scale = window.strike[Side.LEFT].scale
    assert scale.thresholds == (-1.6, 8.0) and "Altman & Davis" in scale.toolTip()
    lines = window.traces.flexion_references.lines
    assert sorted(line.value() for line in lines.values()) == [4.0, 11.0]
    assert all("Teng & Powers (2015)" in line.toolTip() for line in lines.values())
    assert window.stride_panel.sparklines["trunk_rot_rom_deg"].lines == (8.0,)  # the band
    assert "Teng & Powers" in window.stride_panel.names["trunk_flex_mean_deg"].toolTip()


def test_fsa_scale_shows_recent_steps(window, session) -> None:
    for k, fsa in enumerate((12.0, -4.0, 3.0)):
        publish(session.board, [strike(Side.LEFT, 1.0 + k, fsa)])
        window.on_frame()
    scale = window.strike[Side.LEFT].scale
    assert scale.recent == [12.0, -4.0, 3.0] and scale.last == 3.0


def test_baseline_set_and_shown(window, session) -> None:
    panel = window.coordination_panel
    assert "collecting 0/20" in panel.baseline_label.text()

    def strides(crp: float, n: int, t0: float) -> None:
        for k in range(n):
            t = t0 + 0.7 * k
            publish(session.board, [StrideEvent(Side.LEFT, t, t + 0.7, **coordination(crp, 70.0))])
            window.on_frame()

    strides(150.0, 20, 0.0)
    assert panel.bars.baseline_pct == pytest.approx(10.0)  # (100 − 70) / 3 in phase
    assert panel.crp_trend.lines == (150.0,)
    assert panel.baseline_label.text().startswith("Baseline (first 20 strides): in-phase 10%")
    strides(90.0, 5, 20.0)  # later strides do not move it
    assert panel.crp_trend.lines == (150.0,)
    control(window).baseline_action.trigger()
    assert "collecting 0/20" in panel.baseline_label.text()
    strides(100.0, 20, 40.0)
    assert panel.crp_trend.lines == (100.0,)
    window.calibrate()  # a new neutral posture: a new baseline
    window.calibrate_action.trigger()
    assert control(window).model.baseline.armed


def test_symmetry_shown_with_cadence(window, session) -> None:
    steps = [StepEvent(Side.LEFT, 1.0, 1.26, 6.0, StrikeType.MIDFOOT),
             StepEvent(Side.RIGHT, 1.4, 1.64, 2.0, StrikeType.MIDFOOT)]  # fmt: skip
    publish(session.board, steps)
    window.on_frame()
    window.refresh_status()
    text = window.timing_panel.symmetry.text()
    assert text == "contact +8.0%\nFSA +4.0°"  # 100 × (260 − 240) / 250; 6 − 2


@pytest.fixture
def live(qtbot, tmp_path: Path, monkeypatch) -> Iterator[tuple[MainWindow, LiveSession]]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    clock = SessionClock()
    session = LiveSession(simulated_pods("heel-striker-guarded", rate_hz=100.0, seed=4,
                                         clock=clock))  # fmt: skip
    window = MainWindow(session, clock=clock)
    qtbot.addWidget(window)
    session.start()
    yield window, session
    window.shutdown()
    session.stop()


@pytest.mark.slow
def test_cues_are_recorded_as_events_with_start_and_stop_markers(qtbot, live) -> None:
    window, _ = live
    actions = window.session_actions
    path = actions.start_recording()
    assert path is not None
    window.feedback.set_running(True)
    qtbot.waitUntil(lambda: control(window).banner.shown >= 3, timeout=30_000)
    window.feedback.set_running(False)
    given = list(control(window).model.given)
    actions.stop_recording()
    with Recording(path) as recording:
        markers = [text for _, text in recording.markers()]
        cues = [(t, data) for t, data in recording.events() if data["type"] == CUE_EVENT]
    assert markers[0] == "feedback start: constant"
    assert markers[-1].startswith(f"feedback stop (given {len(given)} of ")
    assert len(cues) == len(given) >= 3
    t0, first = cues[0]
    assert first["cue"] == given[0].kind.value and first["message"] == given[0].message
    assert first["block"] == "constant 100%" and t0 == pytest.approx(given[0].t_s, abs=1e-6)
    path = actions.start_recording()  # a block still running when the recording stops
    window.feedback.set_running(True)
    qtbot.waitUntil(lambda: len(control(window).model.given) >= 1, timeout=30_000)
    actions.stop_recording()
    assert window.feedback.model.running  # the block goes on; the file has its tally
    with Recording(path) as recording:
        last = [text for _, text in recording.markers()][-1]
    assert last.startswith("feedback tally at recording stop: constant 100%, given ")


def test_feedback_keys_reach_the_window(qtbot, window) -> None:
    from qt_helpers import show_active

    show_active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert control(window).model.running
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert not control(window).model.running
