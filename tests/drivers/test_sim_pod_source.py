"""Simulated pods through the real WitMotion decoder path: values, pacing, faults."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import numpy as np
import pytest

from drivers.clock_sync import SessionClock
from drivers.sim.faults import FaultPlan
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.sim.session import simulated_pods
from drivers.source import CollectingSink as Collect
from drivers.source import Source
from drivers.types import Placement, PodState
from drivers.watchdog import SilenceWatchdog


async def stream(sources: Sequence[Source], seconds: float, *, watchdog: bool = False) -> Collect:
    sink = Collect()
    tasks = [asyncio.create_task(s.run(sink)) for s in sources]
    if watchdog:
        tasks.append(asyncio.create_task(SilenceWatchdog(sources, timeout_s=0.3).run(0.05)))
    await asyncio.sleep(seconds)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return sink


def model() -> RunnerModel:
    return RunnerModel(get_profile("forefoot-relaxed"), seed=4, noise=False)


def test_decoded_samples_equal_the_model_within_one_lsb() -> None:
    runner = model()
    sources = simulated_pods(rate_hz=100.0, model=runner, placements=[Placement.LEFT_SHOE])
    sink = asyncio.run(stream(sources, 1.0))
    block = sink.joined("sim-left_shoe")
    assert 80 <= len(block) <= 110
    truth = runner.samples(Placement.LEFT_SHOE, np.round(block.t_s * 100.0) / 100.0)
    np.testing.assert_allclose(block.acc_g, truth.acc_g, atol=16 / 32768 + 1e-9)
    np.testing.assert_allclose(block.gyro_dps, truth.gyro_dps, atol=2000 / 32768 + 1e-9)
    dt = np.diff(block.t_s)
    assert np.all((dt > 0.009) & (dt < 0.0101))  # counted, slewing towards the earliest arrivals


def test_pacing_follows_absolute_deadlines_at_200_hz() -> None:
    clock = SessionClock()
    sources = simulated_pods(rate_hz=200.0, model=model(), clock=clock)
    sink = asyncio.run(stream(sources, 1.5))
    for source in sources:
        block = sink.joined(source.info.pod_id)
        assert len(block) == pytest.approx(300, abs=12)
        assert source.stats.samples_lost == 0
        assert source.stats.effective_rate_hz == pytest.approx(200.0, rel=0.05)


def test_dropped_notifications_are_counted_as_lost_samples() -> None:
    faults = {Placement.TRUNK: FaultPlan(drop_probability=0.2)}
    sources = simulated_pods(rate_hz=100.0, model=model(), faults=faults, speed=20.0)
    asyncio.run(stream(sources, 0.5))
    trunk = next(s for s in sources if s.info.placement is Placement.TRUNK)
    expected_lost = 0.2 * (trunk.stats.samples + trunk.stats.samples_lost)
    assert trunk.stats.samples_lost == pytest.approx(expected_lost, rel=0.35)
    others = [s for s in sources if s is not trunk]
    assert all(s.stats.samples_lost == 0 for s in others)


def test_disconnected_pod_is_lost_then_resumes_and_others_keep_going() -> None:
    faults = {Placement.PELVIS: FaultPlan(disconnects=((0.3, 0.4),))}
    sources = simulated_pods(rate_hz=100.0, model=model(), faults=faults)
    states: list[PodState] = []

    async def run() -> Collect:
        task = asyncio.create_task(stream(sources, 1.2))
        for _ in range(22):
            await asyncio.sleep(0.05)
            states.append(sources[1].stats.state)
        return await task

    sink = asyncio.run(run())
    pelvis = sources[1]
    assert pelvis.info.placement is Placement.PELVIS
    assert PodState.LOST in states and states[-1] is PodState.STREAMING
    assert pelvis.stats.reconnects == 1
    t = sink.joined("sim-pelvis").t_s
    assert np.max(np.diff(t)) > 0.3  # the gap is a gap, not filled in
    trunk = sink.joined("sim-trunk").t_s
    assert np.max(np.diff(trunk)) < 0.05


def test_silent_pod_is_marked_lost_by_the_watchdog_and_comes_back() -> None:
    faults = {Placement.RIGHT_SHOE: FaultPlan(silences=((0.2, 0.8),))}
    sources = simulated_pods(rate_hz=50.0, model=model(), faults=faults)
    seen: list[PodState] = []

    async def run() -> None:
        task = asyncio.create_task(stream(sources, 1.5, watchdog=True))
        for _ in range(28):
            await asyncio.sleep(0.05)
            seen.append(sources[3].stats.state)
        await task

    asyncio.run(run())
    assert PodState.LOST in seen and seen[-1] is PodState.STREAMING
    assert sources[3].stats.samples_lost == pytest.approx(40, abs=4)
