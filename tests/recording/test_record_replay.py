"""Record a live simulated session, then replay it: the same samples and the same metrics."""

from __future__ import annotations

import time
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
from waiting import wait

from drivers.clock_sync import SessionClock
from drivers.recording import Recording
from drivers.recording.session_recorder import SessionRecorder
from drivers.replay.blocks import recording_blocks
from drivers.replay.clock import PlaybackClock
from drivers.replay.source import ReplayPodSource
from drivers.sim.session import simulated_pods
from drivers.source import CollectingSink
from drivers.types import PodState
from processing.analysis import analyze
from processing.events import GaitEvent, StepEvent, StrideEvent, StrikeEvent
from processing.live_session import LiveSession
from processing.replay_session import ReplaySession

SPEED = 20.0
SESSION_S = 30.0


def board_events(session: LiveSession) -> list[GaitEvent]:
    events, _ = session.board.events_since(0)
    return events


def comparable(events: list[GaitEvent], until_s: float) -> list[GaitEvent]:
    """Steps, strikes and strides well inside the session (the last ones may be pending)."""

    def start(e: GaitEvent) -> float:
        return e.start_s if isinstance(e, StrideEvent) else e.ic_s

    kept = [e for e in events if start(e) < until_s]
    return sorted(kept, key=lambda e: (type(e).__name__, e.side.value, start(e)))


def assert_same(a: list[GaitEvent], b: list[GaitEvent]) -> None:
    assert len(a) == len(b) and len(a) > 0
    for x, y in zip(a, b, strict=True):
        assert type(x) is type(y)
        for f in fields(x):
            u, v = getattr(x, f.name), getattr(y, f.name)
            if isinstance(u, float) and isinstance(v, float):
                assert u == pytest.approx(v, abs=1e-9, nan_ok=True), (f.name, x, y)
            else:
                assert u == v, (f.name, x, y)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[GaitEvent], float]:
    """A live simulated session (20x real time) recorded to a file, and what it published."""
    path = tmp_path_factory.mktemp("rec") / "session.gdrec"
    clock = SessionClock()
    sources = simulated_pods("mixed", rate_hz=100.0, seed=4, clock=clock, speed=SPEED)
    session = LiveSession(sources)
    recorder = SessionRecorder(sources, path, clock, runner_id="R-1", notes="sim")
    session.start()
    try:
        assert wait(lambda: min(s.stats.samples for s in sources) >= SESSION_S * 100, 60)
        recorder.marker("speed 12 km/h")
    finally:
        recorder.stop()
        session.stop()
    last_s = min(s.stats.last_arrival_s or 0.0 for s in sources)
    return path, board_events(session), last_s


def test_the_file_holds_the_pods_and_closes_cleanly(recorded: tuple[Path, list, float]) -> None:
    path, _, _ = recorded
    with Recording(path) as rec:
        assert rec.clean
        assert [p.placement.value for p in rec.header.pods] == [
            "trunk", "pelvis", "left_shoe", "right_shoe"
        ]  # fmt: skip
        assert {p.model_key for p in rec.header.pods} == {"witmotion"}
        assert rec.header.runner_id == "R-1"
        assert [text for _, text in rec.markers()] == ["speed 12 km/h"]


def test_offline_replay_gives_the_live_metrics(recorded: tuple[Path, list, float]) -> None:
    path, live, last_s = recorded
    with Recording(path) as rec:
        result = analyze(recording_blocks(rec))
    offline: list[GaitEvent] = [*result.strikes, *result.steps, *result.strides]
    until = last_s - 4.0
    assert len([e for e in comparable(live, until) if isinstance(e, StepEvent)]) > 20
    assert_same(comparable(live, until), comparable(offline, until))
    assert any(isinstance(e, StrikeEvent) for e in offline)


def test_replay_as_a_live_source_gives_the_live_metrics(recorded: tuple[Path, list, float]) -> None:
    path, live, last_s = recorded
    with Recording(path) as rec:
        clock = PlaybackClock(speed=None)
        sources = [ReplayPodSource(rec, i, clock) for i in range(len(rec.header.pods))]
        session = LiveSession(sources)
        clock.backlog_s = session.engine.backlog_s
        session.start()
        try:
            assert wait(lambda: all(s.stats.state is PodState.STOPPED for s in sources), 60)
            assert wait(lambda: session.engine.backlog_s() == 0.0, 10)
            time.sleep(0.3)
            assert session.engine.rows_lost == 0
        finally:
            session.stop()
        replayed = board_events(session)
    until = last_s - 4.0
    assert_same(comparable(live, until), comparable(replayed, until))


def test_replayed_samples_equal_the_live_samples(recorded: tuple[Path, list, float]) -> None:
    path, _, _ = recorded
    with Recording(path) as rec:
        offline = recording_blocks(rec)
        clock = PlaybackClock(speed=None)
        sink = CollectingSink()
        sources = [ReplayPodSource(rec, i, clock) for i in range(len(rec.header.pods))]
        import asyncio

        async def play() -> None:
            tasks = [asyncio.create_task(s.run(sink)) for s in sources]
            while not all(s.stats.state is PodState.STOPPED for s in sources):
                await asyncio.sleep(0.01)
            for task in tasks:
                task.cancel()

        asyncio.run(play())
    for source in sources:
        got = sink.joined(source.info.pod_id)
        want = offline[source.info.placement]
        assert np.array_equal(got.t_s, want.t_s)
        assert np.array_equal(got.acc_g, want.acc_g)


def test_a_seek_into_running_goes_on_with_the_calibration_found(
    recorded: tuple[Path, list, float],
) -> None:
    path, live, _ = recorded
    with Recording(path) as rec:
        session = ReplaySession(rec, speed=None)
        session.start()
        try:
            assert wait(lambda: any(isinstance(e, StepEvent) for e in board_events(session)), 30)
            session.seek(20.0)
            epoch = session.board.epoch
            assert epoch >= 1
            assert wait(
                lambda: len([e for e in board_events(session) if isinstance(e, StepEvent)]) >= 6, 30
            )
        finally:
            session.stop()
        after = [e for e in board_events(session) if isinstance(e, StrikeEvent)]
    assert after and min(e.ic_s for e in after) >= 20.0
    truth = {(e.side, round(e.ic_s, 3)): e.strike for e in live if isinstance(e, StrikeEvent)}
    same = [truth.get((e.side, round(e.ic_s, 3))) == e.strike for e in after]
    assert sum(same) >= 0.8 * len(same)  # the same steps, labelled alike, without standing


def test_a_loop_range_plays_again_and_again(recorded: tuple[Path, list, float]) -> None:
    path, _, _ = recorded
    with Recording(path) as rec:
        session = ReplaySession(rec, speed=10.0)
        session.start()
        try:
            session.set_loop(12.0, 14.0)
            first = session.clock.generation
            assert wait(lambda: session.clock.generation >= first + 2, 10)
            assert 12.0 <= session.clock.position_s() < 14.0
        finally:
            session.stop()
