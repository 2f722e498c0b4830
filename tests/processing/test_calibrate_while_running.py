"""Calibrating again in the middle of a simulated run: ``LiveSession.request_calibration``
asks the simulated runner to stand, and the pipeline calibrates from that standing.

Live session on simulated pods at 4x speed (pods -> buffers -> engine thread -> board): past
the first standing into the run, a calibration request stops the runner; every chain
calibrates again within a few seconds, on the same gravity direction as the first time
(the pods did not move on their straps), with no step events while the runner stands and
steps again once the runner runs on.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from drivers.clock_sync import SessionClock
from drivers.sim.pod_source import SimulatedPodSource
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.sim.session import LIVE_STANDING_S, simulated_pods
from processing.calibration_check import pod_calibrations
from processing.events import StepEvent, StrikeEvent
from processing.live_session import LiveSession
from processing.pipeline import GaitPipeline

SPEED = 4.0
ASK_AT_S = 8.0


def sim_time_s(sources: list[SimulatedPodSource]) -> float:
    return min(s.stats.last_arrival_s or 0.0 for s in sources)


def wait_until(done: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_request_calibration_mid_run_calibrates_on_the_runners_new_standing() -> None:
    model = RunnerModel(get_profile("heel-striker-guarded"), seed=6, standing_s=LIVE_STANDING_S)
    sources = simulated_pods(rate_hz=100.0, clock=SessionClock(), model=model, speed=SPEED)
    session = LiveSession(sources)
    pipeline = session.engine.pipeline
    assert isinstance(pipeline, GaitPipeline)
    session.start()
    try:
        wait_until(lambda: sim_time_s(sources) >= ASK_AT_S)
        first = pod_calibrations(pipeline)
        asked_at_s = sim_time_s(sources)
        assert session.request_calibration()
        wait_until(lambda: all(c.version == 2 for c in pod_calibrations(pipeline).values()))
        again = pod_calibrations(pipeline)
        fresh = sources[0].plan.segments[-1].model
        wait_until(lambda: sim_time_s(sources) >= fresh.timing.standing_s + 4.0)
        time.sleep(0.2)  # let the engine drain
    finally:
        session.stop()
    still_s = sources[0].plan.segments[-1].start_s
    for placement, cal in again.items():
        assert first[placement].version == 1
        assert first[placement].calibrated_at_s < LIVE_STANDING_S
        assert cal.calibrated_at_s is not None
        assert asked_at_s < cal.calibrated_at_s < asked_at_s + 6.0, placement
        cos = float(np.dot(cal.up_sensor, first[placement].up_sensor))
        assert np.degrees(np.arccos(min(cos, 1.0))) < 1.0, placement
    events, _ = session.board.events_since(0)
    steps = [e for e in events if isinstance(e, StepEvent)]
    assert steps and all(e.contact_ms < 400.0 for e in steps)  # no stance across the stand
    strikes = [e.ic_s for e in events if isinstance(e, StrikeEvent)]
    assert not [t for t in strikes if still_s - 0.5 < t < fresh.timing.standing_s]
    assert len([t for t in strikes if t > fresh.timing.standing_s]) >= 6  # running again
