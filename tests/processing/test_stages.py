"""Processing stages: the streaming contract, calibration, alignment, and real walking data."""

from __future__ import annotations

import csv
import gzip
from dataclasses import astuple
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from drivers.sim.conditions import Conditions, TerminalSwing
from drivers.sim.runner_model import RunnerModel, simulate
from drivers.types import FloatArray, Placement, SampleBlock
from processing.events import Side
from processing.stages.alignment import AlignmentStatus, second_difference, shoe_axes, trunk_axes
from processing.stages.calibration import StandingCalibrationStage
from processing.stages.gait_events import GaitEventStage
from processing.stages.segment import SegmentChain
from processing.stages.shoe import ShoeChain
from processing.stages.strike import FootStrikeStage, carry_up

GAITMAP = Path(__file__).resolve().parents[1] / "fixtures" / "gaitmap"  # vendored, MIT
GAITMAP_HZ = 204.8


@cache
def session(rate_hz: int = 100) -> tuple[dict[Placement, SampleBlock], RunnerModel]:
    return simulate("mixed", 25.0, rate_hz, seed=11)


def stream(chain: ShoeChain | SegmentChain, block: SampleBlock, sizes: list[int]) -> list[object]:
    """Feed ``block`` in chunks of the given sizes (cycled); collect every result."""
    out: list[object] = []
    k, i = 0, 0
    while k < len(block):
        chain.update(block.slice(k, k + sizes[i % len(sizes)]))
        k += sizes[i % len(sizes)]
        i += 1
        if isinstance(chain, ShoeChain):
            out.extend(
                (
                    type(e).__name__,
                    *(round(v, 9) if isinstance(v, float) else v for v in astuple(e)),
                )
                for e in chain.events_
            )
        else:
            out.extend(chain.trace_[1].tolist())  # compared within 1e-9 (summation order)
    return out


@pytest.mark.parametrize("placement", [Placement.LEFT_SHOE, Placement.TRUNK])
def test_streaming_in_random_chunks_equals_one_chunk(placement: Placement) -> None:
    block = session()[0][placement]
    sizes = np.random.default_rng(3).integers(1, 40, 500).tolist()

    def make() -> ShoeChain | SegmentChain:
        return ShoeChain(Side.LEFT, 100.0) if placement.is_shoe else SegmentChain(100.0)

    whole = stream(make(), block, [len(block)])
    assert whole  # something was produced
    chunked = stream(make(), block, sizes)
    if placement.is_shoe:
        assert chunked == whole
    else:  # angles: the same up to the order of floating-point sums
        np.testing.assert_allclose(np.array(chunked), np.array(whole), rtol=0.0, atol=1e-9)


def test_calibration_needs_three_quiet_seconds_and_finds_gravity_and_bias() -> None:
    rate = 100.0
    t = np.arange(600) / rate
    up = np.array([0.3, -0.5, 0.81])
    up /= np.linalg.norm(up)
    acc = np.tile(up, (600, 1)) + 0.005 * np.random.default_rng(0).standard_normal((600, 3))
    gyro = np.tile([1.0, -2.0, 0.5], (600, 1))
    acc[:50] += [0.5, 0.0, 0.0]  # not quiet at first
    acc[200] += [0.0, 0.3, 0.0]  # one jolt after 1.5 s of quiet: start again
    stage = StandingCalibrationStage()
    for k in range(0, 600, 7):
        stage.update(t[k : k + 7], acc[k : k + 7], gyro[k : k + 7])
    assert stage.calibrated_ and stage.version_ == 1
    assert np.allclose(stage.up_sensor_, up, atol=0.01)
    assert np.allclose(stage.gyro_bias_dps_, [1.0, -2.0, 0.5])
    assert 5.0 <= stage.t_s_ <= 5.02


def test_recalibration_on_request_takes_the_next_quiet_standing() -> None:
    rate = 100.0
    t = np.arange(1200) / rate
    acc = np.tile([0.0, 0.0, 1.0], (1200, 1))
    acc[600:] = [0.0, np.sin(0.2), np.cos(0.2)]  # leaning after 6 s
    acc[550:600] += [0.6, 0.0, 0.0]  # moving in between
    stage = StandingCalibrationStage()
    stage.update(t[:500], acc[:500], np.zeros((500, 3)))
    assert stage.version_ == 1 and np.allclose(stage.up_sensor_, [0, 0, 1])
    stage.request()
    stage.update(t[500:], acc[500:], np.zeros((700, 3)))
    assert stage.version_ == 2 and np.allclose(stage.up_sensor_, acc[-1])
    assert 9.0 <= stage.t_s_ <= 9.02


