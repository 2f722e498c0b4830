"""Simulated pods asked to have the runner stand: through the live decoder path, at 10x speed.

One pod is asked about 8 s into the session (the runner is running); every pod of the session
goes quiet at the same sample time for about 4 s, then the runner runs again. The samples
are those of the plan's models, computed ahead in chunks across the switches exactly as the
models give them in one call each (noise included), and the pods still hang on the runner
as they did (the standing gravity direction in sensor axes is the same before and after).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import numpy as np

from drivers.clock_sync import SessionClock
from drivers.sim.pod_source import SimulatedPodSource
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.sim.runner_plan import STAND_S
from drivers.sim.session import LIVE_STANDING_S, simulated_pods
from drivers.source import CollectingSink
from drivers.types import Placement, SampleBlock
from processing.calibration_check import ACC_QUIET_G, GYRO_QUIET_DPS

RATE = 100.0
SPEED = 10.0
ASK_AT_S = 8.0
LSB = {"acc": 16 / 32768 + 1e-9, "gyro": 2000 / 32768 + 1e-9}


def sim_time_s(sources: Sequence[SimulatedPodSource]) -> float:
    return min(s.stats.last_arrival_s or 0.0 for s in sources)


async def stream_and_ask(
    sources: Sequence[SimulatedPodSource], ask_at_s: float, until_s: float
) -> CollectingSink:
    sink = CollectingSink()
    tasks = [asyncio.create_task(s.run(sink)) for s in sources]
    while sim_time_s(sources) < ask_at_s:
        await asyncio.sleep(0.002)
    assert sources[0].ask_runner_to_stand()
    while sim_time_s(sources) < until_s:
        await asyncio.sleep(0.01)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return sink


def between(block: SampleBlock, t0_s: float, t1_s: float) -> SampleBlock:
    lo, hi = np.searchsorted(block.t_s, [t0_s, t1_s])
    return block.slice(int(lo), int(hi))


def angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    cos = np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b)
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def test_asked_to_stand_the_runner_stops_stands_quietly_and_runs_on() -> None:
    model = RunnerModel(get_profile("mixed"), seed=3, standing_s=LIVE_STANDING_S)
    sources = simulated_pods(rate_hz=RATE, clock=SessionClock(), model=model, speed=SPEED)
    sink = asyncio.run(stream_and_ask(sources, ASK_AT_S, 17.0))
    plan = sources[0].plan
    assert all(s.plan is plan for s in sources)
    _, (switch_s, _), (still_s, fresh) = [(s.start_s, s.model) for s in plan.segments]
    assert ASK_AT_S <= switch_s < ASK_AT_S + 0.1  # at once, after what the pods had sent
    assert still_s - switch_s < 2.0  # slowed down, both feet down
    for source in sources:
        block = sink.joined(source.info.pod_id)
        gyro = np.linalg.norm(block.gyro_dps, axis=1)
        acc_dev = np.abs(np.linalg.norm(block.acc_g, axis=1) - 1.0)
        quiet = (gyro < GYRO_QUIET_DPS) & (acc_dev < ACC_QUIET_G)
        standing = (block.t_s >= still_s) & (block.t_s < still_s + STAND_S - 0.3)
        assert quiet[standing].all() and standing.sum() >= 4.0 * RATE, source.info.placement
        assert not quiet[(block.t_s > switch_s) & (block.t_s < switch_s + 0.5)].all()
        if source.info.placement.is_shoe:  # the feet swing again
            assert gyro[block.t_s > fresh.timing.standing_s + 1.5].max() > 300.0
        # the same strap orientation: gravity in sensor axes as at the session start
        before = between(block, 1.0, 4.0)
        after = between(block, still_s + 0.5, still_s + 4.0)
        assert angle_deg(before.acc_g.mean(0), after.acc_g.mean(0)) < 0.5
        if source.info.placement.is_shoe:  # and the same gyro bias (the trunk sways)
            assert np.abs(before.gyro_dps.mean(0) - after.gyro_dps.mean(0)).max() < 0.1


def test_samples_computed_ahead_across_the_switch_are_the_models_own() -> None:
    model = RunnerModel(get_profile("forefoot-relaxed"), seed=8, standing_s=LIVE_STANDING_S)
    sources = simulated_pods(rate_hz=RATE, clock=SessionClock(), model=model, speed=SPEED)
    sink = asyncio.run(stream_and_ask(sources, ASK_AT_S, 11.0))
    segments = sources[0].plan.segments
    ends = [s.start_s for s in segments[1:]] + [np.inf]
    for source in sources:
        block = sink.joined(source.info.pod_id)
        k = np.round(block.t_s * RATE).astype(np.int64)
        assert np.all(np.diff(k) == 1)  # nothing lost: one run of consecutive samples
        t = k * (1.0 / RATE)
        for segment, end in zip(segments, ends, strict=True):
            inside = (t >= segment.start_s) & (t < end)
            timing = segment.model.timing
            again = segment.model.replanned(timing.standing_s, timing.stop_s)  # fresh noise
            want = again.samples(source.info.placement, t[inside])  # in one call
            np.testing.assert_allclose(block.acc_g[inside], want.acc_g, atol=LSB["acc"])
            np.testing.assert_allclose(block.gyro_dps[inside], want.gyro_dps, atol=LSB["gyro"])
    assert len(segments) == 3


def test_the_pods_of_one_session_share_one_plan() -> None:
    one = simulated_pods(rate_hz=RATE, placements=[Placement.TRUNK, Placement.LEFT_SHOE])
    other = simulated_pods(rate_hz=RATE)
    assert one[0].plan is one[1].plan and one[0].plan is not other[0].plan
