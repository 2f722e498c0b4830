"""A runner who stops and stands on request: the stopping model and the shared runner plan.

Pure functions of time (no clock, no threads): the stopping model is the running one until
the stop, slows down, sets each foot down flat and stands; the plan switches the session's
runner to it and, once quiet, to a fresh model that stands ``STAND_S`` and runs up again.
"""

from __future__ import annotations

import numpy as np
import pytest

from drivers.sim.profiles import PROFILES, get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.sim.runner_plan import STAND_S, RunnerPlan
from drivers.types import Placement, SampleBlock
from processing.calibration_check import ACC_QUIET_G, GYRO_QUIET_DPS

RATE = 200.0


def running(name: str = "mixed", **kwargs: object) -> RunnerModel:
    return RunnerModel(get_profile(name), seed=5, standing_s=5.0, **kwargs)  # type: ignore[arg-type]


def quiet(block: SampleBlock) -> np.ndarray:
    """Per sample: quiet as the standing calibration means it."""
    gyro = np.linalg.norm(block.gyro_dps, axis=1)
    acc_dev = np.abs(np.linalg.norm(block.acc_g, axis=1) - 1.0)
    return (gyro < GYRO_QUIET_DPS) & (acc_dev < ACC_QUIET_G)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_stopping_runner_is_the_runner_until_the_stop_then_stands(name: str) -> None:
    model = running(name, noise=False)
    stop_s = 8.013
    stopping = model.replanned(model.timing.standing_s, stop_s)
    t = np.arange(0.0, 14.0, 1 / RATE)
    before = t < stop_s
    still_s = stopping.still_from_s
    assert 1.0 <= still_s - stop_s <= 2.0  # slowed down and both feet down within 2 s
    for placement in Placement:
        ran, stopped = model.samples(placement, t), stopping.samples(placement, t)
        np.testing.assert_array_equal(ran.acc_g[before], stopped.acc_g[before])
        np.testing.assert_array_equal(ran.gyro_dps[before], stopped.gyro_dps[before])
        assert quiet(stopped)[t >= still_s].all(), placement
        assert np.linalg.norm(stopped.gyro_dps[t >= still_s], axis=1).max() < 1.0
    # the last steps are ordinary ones, before the last flat (virtual) footfalls
    steps = stopping.steps_between(stop_s - 1.0, 1e6)
    assert steps and steps[-1].ic_s < stop_s + 0.6
    assert steps == model.steps_between(stop_s - 1.0, steps[-1].ic_s + 1e-6)


def test_the_plan_stops_the_runner_then_runs_the_same_runner_again() -> None:
    model = running()
    plan = RunnerPlan(model)
    assert plan.request_stand(8.0)
    _, (switch_s, stopping), (still_s, fresh) = [(s.start_s, s.model) for s in plan.segments]
    assert switch_s == 8.0 and stopping.timing.stop_s == 8.0
    assert still_s == stopping.still_from_s and fresh.timing.standing_s == still_s + STAND_S
    # same runner, same pods: profile, seed, strap orientations and gyro biases
    for other in (stopping, fresh):
        assert other.profile is model.profile and other.seed == model.seed
        for placement in Placement:
            np.testing.assert_array_equal(other.mounting[placement], model.mounting[placement])
            np.testing.assert_array_equal(
                other.pod_gyro_bias_dps[placement], model.pod_gyro_bias_dps[placement]
            )
    # the same steps as at the session start, shifted to the new run-up
    shift = fresh.timing.standing_s - model.timing.standing_s
    first, again = model.steps_between(0.0, 8.0), fresh.steps_between(0.0, 8.0 + shift)
    assert [s.side for s in again] == [s.side for s in first]
    np.testing.assert_allclose([s.ic_s for s in again], [s.ic_s + shift for s in first])
    assert [s.fsa_deg for s in again] == [s.fsa_deg for s in first]


def test_the_plan_samples_each_segment_from_its_start() -> None:
    plan = RunnerPlan(running(noise=False))
    plan.request_stand(8.0)
    t = np.arange(6.0, 20.0, 1 / RATE)
    bounds = [s.start_s for s in plan.segments[1:]]
    for placement in Placement:
        got = plan.samples(placement, t)
        for segment, end in zip(plan.segments, [*bounds, np.inf], strict=True):
            inside = (t >= segment.start_s) & (t < end)
            want = segment.model.samples(placement, t[inside])
            np.testing.assert_array_equal(got.acc_g[inside], want.acc_g)
            np.testing.assert_array_equal(got.gyro_dps[inside], want.gyro_dps)


def test_quiet_stand_on_request_then_running_again() -> None:
    plan = RunnerPlan(running())
    plan.request_stand(8.0)
    still_s, fresh = plan.segments[2].start_s, plan.segments[2].model
    t = np.arange(6.0, 20.0, 1 / RATE)
    for placement in Placement:
        block = plan.samples(placement, t)
        ok = quiet(block)
        assert ok[(t >= still_s) & (t < still_s + STAND_S - 0.2)].all(), placement
        assert not ok[(t > 8.0) & (t < 8.5)].all()  # still running just after the request
        gyro = np.linalg.norm(block.gyro_dps, axis=1)
        ran = gyro[(t >= 6.5) & (t < 8.0)].max()
        assert gyro[t > fresh.timing.standing_s + 1.5].max() > 0.8 * ran  # running again
    assert fresh.steps_between(still_s, still_s + 8.0)


def test_asking_again_while_stopping_or_standing_long_enough_changes_nothing() -> None:
    plan = RunnerPlan(running())
    assert not plan.request_stand(0.2)  # standing until 5 s: long enough
    assert plan.request_stand(1.0)  # standing, but not for STAND_S more: stand longer
    assert plan.segments[-1].model.timing.standing_s == 1.0 + STAND_S
    assert plan.version == 1
    assert plan.request_stand(9.0)  # running: stop
    still_s = plan.segments[-1].start_s
    assert not plan.request_stand(still_s - 0.01)  # stopping: standing from still_s anyway
    assert plan.version == 2 and plan.changed_since(0) == 1.0 and plan.changed_since(1) == 9.0
    assert plan.changed_since(2) is None
    assert plan.request_stand(still_s + 1.0)  # standing, not for STAND_S more: longer
    assert plan.segments[-1].model.timing.standing_s == still_s + 1.0 + STAND_S


def test_the_switch_is_after_every_sample_already_taken() -> None:
    plan = RunnerPlan(running())
    plan.sent(8.25)
    plan.request_stand(8.0)  # a pod already took samples up to 8.25 s
    assert 8.25 < plan.segments[1].start_s < 8.2501
    # during the run-up, the runner reaches full speed before stopping
    plan = RunnerPlan(running())
    plan.request_stand(5.2)
    assert plan.segments[1].model.timing.stop_s == pytest.approx(6.0)


def test_same_request_same_plan() -> None:
    a, b = RunnerPlan(running()), RunnerPlan(running())
    a.request_stand(8.3)
    b.request_stand(8.3)
    t = np.arange(8.0, 16.0, 1 / RATE)
    for placement in Placement:
        np.testing.assert_array_equal(
            a.samples(placement, t).gyro_dps, b.samples(placement, t).gyro_dps
        )
