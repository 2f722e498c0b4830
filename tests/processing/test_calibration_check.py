"""Stillness check and countdown, calibration snapshots, axes in words, slipped-pod re-check,
and the session setup model (runner ids, stage markers, storage)."""

from __future__ import annotations

import numpy as np
import pytest

from drivers.sim.mounting import identity_mounting
from drivers.sim.rotations import axis_angle
from drivers.sim.runner_model import simulate
from drivers.types import Placement, PodInfo, SampleBlock
from processing.calibration_check import (
    PodCalibration,
    StillnessCheck,
    StillnessCountdown,
    alignment_words,
    axes_words,
    axis_words,
    check_slip,
    last_seconds,
    pod_calibrations,
    recalibrated,
    slip_angle_deg,
    stale,
)
from processing.pipeline import GaitPipeline
from processing.session_setup import (
    DEFAULT_MARKER_PRESETS,
    SessionSetup,
    StageTracker,
    TreadmillStage,
    parse_stage_marker,
    runner_id_problem,
    stage_marker,
    suggest_runner_id,
)
from processing.stages.alignment import AlignmentStatus

RATE = 100.0


def standing(seconds: float, t0: float = 0.0, up=(0.0, 0.0, 1.0), seed: int = 0) -> SampleBlock:
    """Quiet standing: gravity along ``up`` (sensor axes), small noise and gyro bias."""
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE)
    t = t0 + np.arange(n) / RATE
    acc = np.tile(np.asarray(up, dtype=float), (n, 1)) + 0.005 * rng.standard_normal((n, 3))
    gyro = np.array([0.6, -0.4, 0.3]) + 0.5 * rng.standard_normal((n, 3))
    return SampleBlock(t, acc, gyro)


def with_movement(block: SampleBlock, t0: float, t1: float, gyro_dps: float) -> SampleBlock:
    gyro = block.gyro_dps.copy()
    gyro[(block.t_s >= t0) & (block.t_s < t1), 1] += gyro_dps
    return SampleBlock(block.t_s, block.acc_g, gyro)


# ------------------------------------------------------------------------- stillness
def test_quiet_standing_is_still_and_turning_or_bouncing_is_not() -> None:
    check = StillnessCheck(window_s=0.5)
    quiet = check.assess(standing(2.0))
    assert quiet.still and quiet.gyro_dps < 5.0 and quiet.acc_dev_g < 0.05
    turning = check.assess(with_movement(standing(2.0), 1.8, 1.9, 40.0))
    assert not turning.still and turning.reason == "turning" and turning.gyro_dps > 35.0
    bounce = standing(2.0)
    acc = bounce.acc_g.copy()
    acc[-10:, 2] += 0.3
    bounced = check.assess(SampleBlock(bounce.t_s, acc, bounce.gyro_dps))
    assert not bounced.still and bounced.reason == "moving"
    # movement older than the window no longer counts
    assert check.assess(with_movement(standing(2.0), 1.0, 1.2, 40.0)).still


def test_too_few_samples_and_no_samples_are_not_still() -> None:
    check = StillnessCheck(window_s=0.5)
    assert check.assess(standing(0.2)).reason == "too few samples yet"
    empty = check.assess(SampleBlock.empty())
    assert not empty.still and empty.reason == "no samples yet"


def test_a_pod_lagging_the_others_is_stale() -> None:
    check = StillnessCheck()
    now = {Placement.TRUNK: check.assess(standing(2.0, t0=10.0))}
    now[Placement.PELVIS] = check.assess(standing(2.0, t0=8.0))
    now[Placement.LEFT_SHOE] = check.assess(SampleBlock.empty())
    assert stale(now) == {Placement.PELVIS, Placement.LEFT_SHOE}


def test_countdown_counts_down_while_still_and_restarts_on_movement() -> None:
    countdown = StillnessCountdown(duration_s=3.0, lead_s=0.5)
    assert countdown.remaining_s == 3.0 and not countdown.done
    assert countdown.update(10.0, True) == pytest.approx(2.5)  # still since 9.5
    assert countdown.update(11.0, True) == pytest.approx(1.5)
    assert countdown.update(11.5, False) == 3.0 and countdown.restarts == 1
    assert countdown.update(12.0, True) == pytest.approx(2.5)
    assert countdown.update(14.4, True) == pytest.approx(0.1)
    assert countdown.update(14.6, True) == 0.0 and countdown.done
    countdown.reset()
    assert countdown.remaining_s == 3.0 and countdown.restarts == 0


