"""Scripted sessions: standing only later, bouts with stops, a 180° turn; truth stays exact."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from drivers.sim.bouts import Bout, BoutSession
from drivers.sim.mounting import identity_mounting
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.types import Placement
from processing.calibration_check import ACC_QUIET_G, GYRO_QUIET_DPS

RATE = 100.0


def runner(**kwargs: object) -> RunnerModel:
    return RunnerModel(get_profile("midfoot"), seed=7, **kwargs)  # type: ignore[arg-type]


def longest_quiet_s(session: BoutSession, t: np.ndarray) -> float:
    """Longest run of samples quiet on every pod, as the standing calibration means it."""
    quiet = np.ones(len(t), dtype=bool)
    for placement in Placement:
        block = session.samples(placement, t)
        gyro = np.linalg.norm(block.gyro_dps, axis=1)
        acc_dev = np.abs(np.linalg.norm(block.acc_g, axis=1) - 1.0)
        quiet &= (gyro < GYRO_QUIET_DPS) & (acc_dev < ACC_QUIET_G)
    best = run = 0
    for q in quiet:
        run = run + 1 if q else 0
        best = max(best, run)
    return best / RATE


def test_late_standing_no_quiet_at_the_start_then_a_quiet_stand() -> None:
    session = BoutSession(runner(), 0.0, [Bout(30.0, 3.0), Bout(np.inf)])
    assert longest_quiet_s(session, np.arange(1.0, 30.0, 1 / RATE)) < 0.3
    ((stand0, stand1),) = session.standing_windows_s()
    assert stand1 - stand0 == pytest.approx(3.0)
    assert 30.5 < stand0 < 33.0
    assert longest_quiet_s(session, np.arange(29.0, 40.0, 1 / RATE)) >= 2.9
    steps = session.steps_between(0.0, 45.0)
    assert not [s for s in steps if stand0 - 0.5 < s.ic_s < stand1 + 0.5]
    assert steps[0].ic_s < 1.0 and steps[-1].ic_s > 44.0


def test_bouts_have_their_own_steps_and_truth_stays_consistent() -> None:
    bouts = [Bout(12.0, 2.0), Bout(15.0, 1.5), Bout(np.inf)]
    session = BoutSession(runner(), 2.0, bouts)
    windows = session.standing_windows_s()
    assert len(windows) == 3 and windows[0] == (0.0, 2.0)
    steps = session.steps_between(0.0, 50.0)
    for (_, a), (b, _) in zip(windows, [*windows[1:], (np.inf, np.inf)], strict=True):
        bout = [s for s in steps if a < s.ic_s < b]
        assert len(bout) > 20
        assert all(x.side != y.side for x, y in itertools.pairwise(bout))
        assert all(s.to_s > s.ic_s for s in bout)
    fsa = [s.fsa_deg for s in steps]
    assert len(set(np.round(fsa[:10], 6)) & set(np.round(fsa[30:60], 6))) == 0  # new draws
    for s in steps[::7]:  # the FSA is the pitch of that foot at its contact
        shoe = Placement.LEFT_SHOE if s.side == "left" else Placement.RIGHT_SHOE
        angle = session.segment_angles_deg(shoe, np.array([s.ic_s]))[0, 0]
        assert angle == pytest.approx(s.fsa_deg, abs=1e-9)
    for stride in session.strides_between(0.0, 48.0):  # no stride spans a stop
        assert not any(a < stride.end_s and stride.start_s < b for a, b in windows)


def test_a_turn_rotates_the_heading_by_180_degrees_and_changes_no_truth() -> None:
    plain = runner(mounting=identity_mounting(), noise=False)
    session = BoutSession(plain, 1.0, [Bout(16.0, 2.0, turn_deg=180.0), Bout(np.inf)])
    straight = BoutSession(plain, 1.0, [Bout(16.0, 2.0), Bout(np.inf)])
    model = session.segments[0][1]
    t = np.arange(0.0, 20.0, 1 / RATE)
    for placement in (Placement.TRUNK, Placement.PELVIS, Placement.LEFT_SHOE):
        rot = model.segment_orientation(placement, t)
        rate_world = np.einsum("nij,nj->ni", rot, session.samples(placement, t).gyro_dps)
        turned_deg = rate_world[:, 2].sum() / RATE
        tolerance = 8.0 if placement.is_shoe else 3.0  # a shoe's fast rates, summed at 100 Hz
        assert turned_deg == pytest.approx(180.0, abs=tolerance), placement
        heading = np.degrees(np.arctan2(rot[:, 1, 0], rot[:, 0, 0]))
        assert abs(heading[-1] - heading[0]) == pytest.approx(180.0, abs=12.0)
    assert session.steps_between(0.0, 30.0) == straight.steps_between(0.0, 30.0)
    np.testing.assert_allclose(
        session.segment_angles_deg(Placement.TRUNK, t),
        straight.segment_angles_deg(Placement.TRUNK, t),
    )
    trunk = session.samples(Placement.TRUNK, t)
    assert np.abs(trunk.gyro_dps[:, 2]).max() > 60.0  # the turn's yaw rate is in the signal
