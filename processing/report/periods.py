"""Parts of a session in time: stages from stage markers, first and last minutes, and the
figures of any such period.

A period is a half-open interval ``[start_s, end_s)`` in seconds from the recording's start
(the time base of the recording's samples and markers as loaded). A foot contact belongs to
the period holding its initial contact; a stride to the period holding its start (the
opening contact), as strides are stamped everywhere else in gaitdeck.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from processing.analysis import AnalysisResult
from processing.contacts import contacts
from processing.events import Side, StrikeType
from processing.exports.markers import MarkerKind, marker_kind
from processing.exports.session_stats import (
    CouplingFigures,
    FootFigures,
    coupling_figures,
    foot_figures,
    session_cadence_spm,
    stat,
    stride_stat,
)

DRIFT_WINDOW_S = 120.0
"""First and last minutes compared for fatigue drift: 2 min each."""
BEFORE_FIRST_MARKER = "before the first stage"
WHOLE_RUN = "whole run"


@dataclass(frozen=True)
class Period:
    """A named stretch ``[start_s, end_s)`` in seconds from the recording's start."""

    name: str
    start_s: float
    end_s: float

    def holds(self, t_s: float) -> bool:
        return self.start_s <= t_s < self.end_s

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def slice_result(result: AnalysisResult, period: Period) -> AnalysisResult:
    """The events of ``result`` inside ``period`` (alignment and metrics kept as they are)."""
    return AnalysisResult(
        strikes=[s for s in result.strikes if period.holds(s.ic_s)],
        steps=[s for s in result.steps if period.holds(s.ic_s)],
        strides=[s for s in result.strides if period.holds(s.start_s)],
        metrics=dict(result.metrics),
        alignment=result.alignment,
    )


def split_stages(
    markers: Sequence[tuple[float, str]], start_s: float, end_s: float
) -> list[Period]:
    """Stages of a session spanning ``[start_s, end_s]``: each stage marker (written by Next
    stage, "stage 2: 12.0 km/h, 1 %") starts a stage named by its text, lasting until the
    next one (or the end). Other markers (a person's notes and presets such as "calf tight",
    feedback's own) never split a stage; the report lists them apart. Time before the first
    stage marker is a stage of its own (``drop_empty_lead`` removes it when no foot touched
    down in it). Without stage markers the whole run is one stage."""
    end = math.nextafter(end_s, math.inf)  # the last sample belongs to the last stage
    staged = [(t, text.strip()) for t, text in markers if marker_kind(text) is MarkerKind.STAGE]
    inside = sorted((t, text) for t, text in staged if t < end)
    if not inside:
        return [Period(WHOLE_RUN, start_s, end)]
    stages = []
    if inside[0][0] > start_s:
        stages.append(Period(BEFORE_FIRST_MARKER, start_s, inside[0][0]))
    for (t, text), (t_next, _) in zip(inside, [*inside[1:], (end, "")], strict=True):
        if t_next > t:
            stages.append(Period(text, max(t, start_s), t_next))
    return stages


def drop_empty_lead(stages: list[Period], result: AnalysisResult) -> list[Period]:
    """Without the leading 'before the first stage' stage if no foot contact fell in it."""
    if stages and stages[0].name == BEFORE_FIRST_MARKER:
        lead = stages[0]
        if not any(lead.holds(s.ic_s) for s in result.strikes):
            return stages[1:]
    return stages


def running_period(result: AnalysisResult) -> Period | None:
    """From the first to just after the last foot contact; None without contacts."""
    ics = [s.ic_s for s in result.strikes]
    if len(ics) < 2:
        return None
    return Period("running", min(ics), math.nextafter(max(ics), math.inf))


def drift_periods(running: Period, window_s: float = DRIFT_WINDOW_S) -> tuple[Period, Period]:
    """The first and last ``window_s`` of running; a third of it each if running is shorter
    than three windows (so the two never overlap and something lies between them)."""
    window = min(window_s, running.duration_s / 3.0)
    first = Period("first", running.start_s, running.start_s + window)
    last = Period("last", running.end_s - window, running.end_s)
    return first, last


@dataclass(frozen=True)
class PeriodFigures:
    """What the report tabulates for one period: foot contacts, strike types and FSA per
    foot, cadence, contact time, trunk and pelvis per stride, pelvis–trunk coordination."""

    period: Period
    feet: dict[Side, FootFigures]
    contacts: int
    cadence_spm: float | None
    contact_ms_median: float | None
    strides: int
    trunk_flex_mean_deg: float | None
    trunk_rot_rom_deg: float | None
    pelvis_rot_rom_deg: float | None
    coupling: CouplingFigures

    def share(self, kind: StrikeType, side: Side | None = None) -> float | None:
        """Percent of contacts (of one foot, or of both) of ``kind``."""
        feet = [self.feet[side]] if side is not None else list(self.feet.values())
        total = sum(f.strikes for f in feet)
        return 100.0 * sum(f.strike_counts[kind] for f in feet) / total if total else None

    def fsa_median(self, side: Side) -> float | None:
        return self.feet[side].fsa_deg.median


def period_figures(result: AnalysisResult, period: Period) -> PeriodFigures:
    """The figures of ``period``. Trunk flexion is the mean of the strides' mean flexion;
    rotation ranges are the median of the strides' ranges; coordination is pelvis–trunk in
    the transverse plane (axial rotation)."""
    part = slice_result(result, period)
    return PeriodFigures(
        period=period,
        feet={side: foot_figures(part, side) for side in Side},
        contacts=len(contacts(part)),
        cadence_spm=session_cadence_spm(part),
        contact_ms_median=stat(s.contact_ms for s in part.steps).median,
        strides=len(part.strides),
        trunk_flex_mean_deg=stride_stat(part.strides, "trunk_flex_mean_deg").mean,
        trunk_rot_rom_deg=stride_stat(part.strides, "trunk_rot_rom_deg").median,
        pelvis_rot_rom_deg=stride_stat(part.strides, "pelvis_rot_rom_deg").median,
        coupling=coupling_figures(part, "pt_transverse"),
    )