def test_countdown_driven_by_the_check_over_synthetic_samples() -> None:
    block = with_movement(standing(8.0), 2.0, 2.3, 60.0)  # a fidget at 2 s
    check, countdown = StillnessCheck(window_s=0.5), StillnessCountdown(3.0, lead_s=0.5)
    done_at = None
    for end in np.arange(0.6, 8.0, 0.1):
        upto = block.t_s <= end
        seen = last_seconds(
            SampleBlock(block.t_s[upto], block.acc_g[upto], block.gyro_dps[upto]), 1.0
        )
        s = check.assess(seen)
        countdown.update(s.latest_t_s, s.still)
        if countdown.done and done_at is None:
            done_at = s.latest_t_s
    assert countdown.restarts == 1
    assert done_at == pytest.approx(2.3 + 3.0, abs=0.15)  # 3 s after the fidget ended


# ---------------------------------------------------------------- snapshots, words
def calibrated_pipeline(seconds: float, **kwargs) -> tuple[GaitPipeline, dict, object]:
    blocks, model = simulate("midfoot", seconds, RATE, seed=4, standing_s=4.0, **kwargs)
    pipeline = GaitPipeline([PodInfo(f"p-{p.value}", p, "sim", "", RATE) for p in Placement])
    pipeline.update(blocks)
    return pipeline, blocks, model


def test_snapshots_follow_calibration_and_alignment_and_read_as_words() -> None:
    pipeline, _, _ = calibrated_pipeline(30.0, mounting=identity_mounting())
    cals = pod_calibrations(pipeline)
    assert set(cals) == set(Placement)
    for placement, cal in cals.items():
        assert cal.calibrated and cal.version == 1 and 3.0 <= cal.calibrated_at_s <= 4.1
        assert cal.status is AlignmentStatus.DECIDED, placement
        assert axis_words(cal.up_sensor) == "+z"
        assert axes_words(cal.axes, placement.is_shoe).endswith("= +x, up = +z")
    left = alignment_words(cals[Placement.LEFT_SHOE])
    assert left.startswith("left shoe pod: toes = +x, up = +z, ") and "quality" in left
    assert alignment_words(cals[Placement.TRUNK]).startswith("trunk pod: forward = +x, up = +z")
    assert recalibrated(cals, cals) == set()
    pipeline.request_calibration()
    assert recalibrated({}, cals) == set(Placement)


def test_axes_of_a_rotated_pod_in_words() -> None:
    # a shoe pod strapped upside down, its x pointing back: toes = −x, up = −z
    axes = np.array([[-1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, -1.0]])
    assert axes_words(axes, shoe=True) == "toes = −x, up = −z"
    tilted = axis_angle(np.array([0.0, 1.0, 0.0]), np.radians(25.0)) @ np.eye(3)
    assert axis_words(tilted[:, 0]) == "+x (tilted 25°)"
    assert axis_words(np.array([0.05, -0.99, 0.1])) == "−y"


def test_words_before_calibration_and_before_alignment() -> None:
    up = np.array([0.0, -1.0, 0.0])

    def cal(status: AlignmentStatus, calibrated: bool = True) -> PodCalibration:
        return PodCalibration(Placement.PELVIS, calibrated, 1, 3.0, up, None, status, 0.1)

    assert "not calibrated yet" in alignment_words(cal(AlignmentStatus.WAITING_FOR_STANDING,
                                                       calibrated=False))  # fmt: skip
    assert alignment_words(cal(AlignmentStatus.PENDING)).startswith(
        "pelvis pod: up = −y; forward not found yet"
    )
    assert "forward direction ambiguous — confirm it by a forward lean" in alignment_words(
        cal(AlignmentStatus.AMBIGUOUS)
    )


# --------------------------------------------------------------------------- slips
def test_slip_angle_of_a_vector_rotated_by_a_known_angle() -> None:
    up = np.array([0.0, 0.0, 1.0])
    rotated = axis_angle(np.array([1.0, 0.0, 0.0]), np.radians(9.0)) @ up
    assert slip_angle_deg(up, np.tile(rotated, (50, 1))) == pytest.approx(9.0, abs=1e-6)
    assert slip_angle_deg(up, standing(2.0).acc_g) < 1.0