def test_up_vector_is_carried_opposite_to_the_body_rotation() -> None:
    gyro = np.tile([0.0, 100.0, 0.0], (200, 1))  # 20° about +y (toes down)
    up = carry_up(np.array([0.0, 0.0, 1.0]), gyro, np.full(200, 0.001))
    assert np.allclose(up, [-np.sin(np.radians(20)), 0.0, np.cos(np.radians(20))])


def _mounted(model: RunnerModel, placement: Placement) -> FloatArray:
    """Segment axes as rows in sensor coordinates (the simulator's M is sensor -> segment)."""
    return np.asarray(model.mounting[placement], dtype=np.float64)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_alignment_recovers_random_strap_orientations(seed: int) -> None:
    blocks, model = simulate("heel-striker-guarded", 12.0, 100, seed=seed)
    for placement in Placement:
        block = blocks[placement]
        cal = StandingCalibrationStage()
        cal.update(block.t_s, block.acc_g, block.gyro_dps)
        running = slice(500, 1100)
        acc, gyro = block.acc_g[running], block.gyro_dps[running] - cal.gyro_bias_dps_
        if placement.is_shoe:
            estimate = shoe_axes(acc, gyro, cal.up_sensor_, 100.0)
        else:
            estimate = trunk_axes(acc, cal.up_sensor_, 100.0)
        assert estimate.axes is not None, (placement, estimate.note)
        forward = _mounted(model, placement)[0]
        assert float(estimate.axes[0] @ forward) > np.cos(np.radians(12)), placement


