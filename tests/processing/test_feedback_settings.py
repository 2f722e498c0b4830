"""Feedback settings (persisted as strings), the running block's status, and the live
reference values: coordination baseline and left/right symmetry."""

from __future__ import annotations

import math

import pytest

from processing.cue_pacing import CuePacing
from processing.events import Side, StepEvent, StrideEvent, StrikeEvent, StrikeType
from processing.feedback import (
    FeedbackBands,
    FeedbackController,
    FeedbackSettings,
    feedback_status,
)
from processing.reference import CoordinationBaseline, SideSymmetry


def test_defaults_come_from_the_bands() -> None:
    bands = FeedbackSettings().bands()
    assert bands == FeedbackBands()
    assert FeedbackSettings().pacing() == CuePacing()


def test_settings_round_trip_through_strings() -> None:
    chosen = FeedbackSettings(rearfoot=False, twist_min_deg=6.5, lean=False,
                              schedule="faded", block_min=2.5, retention=False,
                              cue_gap_s=4.5)  # fmt: skip
    stored = {k: str(v) for k, v in chosen.to_dict().items()}
    assert FeedbackSettings.from_dict(stored) == chosen
    assert chosen.bands() == FeedbackBands(rearfoot=False, twist_min_deg=6.5, lean_deg=None)
    assert chosen.pacing() == CuePacing(min_gap_s=4.5, kind_gap_s=9.0)


def test_malformed_settings_fall_back_to_defaults() -> None:
    assert FeedbackSettings.from_dict({"twist_min_deg": "abc"}).twist_min_deg == 8.0
    assert FeedbackSettings.from_dict({"schedule": "random"}) == FeedbackSettings()
    assert FeedbackSettings.from_dict({"lean_low_deg": "20"}) == FeedbackSettings()  # low > high
    assert FeedbackSettings.from_dict({"cue_gap_s": "-1"}) == FeedbackSettings()
    with pytest.raises(ValueError):
        FeedbackSettings(block_min=0)


def test_schedules_from_settings() -> None:
    faded = FeedbackSettings(schedule="faded", block_min=1.0).make_schedule()
    assert [(b.name, b.duration_s, b.share) for b in faded.blocks] == [
        ("faded 100%", 60.0, 1.0), ("faded 50%", 60.0, 0.5), ("faded 0%", 60.0, 0.0),
        ("retention", 60.0, 0.0),
    ]  # fmt: skip
    constant = FeedbackSettings(block_min=2.0).make_schedule()
    assert [(b.name, b.share) for b in constant.blocks] == [("constant 100%", 1.0),
                                                            ("retention", 0.0)]  # fmt: skip
    endless = FeedbackSettings(retention=False).make_schedule()
    assert len(endless.blocks) == 1 and math.isinf(endless.blocks[0].duration_s)


def test_status_follows_the_blocks() -> None:
    settings = FeedbackSettings(schedule="faded", block_min=1.0)
    control = FeedbackController(settings.bands(), settings.make_schedule(), 100.0,
                                 CuePacing.every_fault())  # fmt: skip
    control.update([StrikeEvent(Side.LEFT, 170.0 + k, 12.0, StrikeType.REARFOOT) for k in range(4)])
    status = feedback_status(control, 175.0)
    assert (status.block, status.index, status.blocks) == ("faded 50%", 1, 4)
    assert (status.due, status.given) == (4, 2)
    assert (status.run_due, status.run_given) == (4, 2)
    assert status.elapsed_s == pytest.approx(15.0) and status.left_s == pytest.approx(45.0)
    assert not status.finished
    assert feedback_status(control, 400.0).finished


def stride(crp: float | None, in_phase: float | None) -> StrideEvent:
    return StrideEvent(Side.LEFT, 0.0, 0.7, pt_transverse_crp_mean_deg=crp,
                       pt_transverse_in_phase_pct=in_phase)  # fmt: skip


def test_baseline_is_the_mean_of_the_first_strides() -> None:
    baseline = CoordinationBaseline(strides=4)
    assert baseline.armed and baseline.value is None
    done = [baseline.add(stride(c, p)) for c, p in ((140, 10), (None, 5), (150, 20), (160, 30))]
    assert done == [False, False, False, False] and baseline.collected == 3
    assert baseline.add(stride(170.0, 40.0))
    assert baseline.value is not None and not baseline.armed
    assert (baseline.value.crp_deg, baseline.value.in_phase_pct) == (155.0, 25.0)
    assert not baseline.add(stride(10.0, 90.0))  # fixed until armed again
    baseline.arm()
    assert baseline.collected == 0 and baseline.value.crp_deg == 155.0  # old one kept


def step(side: Side, contact_ms: float, fsa: float) -> StepEvent:
    return StepEvent(side, 1.0, 1.0 + contact_ms / 1000.0, fsa, StrikeType.MIDFOOT)


def test_symmetry_index_of_contact_time_and_strike_angle_difference() -> None:
    symmetry = SideSymmetry(window=3)
    assert symmetry.value().contact_si_pct is None
    for contact, fsa in ((250.0, 2.0), (250.0, 4.0)):
        symmetry.add(step(Side.LEFT, contact, fsa))
    symmetry.add(step(Side.RIGHT, 230.0, -5.0))
    value = symmetry.value()
    assert value.contact_si_pct == pytest.approx(100 * 20 / 240)
    assert value.fsa_diff_deg == pytest.approx(3.0 - -5.0)
    for _ in range(3):  # the window keeps the last 3 steps per foot
        symmetry.add(step(Side.LEFT, 230.0, -5.0))
    assert symmetry.value().contact_si_pct == pytest.approx(0.0)
    assert symmetry.value().fsa_diff_deg == pytest.approx(0.0)
