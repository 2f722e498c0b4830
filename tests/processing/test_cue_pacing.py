"""Cue pacing: a cue is due when a fault persists, and due cues are spaced, so a runner with
a real fault hears a cue every few seconds instead of five a second."""

from __future__ import annotations

import itertools
from collections import Counter
from functools import cache

import pytest

from drivers.sim.runner_model import simulate
from processing.analysis import analyze
from processing.cue_pacing import CuePacer, CuePacing
from processing.events import Side, StrideEvent, StrikeEvent, StrikeType
from processing.feedback import (
    Cue,
    CueKind,
    FeedbackBands,
    FeedbackController,
    FeedbackSchedule,
    FeedbackSettings,
)

STEP_S = 0.36  # 166 steps/min


def strike(t_s: float, kind: StrikeType, side: Side = Side.LEFT) -> StrikeEvent:
    return StrikeEvent(side, t_s, 14.0 if kind is StrikeType.REARFOOT else 2.0, kind)


def stride(t_s: float, twist: float) -> StrideEvent:
    return StrideEvent(Side.RIGHT, t_s - 0.72, t_s, trunk_flex_mean_deg=8.0,
                       trunk_rot_rom_deg=twist)  # fmt: skip


def given(events: list[StrikeEvent | StrideEvent], pacing: CuePacing | None = None) -> list[Cue]:
    controller = FeedbackController(FeedbackBands(), FeedbackSchedule.constant(), 0.0, pacing)
    return controller.update(events)


def test_one_stray_step_is_not_a_fault_most_of_the_last_five_is() -> None:
    kinds = [StrikeType.MIDFOOT] * 4 + [StrikeType.REARFOOT] + [StrikeType.MIDFOOT] * 4
    assert given([strike(STEP_S * k, kind) for k, kind in enumerate(kinds)]) == []
    kinds = [StrikeType.REARFOOT, StrikeType.MIDFOOT, StrikeType.REARFOOT, StrikeType.REARFOOT]
    cues = given([strike(STEP_S * k, kind) for k, kind in enumerate(kinds)])
    assert [c.t_s for c in cues] == [pytest.approx(3 * STEP_S)]  # the third of the last four


def test_a_persisting_fault_is_cued_every_kind_gap_not_every_step() -> None:
    events = [strike(STEP_S * k, StrikeType.REARFOOT) for k in range(100)]  # 36 s
    cues = given(events)
    gaps = [b.t_s - a.t_s for a, b in itertools.pairwise(cues)]
    assert len(cues) == 6 and all(6.0 <= g < 6.0 + STEP_S for g in gaps)
    assert len(given(events, CuePacing.every_fault())) == 100  # judged per step: every one


def test_two_faults_take_turns_three_seconds_apart() -> None:
    events: list[StrikeEvent | StrideEvent] = []
    for k in range(100):
        events.append(strike(STEP_S * k, StrikeType.REARFOOT))
        events.append(stride(STEP_S * k + 0.1, twist=5.0))
    cues = given(events)
    gaps = [b.t_s - a.t_s for a, b in itertools.pairwise(cues)]
    assert all(3.0 <= g < 3.0 + STEP_S for g in gaps)
    kinds = [c.kind for c in cues]
    assert all(a != b for a, b in itertools.pairwise(kinds))  # neither starves the other
    assert set(kinds) == {CueKind.REARFOOT, CueKind.GUARDED_TWIST}


def test_a_fault_on_one_side_is_judged_on_that_side() -> None:
    events = []
    for k in range(20):
        side = Side.LEFT if k % 2 == 0 else Side.RIGHT
        kind = StrikeType.REARFOOT if side is Side.LEFT else StrikeType.FOREFOOT
        events.append(strike(STEP_S * k, kind, side))
    cues = given(events)
    assert cues and {c.side for c in cues} == {"left"}


def test_the_gap_is_a_setting_and_a_replay_jump_moves_the_last_cue() -> None:
    settings = FeedbackSettings(cue_gap_s=1.0)
    assert settings.pacing() == CuePacing(min_gap_s=1.0, kind_gap_s=2.0)
    assert FeedbackSettings().pacing() == CuePacing()  # 3 of 5, 3 s, 6 s
    pacer = CuePacer(CuePacing(summary_n=1, summary_min=1, min_gap_s=3.0, kind_gap_s=3.0))
    assert pacer.admit("k", "left", 100.0, True)
    pacer.shift(-80.0)  # replay went back 80 s: the last cue was at 20 s of the new time
    assert not pacer.admit("k", "left", 21.0, True) and pacer.admit("k", "left", 23.0, True)
    with pytest.raises(ValueError):
        CuePacing(summary_n=3, summary_min=4)


@cache
def simulated_events(profile: str) -> tuple[list[StrikeEvent | StrideEvent], float]:
    """60 s of a simulated runner through the live pipeline's analysis, in time order."""
    blocks, _ = simulate(profile, 60.0, 100.0, seed=3)
    result = analyze(blocks)
    events = sorted([*result.strikes, *result.strides],
                    key=lambda e: e.ic_s if isinstance(e, StrikeEvent) else e.end_s)  # fmt: skip
    return events, events[-1].end_s - events[0].ic_s  # type: ignore[union-attr]


def per_minute(profile: str, pacing: CuePacing) -> tuple[float, Counter[CueKind]]:
    events, running_s = simulated_events(profile)
    settings = FeedbackSettings(retention=False)
    cues = FeedbackController(settings.bands(), settings.make_schedule(), 0.0,
                              pacing).update(events)  # fmt: skip
    return 60.0 * len(cues) / running_s, Counter(c.kind for c in cues)


def test_default_settings_cue_the_heel_strikers_faults_every_few_seconds() -> None:
    before, _ = per_minute("heel-striker-guarded", CuePacing.every_fault())
    after, kinds = per_minute("heel-striker-guarded", FeedbackSettings().pacing())
    assert before > 250.0  # every strike and stride: about 5 a second
    assert 10.0 <= after <= 20.0  # one every 3-6 s
    assert kinds[CueKind.REARFOOT] >= 3 and kinds[CueKind.GUARDED_TWIST] >= 3


def test_default_settings_leave_the_relaxed_forefoot_runner_alone() -> None:
    after, _ = per_minute("forefoot-relaxed", FeedbackSettings().pacing())
    assert after <= 1.0