def test_a_pod_rotated_on_its_segment_is_flagged_and_the_others_are_not() -> None:
    pipeline, _, _ = calibrated_pipeline(5.0, mounting=identity_mounting())
    cals = pod_calibrations(pipeline)
    slipped = identity_mounting()
    slipped[Placement.PELVIS] = axis_angle(np.array([0.3, 1.0, 0.0]), np.radians(9.0))
    later, _ = simulate("midfoot", 3.5, RATE, seed=5, standing_s=10.0, mounting=slipped)
    results = {r.placement: r for r in check_slip(cals, later, threshold_deg=5.0)}
    pelvis = results[Placement.PELVIS]
    assert pelvis.moved and pelvis.angle_deg == pytest.approx(9.0, abs=1.0)
    assert pelvis.message == "pelvis pod moved 9° since calibration — re-strap and recalibrate"
    for placement in (Placement.TRUNK, Placement.LEFT_SHOE, Placement.RIGHT_SHOE):
        assert not results[placement].moved and results[placement].angle_deg < 2.0
        assert "in place" in results[placement].message
    # a stricter threshold flags smaller slips; a looser one lets 9° pass
    assert not {r.placement: r for r in check_slip(cals, later, 12.0)}[Placement.PELVIS].moved


def test_slip_check_without_calibration_or_samples_says_so() -> None:
    cal = PodCalibration(Placement.TRUNK, False, 0, None, np.array([0, 0, 1.0]), None,
                         AlignmentStatus.WAITING_FOR_STANDING, 0.0)  # fmt: skip
    (result,) = check_slip({Placement.TRUNK: cal}, {})
    assert result.angle_deg is None and not result.moved and "not calibrated" in result.message
    done = PodCalibration(Placement.TRUNK, True, 1, 3.0, np.array([0, 0, 1.0]), None,
                          AlignmentStatus.PENDING, 0.0)  # fmt: skip
    (result,) = check_slip({Placement.TRUNK: done}, {Placement.TRUNK: SampleBlock.empty()})
    assert result.message == "trunk pod: no samples to compare"


# --------------------------------------------------------------------- session setup
def test_runner_ids_are_validated_and_suggested() -> None:
    assert runner_id_problem("R-017") is None
    assert "Enter" in runner_id_problem("   ")
    assert "no spaces" in runner_id_problem("Jane Doe")
    assert runner_id_problem("x" * 40) is not None
    assert suggest_runner_id("R-017") == "R-018"
    assert suggest_runner_id("R-099") == "R-100"
    assert suggest_runner_id("lab7") == "lab8"
    assert suggest_runner_id("") == "R-001" and suggest_runner_id("nobody") == "R-001"


def test_stage_markers_round_trip() -> None:
    stage = TreadmillStage(12.0, 1.0)
    assert stage_marker(2, stage) == "stage 2: 12.0 km/h, 1 %"
    assert parse_stage_marker("stage 2: 12.0 km/h, 1 %") == (2, stage)
    assert stage_marker(1, TreadmillStage(9.5, -1.5)) == "stage 1: 9.5 km/h, -1.5 %"
    assert parse_stage_marker("stage 1: 9.5 km/h, -1.5 %") == (1, TreadmillStage(9.5, -1.5))
    assert parse_stage_marker("speed +") is None
    with pytest.raises(ValueError):
        TreadmillStage(45.0)


def test_stage_tracker_follows_the_plan_then_takes_extra_stages() -> None:
    tracker = StageTracker((TreadmillStage(10.0), TreadmillStage(12.0, 1.0)))
    assert tracker.marker() is None
    assert tracker.advance() == (1, TreadmillStage(10.0))
    assert tracker.advance() == (2, TreadmillStage(12.0, 1.0))
    assert tracker.marker() == "stage 2: 12.0 km/h, 1 %"
    assert tracker.advance() is None  # the plan is used up
    assert tracker.advance(TreadmillStage(14.0, 1.0)) == (3, TreadmillStage(14.0, 1.0))
    assert len(tracker.stages) == 3


def test_setup_storage_round_trips_and_survives_damage() -> None:
    setup = SessionSetup("R-017", "left knee pain", (TreadmillStage(10.0, 1.0),),
                         ("a", *DEFAULT_MARKER_PRESETS[1:]), 7.0)  # fmt: skip
    assert SessionSetup.from_dict(setup.to_dict()) == setup
    assert setup.header_extra() == {
        "session_setup": {
            "stages": [{"speed_kmh": 10.0, "incline_pct": 1.0}],
            "marker_presets": ["a", *DEFAULT_MARKER_PRESETS[1:]],
        }
    }
    damaged = SessionSetup.from_dict(
        {"runner_id": "  ", "stages": [[10, 1], ["x"], [99, 0]], "marker_presets": ["", "b"],
         "slip_threshold_deg": "nan?"}
    )  # fmt: skip
    assert damaged.runner_id == "" and damaged.stages == (TreadmillStage(10.0, 1.0),)
    assert damaged.marker_presets[:2] == (DEFAULT_MARKER_PRESETS[0], "b")
    assert damaged.slip_threshold_deg == 5.0
    assert SessionSetup.from_dict(None) == SessionSetup()
