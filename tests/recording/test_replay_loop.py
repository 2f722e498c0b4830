"""Replay of any range starts from the recording's calibration: a loop over the running,
which skips the standing at the start, shows steps (``gaitdeck replay REC --loop 15:25``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from waiting import wait

from desktop.replay_control import ReplayControl
from drivers.clock_sync import SessionClock
from drivers.recording import Recording
from drivers.recording.records import CALIBRATION_EVENT
from drivers.recording.session_recorder import SessionRecorder
from drivers.sim.session import LIVE_STANDING_S, simulated_pods
from processing.events import StepEvent, StrikeEvent
from processing.live_session import LiveSession
from processing.replay_session import ReplaySession

LOOP = (15.0, 25.0)  # seconds from the recording's start, well after the standing


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 s of simulated pods (standing, then running) through the real recorder, with no
    calibration event: only the standing at the file's start can calibrate."""
    path = tmp_path_factory.mktemp("loop") / "session.gdrec"
    clock = SessionClock()
    sources = simulated_pods("mixed", rate_hz=100.0, seed=5, clock=clock, speed=20.0)
    session = LiveSession(sources)
    recorder = SessionRecorder(sources, path, clock, runner_id="R-2")
    session.start()
    try:
        assert wait(lambda: min(s.stats.samples for s in sources) >= 3000, 60)
    finally:
        recorder.stop()
        session.stop()
    return path


def loop_events(session: ReplaySession, kind: type) -> list:  # type: ignore[type-arg]
    events, _ = session.board.events_since(0)
    return [e for e in events if isinstance(e, kind)]


def test_the_recording_holds_a_standing_and_no_calibration(recorded: Path) -> None:
    with Recording(recorded) as rec:
        assert rec.starting_event(CALIBRATION_EVENT) is None
        assert LOOP[0] > LIVE_STANDING_S + 5.0


@pytest.mark.parametrize("speed", [None, 10.0], ids=["max", "10x"])
def test_a_loop_after_the_standing_shows_steps_and_strikes(
    recorded: Path, speed: float | None
) -> None:
    with Recording(recorded) as rec:
        session = ReplaySession(rec, speed=speed)
        control = ReplayControl(session)
        control.set_loop(*LOOP)  # as `replay --loop 15:25` does, before anything plays
        session.start()
        try:
            assert wait(lambda: len(loop_events(session, StepEvent)) >= 6, 20)
        finally:
            session.stop()
        zero = session.origin_s
    strikes = loop_events(session, StrikeEvent)
    assert len(strikes) >= 6
    assert all(LOOP[0] <= s.ic_s - zero < LOOP[1] for s in strikes)
    assert {s.side.value for s in strikes} == {"left", "right"}


def test_without_the_head_calibration_the_loop_shows_nothing(recorded: Path) -> None:
    """What happened before: a fresh pipeline in the loop waits for a standing forever."""
    with Recording(recorded) as rec:
        session = ReplaySession(rec, speed=None)
        session._head_read = True  # as if the file's head held no calibration
        session.set_loop(session.origin_s + LOOP[0], session.origin_s + LOOP[1])
        session.start()
        try:
            generation = session.clock.generation
            assert wait(lambda: session.clock.generation >= generation + 2, 20)  # looped
        finally:
            session.stop()
    assert not loop_events(session, StrikeEvent)
