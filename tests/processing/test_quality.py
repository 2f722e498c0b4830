"""Quality flags of steps, strides, pods and sessions (issue 12, item 4), and the reference
each pod's numbers rest on: the rules, then the pipeline on simulated sessions."""

from __future__ import annotations

import pytest
from doubtful_session import DRIFT_FROM_S, doubtful_session

from drivers.sim.runner_model import simulate
from drivers.types import Placement, PodInfo, SampleBlock
from processing.analysis import analyze
from processing.calibration_state import CalibrationState
from processing.pipeline import GaitPipeline
from processing.quality import (
    FSA_SPREAD_MAX_DEG,
    Flag,
    Quality,
    ReferenceKind,
    pod_quality,
    session_quality,
    step_flag,
    stride_flag,
)

RATE_HZ = 100.0
SHOES = (Placement.LEFT_SHOE, Placement.RIGHT_SHOE)


# --- the rules ------------------------------------------------------------------------------
def test_a_step_whose_estimates_agree_in_a_running_stride_is_good() -> None:
    assert step_flag(230.0, 1.2, 0.7, ()) == Flag()


@pytest.mark.parametrize(
    ("contact_ms", "spread_deg", "stride_s", "reason"),
    [
        (230.0, FSA_SPREAD_MAX_DEG + 1.0, 0.7, "FSA estimates 6° apart"),
        (40.0, 1.0, 0.7, "contact 40 ms: not physiological"),
        (2000.0, 1.0, 2.4, "contact 2000 ms: not physiological"),
        (600.0, 1.0, 0.7, "contact 86% of stride"),
        (350.0, 1.0, 0.7, "contact 50% of stride: not walk or run"),
    ],
)
def test_a_doubtful_step_is_low_with_its_reason(
    contact_ms: float, spread_deg: float, stride_s: float, reason: str
) -> None:
    flag = step_flag(contact_ms, spread_deg, stride_s, ())
    assert flag.quality is Quality.LOW and flag.reason == reason


def test_walking_and_running_shares_of_the_stride_are_both_good() -> None:
    assert step_flag(700.0, 1.0, 1.1, ()).good  # walking: 64 %
    assert step_flag(180.0, 1.0, 0.65, ()).good  # running: 28 %


def test_the_pods_doubts_make_every_step_low() -> None:
    flag = step_flag(230.0, 1.0, 0.7, ("noisy pod (40 mg standing)",))
    assert flag.quality is Quality.LOW and flag.reasons == ("noisy pod (40 mg standing)",)


def test_a_stride_with_a_wrapped_range_or_a_missing_pod_is_low() -> None:
    assert stride_flag({"pelvis_rot_rom_deg": 12.0}, {}).good
    wrapped = stride_flag({"pelvis_rot_rom_deg": 355.0}, {})
    assert wrapped.reason == "pelvis rot range 355° is implausible"
    missing = stride_flag({"pelvis_rot_rom_deg": 12.0}, {"trunk": "axes ambiguous"})
    assert missing.quality is Quality.LOW and missing.reason == "trunk axes ambiguous"


def test_pod_and_session_quality() -> None:
    decided = {"status": "decided", "reference": "standing", "acc_sd_g": 0.01}
    good = pod_quality("left_shoe", decided, [Flag()] * 9 + [step_flag(30.0, 1, None)])
    assert good.quality is Quality.GOOD and good.low_share == pytest.approx(0.1)
    mostly_low = pod_quality("right_shoe", decided, [step_flag(30.0, 1, None)] * 3 + [Flag()])
    assert mostly_low.quality is Quality.LOW and mostly_low.reason == "3 of 4 steps low-confidence"
    noisy = pod_quality("pelvis", {**decided, "acc_sd_g": 0.05}, [], "strides")
    assert noisy.quality is Quality.LOW and "noisy pod (50 mg standing)" in noisy.reason
    uncalibrated = pod_quality("trunk", {"status": "waiting for standing"}, [])
    assert uncalibrated.quality is Quality.LOW and uncalibrated.reference is ReferenceKind.NONE
    ambiguous = pod_quality("trunk", {**decided, "status": "ambiguous", "note": "why"}, [])
    assert ambiguous.quality is Quality.AMBIGUOUS and ambiguous.reason == "why"
    session = session_quality([good, mostly_low, ambiguous], [Flag(), Flag(Quality.LOW)], [])
    assert session["verdict"] == "ambiguous" and session["ambiguous_pods"] == {"trunk": "why"}
    assert session["low_steps"] == 1 and session["low_step_share"] == 0.5
    assert session["low_stride_share"] is None
    assert session_quality([good], [Flag()], [Flag()])["verdict"] == "good"
    assert session_quality([good, noisy], [], [])["verdict"] == "low"


