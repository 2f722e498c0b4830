"""Stages from markers, first and last minutes, and the figures of a period."""

from __future__ import annotations

import math

import numpy as np
import pytest

from processing.analysis import AnalysisResult
from processing.contacts import contacts
from processing.events import Side, StrikeEvent, StrikeType
from processing.report import ReportSession
from processing.report.periods import (
    BEFORE_FIRST_MARKER,
    WHOLE_RUN,
    Period,
    drift_periods,
    drop_empty_lead,
    period_figures,
    running_period,
    split_stages,
)


def test_without_markers_the_whole_run_is_one_stage() -> None:
    (stage,) = split_stages([], 0.5, 60.0)
    assert stage.name == WHOLE_RUN and stage.start_s == 0.5 and stage.holds(60.0)


STAGE_1 = "stage 1: 10.0 km/h, 0 %"
STAGE_2 = "stage 2: 12.0 km/h, 1 %"


def test_each_stage_marker_starts_a_stage_named_by_its_text() -> None:
    stages = split_stages([(30.0, STAGE_2), (10.0, f" {STAGE_1} ")], 0.0, 50.0)
    assert [(s.name, s.start_s, s.end_s) for s in stages[:2]] == [
        (BEFORE_FIRST_MARKER, 0.0, 10.0),
        (STAGE_1, 10.0, 30.0),
    ]
    assert stages[2].name == STAGE_2 and stages[2].start_s == 30.0
    assert stages[2].holds(50.0) and not stages[1].holds(30.0)


@pytest.mark.parametrize("text", ["calf tight", "shoe change", "speed 12 km/h", "fatigue",
                                  "feedback start: faded", "stage two", "stage 3:"])  # fmt: skip
def test_notes_presets_and_feedback_markers_never_split(text: str) -> None:
    """Recordings made before markers had kinds hold only texts: they read the same way."""
    (stage,) = split_stages([(10.0, text), (20.0, text)], 0.0, 50.0)
    assert stage.name == WHOLE_RUN and stage.start_s == 0.0 and stage.holds(50.0)


def test_stage_markers_after_the_end_are_ignored_and_before_the_start_clipped() -> None:
    stages = split_stages([(-2.0, STAGE_1), (80.0, STAGE_2)], 0.0, 50.0)
    assert [(s.name, s.start_s) for s in stages] == [(STAGE_1, 0.0)]


def test_an_empty_lead_stage_is_dropped_only_when_empty() -> None:
    stages = split_stages([(10.0, STAGE_1)], 0.0, 50.0)
    strike = StrikeEvent(Side.LEFT, 5.0, 12.0, StrikeType.REARFOOT)
    assert [s.name for s in drop_empty_lead(stages, AnalysisResult())] == [STAGE_1]
    kept = drop_empty_lead(stages, AnalysisResult(strikes=[strike]))
    assert [s.name for s in kept] == [BEFORE_FIRST_MARKER, STAGE_1]


@pytest.mark.parametrize(
    ("length_s", "window_s"), [(40.0, 40.0 / 3), (300.0, 100.0), (600.0, 120.0)]
)
def test_drift_windows_are_two_minutes_or_a_third(length_s: float, window_s: float) -> None:
    first, last = drift_periods(Period("running", 100.0, 100.0 + length_s))
    assert first.start_s == 100.0 and math.isclose(first.duration_s, window_s)
    assert math.isclose(last.end_s, 100.0 + length_s) and math.isclose(last.duration_s, window_s)
    assert first.end_s <= last.start_s


def test_running_runs_from_the_first_to_the_last_contact(mixed: ReportSession) -> None:
    running = running_period(mixed.result)
    assert running is not None
    ics = [s.ic_s for s in mixed.result.strikes]
    assert running.start_s == min(ics) and running.holds(max(ics))


def test_period_figures_match_the_events_inside(mixed: ReportSession) -> None:
    period = Period("middle", 15.0, 30.0)
    f = period_figures(mixed.result, period)
    inside = [s for s in contacts(mixed.result) if 15.0 <= s.ic_s < 30.0]  # as steps.csv
    assert f.contacts == len(inside) > 10
    for side in Side:
        mine = [s for s in inside if s.side == side]
        assert f.feet[side].strikes == len(mine)
        assert f.fsa_median(side) == pytest.approx(np.median([s.fsa_deg for s in mine]))
        rear = sum(s.strike == StrikeType.REARFOOT for s in mine)
        assert f.share(StrikeType.REARFOOT, side) == pytest.approx(100.0 * rear / len(mine))
    strides = [s for s in mixed.result.strides if 15.0 <= s.start_s < 30.0]
    assert f.strides == len(strides)
    ranges = [s.trunk_rot_rom_deg for s in strides if s.trunk_rot_rom_deg is not None]
    assert f.trunk_rot_rom_deg == pytest.approx(np.median(ranges))


def test_setup_stage_markers_split_and_other_markers_do_not() -> None:
    markers = [
        (5.0, "stage 1: 10.0 km/h, 0 %"),
        (20.0, "fatigue"),
        (30.0, "stage 2: 12.0 km/h, 1 %"),
    ]
    stages = split_stages(markers, 0.0, 50.0)
    assert [s.name for s in stages] == ["before the first stage", STAGE_1, STAGE_2]
    assert [(s.start_s, round(s.end_s, 6)) for s in stages[1:]] == [(5.0, 30.0), (30.0, 50.0)]