def _swinging_shoe(seed: int) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Running samples of a left shoe whose foot sheds 8 g in terminal swing: (acc, gyro
    bias-corrected, standing up, true forward), all in sensor axes."""
    conditions = Conditions(terminal_swing=TerminalSwing(8.0))
    blocks, model = simulate("mixed", 14.0, 200, seed=seed, conditions=conditions)
    block = blocks[Placement.LEFT_SHOE]
    cal = StandingCalibrationStage()
    cal.update(block.t_s, block.acc_g, block.gyro_dps)
    running = slice(1000, 2800)
    gyro = block.gyro_dps[running] - cal.gyro_bias_dps_
    forward = _mounted(model, Placement.LEFT_SHOE)[0]
    return block.acc_g[running], gyro, cal.up_sensor_, forward


@pytest.mark.parametrize("seed", [1, 2])
def test_a_shoe_slowing_in_terminal_swing_gives_forward_when_toe_off_is_unclear(seed: int) -> None:
    acc, gyro, up, forward = _swinging_shoe(seed)
    both = shoe_axes(acc, gyro, up, 200.0)
    swing_only = shoe_axes(acc, gyro, up, 200.0, min_skew=100.0)  # no skew is ever clear
    for estimate in (both, swing_only):
        assert estimate.axes is not None, estimate.note
        assert float(estimate.axes[0] @ forward) > np.cos(np.radians(15.0))


def test_a_shoe_whose_cues_disagree_is_not_decided() -> None:
    """The same gyro with the accelerations mirrored front to back: the terminal swing now
    says the toes point the other way than toe-off does — not sure, rather than a guess."""
    acc, gyro, up, forward = _swinging_shoe(1)
    horizontal = forward - (forward @ up) * up
    horizontal /= np.linalg.norm(horizontal)
    mirrored = acc - 2.0 * np.outer(acc @ horizontal, horizontal)
    estimate = shoe_axes(mirrored, gyro, up, 200.0)
    assert estimate.axes is None and estimate.note == "toe-off and terminal-swing cues disagree"


def test_a_shoe_turning_every_way_waits_for_a_plane() -> None:
    """Foot rotation spread over all axes (turns, shuffling) gives no mediolateral axis."""
    rng = np.random.default_rng(4)
    gyro = 300.0 * rng.standard_normal((1000, 3))
    acc = np.tile([0.0, 0.0, 1.0], (1000, 1))
    estimate = shoe_axes(acc, gyro, np.array([0.0, 0.0, 1.0]), 200.0)
    assert estimate.axes is None and "plane" in estimate.note


def _tilted(up: FloatArray, toward: FloatArray, degrees: float) -> FloatArray:
    """``up`` turned by ``degrees`` toward the horizontal direction ``toward``."""
    side = toward - (toward @ up) * up
    side /= np.linalg.norm(side)
    angle = np.radians(degrees)
    return np.asarray(np.cos(angle) * up + np.sin(angle) * side)


def test_trunk_forward_is_not_decided_when_the_runner_would_lean_backward() -> None:
    """Runners lean forward relative to standing. A standing posture that makes the running
    a clear backward lean contradicts the braking cue: not decided, rather than a guess; the
    same running leaning forward further is decided as before."""
    blocks, model = simulate("forefoot-relaxed", 12.0, 100, seed=3)
    block = blocks[Placement.TRUNK]
    cal = StandingCalibrationStage()
    cal.update(block.t_s, block.acc_g, block.gyro_dps)
    acc = block.acc_g[500:1100]
    forward = _mounted(model, Placement.TRUNK)[0]
    # a standing bent forward leaves gravity's reaction tilted toward the segment's back:
    # up tilted to the front is a standing bent backward, the running then leans 8° more
    more = trunk_axes(acc, _tilted(cal.up_sensor_, forward, 8.0), 100.0)
    assert more.axes is not None and float(more.axes[0] @ forward) > 0.9
    # a standing bent 25° forward: the running (about 14° forward) leans back from it
    backward = trunk_axes(acc, _tilted(cal.up_sensor_, -forward, 25.0), 100.0)
    assert backward.axes is None and "lean" in backward.note


def _leaning_trunk(lean_deg: float, braking_off_deg: float) -> FloatArray:
    """12 s of a synthetic trunk pod (sensor = segment axes, forward +x): a 2.8 Hz bounce,
    a braking/propulsion signal along a direction ``braking_off_deg`` from forward (as an
    upper-trunk pod's pitching can turn it), mediolateral sway at the stride frequency and a
    mean lean of ``lean_deg`` forward."""
    t = np.arange(1200) / 100.0
    phase = 2 * np.pi * 2.8 * t
    lean, off = np.radians(lean_deg), np.radians(braking_off_deg)
    up_run = np.array([-np.sin(lean), 0.0, np.cos(lean)])  # tilted toward the back
    braking = np.array([np.cos(off), np.sin(off), 0.0])
    noise = 0.01 * np.random.default_rng(1).standard_normal((t.size, 3))
    sway = np.array([0.0, 1.0, 0.0])  # mediolateral, at the stride frequency
    return np.asarray(
        up_run * (1.0 + 0.6 * np.sin(phase))[:, None]
        - 0.3 * np.cos(phase)[:, None] * braking
        + 0.2 * np.sin(phase / 2)[:, None] * sway
        + noise
    )


@pytest.mark.parametrize("braking_off_deg", [0.0, 70.0, -80.0])
def test_a_clear_forward_lean_gives_forward_when_braking_points_roughly_the_same_way(
    braking_off_deg: float,
) -> None:
    estimate = trunk_axes(_leaning_trunk(10.0, braking_off_deg), np.array([0.0, 0.0, 1.0]), 100.0)
    assert estimate.axes is not None and "lean" in estimate.note
    assert float(estimate.axes[0] @ [1.0, 0.0, 0.0]) > np.cos(np.radians(2.0))


@pytest.mark.parametrize(("lean_deg", "braking_off_deg"), [(10.0, 110.0), (1.2, 170.0)])
def test_lean_and_braking_pointing_apart_leave_forward_undecided(
    lean_deg: float, braking_off_deg: float
) -> None:
    acc = _leaning_trunk(lean_deg, braking_off_deg)
    estimate = trunk_axes(acc, np.array([0.0, 0.0, 1.0]), 100.0)
    assert estimate.axes is None and estimate.note == "braking and forward lean disagree on forward"


def test_a_tilt_too_large_for_a_running_lean_gives_no_direction_by_itself() -> None:
    """25° of tilt since standing is a bent standing or a moved pod, not a lean: the braking
    cue decides (here 30° off, as it reads)."""
    estimate = trunk_axes(_leaning_trunk(25.0, 30.0), np.array([0.0, 0.0, 1.0]), 100.0)
    assert estimate.axes is not None and estimate.note == "decided"
    assert float(estimate.axes[0] @ [1.0, 0.0, 0.0]) < np.cos(np.radians(20.0))


def test_trunk_direction_not_decidable_without_running() -> None:
    rng = np.random.default_rng(0)
    acc = np.tile([0.0, 0.0, 1.0], (1000, 1)) + 0.01 * rng.standard_normal((1000, 3))
    estimate = trunk_axes(acc, np.array([0.0, 0.0, 1.0]), 100.0)
    assert estimate.axes is None


def test_shoe_chain_status_before_standing() -> None:
    chain = ShoeChain(Side.RIGHT, 100.0)
    block = session()[0][Placement.RIGHT_SHOE]
    chain.update(block.slice(0, 100))
    assert chain.status_ is AlignmentStatus.WAITING_FOR_STANDING
    assert chain.trace_[0].size == 100 and not chain.events_


def _gaitmap(side: str) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    with gzip.open(GAITMAP / "imu_sample.csv.gz", "rt") as f:
        rows = list(csv.reader(f))
    header = list(zip(rows[0], rows[1], strict=True))
    data = np.array(rows[2:], dtype=np.float64)

    def col(axis: str) -> FloatArray:
        return data[:, header.index((f"{side}_sensor", axis))]

    acc = np.column_stack([col("acc_x"), col("acc_y"), col("acc_z")]) / 9.81
    gyro = np.column_stack([col("gyr_x"), col("gyr_y"), col("gyr_z")])
    with open(GAITMAP / "stride_events_sample.csv") as f:
        events = [e for e in csv.DictReader(f) if e["foot"] == side]
    ic = np.array([float(e["ic"]) for e in events]) / GAITMAP_HZ
    tc = np.array([float(e["tc"]) for e in events]) / GAITMAP_HZ
    return np.arange(len(acc)) / GAITMAP_HZ, acc, gyro, ic, tc


@pytest.mark.parametrize("side", ["left", "right"])
def test_real_walking_contacts_and_strike_angle(side: str) -> None:
    """gaitmap data are already in the foot frame (x toe, y left, z up); the recording starts
    with < 1 s of standing, so calibration is done here from its first 0.5 s."""
    t, acc, gyro, true_ic, true_tc = _gaitmap(side)
    bias = gyro[:100].mean(axis=0)
    w = -(gyro[:, 1] - bias[1])  # dorsiflexion positive
    score = np.linalg.norm(gyro - bias, axis=1) + 100 * np.abs(np.linalg.norm(acc, axis=1) - 1)
    detector = GaitEventStage(GAITMAP_HZ)
    detector.set_noise(float(np.linalg.norm(acc[:100].std(axis=0))))
    rows = np.column_stack([t, acc, gyro])
    impact = second_difference(acc, t, GAITMAP_HZ)
    ics, fsas, tos = [], [], []
    for k in range(0, len(t), 5):
        detector.update(t[k : k + 5], w[k : k + 5], impact[k : k + 5], score[k : k + 5], k)
        for event in detector.events_:
            if event.to_s is not None:
                tos.append(event.to_s)
            elif event.midstance_index >= 0:
                strike = FootStrikeStage()
                span = [(event.midstance_index, event.index + 1)]
                strike.update(rows, span, np.eye(3)[0], bias)
                ics.append(event.ic_s)
                fsas.append(strike.fsa_deg_[0])
    found = [int(np.argmin(np.abs(np.array(ics) - x))) for x in true_ic]
    delay_ms = [1000 * (ics[j] - x) for j, x in zip(found, true_ic, strict=True)]
    good = [j for j, d in zip(found, delay_ms, strict=True) if abs(d) < 100]
    assert len(good) >= 0.9 * len(true_ic)
    # the jolt follows the mocap heel contact by ~20 ms in walking (soft heel strike); the
    # contact is placed back at the end of the foot's toes-up rotation (pitch peak)
    assert abs(float(np.median([d for d in delay_ms if abs(d) < 100]))) <= 15.0
    assert abs(float(np.median([fsas[j] for j in good])) - 27.0) <= 4.0  # mocap: +27°
    to_err_ms = [1000 * (min(tos, key=lambda v: abs(v - x)) - x) for x in true_tc]
    assert abs(float(np.median(to_err_ms))) <= 20.0