# --- through the pipeline -------------------------------------------------------------------
@pytest.fixture(scope="module")
def doubtful() -> object:
    return analyze(doubtful_session()[0])


def test_an_ambiguous_trunk_leaves_its_strides_low_with_the_reason(doubtful: object) -> None:
    trunk = doubtful.alignment["trunk"]  # type: ignore[attr-defined]
    assert trunk["status"] == "ambiguous"
    assert trunk["note"].endswith("braking and forward lean disagree on forward")
    late = [s for s in doubtful.strides if s.start_s > 35.0]  # type: ignore[attr-defined]
    assert late and all(s.trunk_rot_rom_deg is None for s in late)
    assert all(s.quality is Quality.LOW and "trunk axes ambiguous (braking" in s.quality_reason
               for s in late)  # fmt: skip
    assert all(s.pelvis_rot_rom_deg is not None for s in late)


def test_a_drifting_gyro_makes_its_steps_low(doubtful: object) -> None:
    steps = doubtful.steps  # type: ignore[attr-defined]
    clean = [s for s in steps if s.ic_s < DRIFT_FROM_S - 1.0 or s.side.value == "left"]
    drifting = [s for s in steps if s.side.value == "right" and s.ic_s > DRIFT_FROM_S + 1.0]
    assert all(s.quality is Quality.GOOD and s.fsa_spread_deg < FSA_SPREAD_MAX_DEG for s in clean)
    assert sum(s.quality is Quality.LOW for s in drifting) >= 0.9 * len(drifting) > 20


def test_references_standing_look_ahead_carried_gait_and_none() -> None:
    opens, _ = simulate("midfoot", 20.0, RATE_HZ, seed=6, standing_s=3.5)
    result = analyze({p: opens[p] for p in SHOES})
    assert {a["reference"] for a in result.alignment.values()} == {"standing"}
    late, _ = simulate("heel-striker-guarded", 32.0, RATE_HZ, seed=4, standing_s=0.0,
                       stop_s=24.0)  # fmt: skip
    result = analyze({p: late[p] for p in SHOES})
    assert {a["reference"] for a in result.alignment.values()} == {"later standing"}
    assert all(a["reference_at_s"] > 24.0 for a in result.alignment.values())
    state = _calibration_of(opens)  # what the live session calibrated on
    running = {p: opens[p].slice(600, 2000) for p in SHOES}  # no standing in it
    carried = analyze(running, calibration=state)
    assert carried.steps
    assert {a["reference"] for a in carried.alignment.values()} == {"carried from live"}
    running_only = analyze({p: late[p].slice(0, 2000) for p in Placement})
    references = {name: a["reference"] for name, a in running_only.alignment.items()}
    # shoes rest on the foot flat at mid-stance; a trunk or pelvis has no reference
    assert references == {"left_shoe": "gait", "right_shoe": "gait", "trunk": "none",
                          "pelvis": "none"}  # fmt: skip


def _calibration_of(blocks: dict[Placement, SampleBlock]) -> CalibrationState:
    pipeline = GaitPipeline([PodInfo(f"p-{p.value}", p, "sim", "", 100) for p in SHOES])
    pipeline.update({p: blocks[p].slice(0, 1500) for p in SHOES})
    return dict(pipeline.calibration_state())
