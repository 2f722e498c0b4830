"""Retraining feedback: bandwidth rules, faded schedules and retention blocks (the schedule
tests judge every value alone: ``CuePacing.every_fault``; pacing is tested in
``test_cue_pacing.py``)."""

from __future__ import annotations

import itertools

import pytest

from processing.cue_pacing import CuePacing
from processing.events import Side, StepEvent, StrideEvent, StrikeEvent, StrikeType
from processing.feedback import (
    Block,
    CueKind,
    FeedbackBands,
    FeedbackController,
    FeedbackSchedule,
)


def strike(t_s: float, kind: StrikeType, fsa: float = 12.0) -> StrikeEvent:
    return StrikeEvent(Side.LEFT, t_s, fsa, kind)


def stride(t_s: float, twist: float | None = 12.0, lean: float | None = 8.0) -> StrideEvent:
    return StrideEvent(Side.RIGHT, t_s - 0.7, t_s, trunk_flex_mean_deg=lean,
                       trunk_rot_rom_deg=twist)  # fmt: skip


def test_bandwidth_cues_only_outside_the_bands() -> None:
    bands = FeedbackBands(twist_min_deg=8.0, lean_deg=(5.0, 15.0))
    assert [c.kind for c in bands.due(strike(1.0, StrikeType.REARFOOT))] == [CueKind.REARFOOT]
    assert bands.due(strike(1.0, StrikeType.MIDFOOT)) == []
    assert bands.due(stride(2.0)) == []  # twist 12°, lean 8°: inside
    assert [c.kind for c in bands.due(stride(2.0, twist=5.0, lean=3.0))] == [
        CueKind.GUARDED_TWIST, CueKind.LEAN_LOW,
    ]  # fmt: skip
    assert [c.kind for c in bands.due(stride(2.0, lean=17.0))] == [CueKind.LEAN_HIGH]
    assert bands.due(stride(2.0, twist=None, lean=None)) == []  # no trunk pod: no cue
    assert bands.due(StepEvent(Side.LEFT, 1.0, 1.25, 12.0, StrikeType.REARFOOT)) == []


def test_switched_off_cues_never_fire() -> None:
    bands = FeedbackBands(rearfoot=False, twist_min_deg=None, lean_deg=None)
    assert bands.due(strike(1.0, StrikeType.REARFOOT)) == []
    assert bands.due(stride(2.0, twist=1.0, lean=40.0)) == []


def test_cue_value_and_message() -> None:
    (cue,) = FeedbackBands().due(stride(3.0, twist=4.5))
    assert (cue.t_s, cue.side, cue.value) == (3.0, "right", 4.5)
    assert "trunk" in cue.message.lower()


def test_faded_schedule_gives_every_cue_then_half_then_none_then_retention() -> None:
    schedule = FeedbackSchedule.faded(block_s=60.0, shares=(1.0, 0.5, 0.0), retention_s=60.0)
    assert [b.name for b in schedule.blocks] == ["faded 100%", "faded 50%", "faded 0%",
                                                 "retention"]  # fmt: skip
    control = FeedbackController(FeedbackBands(), schedule, 10.0, CuePacing.every_fault())
    events = [strike(10.0 + 0.5 * k, StrikeType.REARFOOT) for k in range(480)]  # 4 min
    given = control.update(events)
    per_block = [(t.due, t.given) for t in control.tallies]
    assert per_block == [(120, 120), (120, 60), (120, 0), (120, 0)]
    half = [c.t_s for c in given if 70.0 <= c.t_s < 130.0]
    gaps = {round(b - a, 3) for a, b in itertools.pairwise(half)}
    assert gaps == {1.0}  # every other due cue, evenly spread, not at random
    assert control.block_name(75.0) == "faded 50%"


def test_only_due_cues_count_and_kinds_share_fairly() -> None:
    control = FeedbackController(FeedbackBands(), FeedbackSchedule.constant(0.5), 0.0,
                                 CuePacing.every_fault())  # fmt: skip
    events = []
    for k in range(40):
        events.append(strike(k, StrikeType.REARFOOT if k % 2 else StrikeType.FOREFOOT))
        events.append(stride(k + 0.5, twist=3.0))
    given = control.update(events)
    kinds = [c.kind for c in given]
    assert kinds.count(CueKind.REARFOOT) == 10 and kinds.count(CueKind.GUARDED_TWIST) == 20
    assert control.tallies[0].due == 60


def test_after_the_last_block_its_share_holds() -> None:
    schedule = FeedbackSchedule((Block("on", 10.0, 1.0), Block("off", 10.0, 0.0)))
    assert schedule.block_at(-1.0) == 0 and schedule.block_at(15.0) == 1
    assert schedule.block_at(1e6) == 1


@pytest.mark.parametrize(("duration", "share"), [(0.0, 1.0), (10.0, 1.5), (10.0, -0.1)])
def test_invalid_blocks_are_refused(duration: float, share: float) -> None:
    with pytest.raises(ValueError):
        Block("x", duration, share)
