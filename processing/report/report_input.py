"""Everything the report's sections read, computed once: the session, its stages, the first
and last minutes, and the earlier session it is compared with."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from processing.events import StrikeThresholds
from processing.exports.summary_input import SummaryInput, summary_input
from processing.report.compare import Change, compare, runner_warning
from processing.report.periods import (
    DRIFT_WINDOW_S,
    Period,
    PeriodFigures,
    drift_periods,
    drop_empty_lead,
    period_figures,
    running_period,
    split_stages,
)
from processing.report.session import ReportSession
from processing.stages.strike import DEFAULT_THRESHOLDS

GUARDED_TWIST_BELOW_DEG = 8.0
"""Trunk rotation range per stride below which the report calls the trunk 'guarded': the
feedback default, a clinic setting (no published cut-off exists)."""


@dataclass(frozen=True)
class ReportOptions:
    """Choices a clinic may change. ``thresholds`` classify strikes (Altman & Davis 2012
    by default); ``guarded_twist_below_deg`` is the clinic's guarded-trunk threshold."""

    thresholds: StrikeThresholds = DEFAULT_THRESHOLDS
    guarded_twist_below_deg: float = GUARDED_TWIST_BELOW_DEG
    drift_window_s: float = DRIFT_WINDOW_S
    title: str = "gaitdeck clinician report"


@dataclass(frozen=True)
class Earlier:
    """The session this one is compared with, its figures and the changes since."""

    session: ReportSession
    whole: PeriodFigures
    changes: list[Change]
    warnings: list[str]


@dataclass(frozen=True)
class ReportInput:
    """``whole`` covers the entire recording; ``drift`` is (first, last) minutes of running,
    None with fewer than two foot contacts."""

    session: ReportSession
    data: SummaryInput
    options: ReportOptions
    whole: PeriodFigures
    stages: list[PeriodFigures]
    drift: tuple[PeriodFigures, PeriodFigures] | None
    earlier: Earlier | None

    @property
    def start_s(self) -> float:
        """Time 0 of the report's plots and tables: the recording's start, the zero of its
        session's times (as in ``gaitdeck info`` and the exports)."""
        return 0.0


def session_period(session: ReportSession) -> Period:
    starts = [float(b.t_s[0]) for b in session.blocks.values()]
    ends = [float(b.t_s[-1]) for b in session.blocks.values()]
    return Period("session", min(starts), max(ends))


def whole_figures(session: ReportSession) -> PeriodFigures:
    """The figures of every event of the session."""
    return period_figures(session.result, Period("whole session", -math.inf, math.inf))


def build_report_input(
    session: ReportSession, options: ReportOptions, earlier: ReportSession | None = None
) -> ReportInput:
    data = summary_input(
        session.blocks,
        session.result,
        thresholds=options.thresholds,
        files=session.files,
        title=options.title,
    )
    span = session_period(session)
    stages = drop_empty_lead(
        split_stages(session.markers, span.start_s, span.end_s), session.result
    )
    running = running_period(session.result)
    drift = None
    if running is not None:
        first, last = drift_periods(running, options.drift_window_s)
        drift = (period_figures(session.result, first), period_figures(session.result, last))
    whole = whole_figures(session)
    return ReportInput(
        session=session,
        data=data,
        options=options,
        whole=whole,
        stages=[period_figures(session.result, stage) for stage in stages],
        drift=drift,
        earlier=_earlier(session, whole, earlier),
    )


def _to_the_second(moment: datetime.datetime) -> str:
    """Two sessions may start in the same minute: their order needs the seconds."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _earlier(
    session: ReportSession, whole: PeriodFigures, earlier: ReportSession | None
) -> Earlier | None:
    if earlier is None:
        return None
    warnings = []
    mismatch = runner_warning(earlier.runner_id, session.runner_id)
    if mismatch:
        warnings.append(mismatch)
    if earlier.started and session.started and earlier.started > session.started:
        warnings.append(
            f"the comparison session ({_to_the_second(earlier.started)}) was recorded after "
            f"this one ({_to_the_second(session.started)})"
        )
    before = whole_figures(earlier)
    return Earlier(earlier, before, compare(before, whole), warnings)
