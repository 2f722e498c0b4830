"""The engine: stepped by hand, on its own thread, containing failures, and end to end on a
live simulated session (pods on the wire path -> buffers -> engine -> board)."""

from __future__ import annotations

import time
from collections.abc import Mapping

import numpy as np

from drivers.clock_sync import SessionClock
from drivers.sim.pod_source import SimulatedPodSource
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel, simulate
from drivers.sim.session import simulated_pods
from drivers.types import Placement, PodInfo, SampleBlock
from processing import traces
from processing.engine import Engine, PipelineOutput
from processing.events import StrideEvent, StrikeEvent
from processing.live_session import LiveSession
from processing.pipeline import GaitPipeline
from processing.pod_buffers import PodBuffers

RATE_HZ = 100.0


def pods() -> list[PodInfo]:
    return [PodInfo(f"sim-{p.value}", p, "sim", "", RATE_HZ) for p in Placement]


def push_chunks(buffers: PodBuffers, blocks: Mapping[Placement, SampleBlock], k: int) -> None:
    for placement, block in blocks.items():
        buffers.push(f"sim-{placement.value}", block.slice(k, k + 4))


def true_ics(model: RunnerModel, t0: float, t1: float) -> list[tuple[str, float]]:
    return [(s.side, s.ic_s) for s in model.steps_between(t0, t1)]


def found(strikes: list[StrikeEvent], truth: list[tuple[str, float]]) -> int:
    return sum(
        any(e.side.value == side and abs(e.ic_s - ic) < 0.05 for e in strikes) for side, ic in truth
    )


def test_engine_stepped_by_hand_publishes_strikes_strides_and_traces() -> None:
    blocks, model = simulate("heel-striker-guarded", 40.0, RATE_HZ, seed=11)
    buffers = PodBuffers(pods())
    engine = Engine(buffers, GaitPipeline(list(buffers.pods.values())))
    for k in range(0, len(blocks[Placement.TRUNK]), 4):
        push_chunks(buffers, blocks, k)
        engine.step()
    events, _ = engine.board.events_since(0)
    strikes = [e for e in events if isinstance(e, StrikeEvent)]
    truth = true_ics(model, 12.0, 39.5)  # after standing and alignment
    assert found(strikes, truth) >= 0.95 * len(truth)
    strides = [e for e in events if isinstance(e, StrideEvent)]
    assert strides and strides[-1].trunk_rot_rom_deg is not None
    t, values = engine.board.trace_latest(traces.SHOE_SAGITTAL_GYRO[Placement.LEFT_SHOE], 500)
    assert len(t) == 500 and np.all(np.diff(t) > 0) and np.ptp(values) > 300
    cadence = engine.board.metrics()[traces.CADENCE_SPM]
    assert abs(cadence - model.profile.cadence_spm) < 5
    assert engine.rows_lost == 0


def test_engine_thread_wakes_on_writes_and_processes_everything() -> None:
    blocks, _ = simulate("forefoot-relaxed", 20.0, RATE_HZ, seed=2)
    buffers = PodBuffers(pods())
    engine = Engine(buffers, GaitPipeline(list(buffers.pods.values())))
    buffers.on_write = engine.notify
    engine.start()
    try:
        total = 0
        for k in range(0, len(blocks[Placement.TRUNK]), 4):
            push_chunks(buffers, blocks, k)
            total += sum(len(b.slice(k, k + 4)) for b in blocks.values())
        assert engine.board.wait_for_rows(total, timeout_s=30.0)
    finally:
        engine.stop()
    events, _ = engine.board.events_since(0)
    assert sum(isinstance(e, StrikeEvent) for e in events) > 20
    assert engine.failures == 0


class ExplodingPipeline:
    """Raises on every other update: the engine must contain it and keep going."""

    def __init__(self) -> None:
        self.calls = 0

    def update(self, blocks: Mapping[Placement, SampleBlock]) -> PipelineOutput:
        self.calls += 1
        if self.calls % 2:
            raise ValueError("stage bug")
        return PipelineOutput(metrics={"calls": float(self.calls)})


def test_engine_thread_survives_a_failing_stage() -> None:
    buffers = PodBuffers(pods()[:1])
    engine = Engine(buffers, ExplodingPipeline())
    buffers.on_write = engine.notify
    block = SampleBlock(np.arange(4.0), np.zeros((4, 3)), np.zeros((4, 3)))
    engine.start()
    try:
        for _ in range(6):
            buffers.push("sim-trunk", block)
            time.sleep(0.05)
    finally:
        engine.stop()
    assert engine.failures >= 2
    assert "stage bug" in engine.board.errors[-1]
    assert engine.board.metrics()["calls"] >= 2


def arrivals(sources: list[SimulatedPodSource]) -> list[float]:
    return [s.stats.last_arrival_s or 0.0 for s in sources]


def test_live_session_end_to_end_faster_than_real_time() -> None:
    speed, sim_s = 8.0, 32.0
    clock = SessionClock()
    model = RunnerModel(get_profile("forefoot-relaxed"), seed=8)
    sources = simulated_pods(rate_hz=RATE_HZ, model=model, clock=clock, speed=speed)
    session = LiveSession(sources)
    session.start()
    try:
        deadline = time.monotonic() + 60.0
        while time.monotonic() < deadline and min(arrivals(sources)) < sim_s:
            time.sleep(0.1)
        time.sleep(0.3)  # let the engine drain
    finally:
        session.stop()
    events, _ = session.board.events_since(0)
    strikes = [e for e in events if isinstance(e, StrikeEvent)]
    truth = true_ics(model, 12.0, sim_s - 1.0)
    assert found(strikes, truth) >= 0.9 * len(truth)
    labels = {(s.side, round(s.ic_s, 1)): s.strike for s in model.steps_between(12.0, sim_s)}
    agree = [
        e.strike.value == label
        for e in strikes
        for (side, ic), label in labels.items()
        if e.side.value == side and abs(e.ic_s - ic) < 0.1
    ]
    assert len(agree) > 20 and sum(agree) >= 0.9 * len(agree)
    assert all(stats.state.value == "streaming" for _, stats in session.pod_status())
