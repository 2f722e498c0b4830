"""Retraining feedback in a recording, read back for the report: the runs and their blocks,
the cues given per kind in each block and each stage, and per block the measures the cues
aim at (rearfoot strike share, trunk rotation range, mean trunk flexion).

The live window (``desktop.feedback.control``) writes each cue as an event
``{"type": "feedback_cue", "cue", "side", "value", "message", "block"}`` at the step's or
stride's session time, and marks a run with "feedback start: <schedule>", one
"feedback block: <name>" per block after the first, and "feedback stop (given N of M over the run)".
A block lasts from its marker (the run's start for the first) to the next block marker or
the end of the run; a run ends at its stop marker, the next start, or the end of the
recording. Block markers are written at the status rate, a moment after the schedule's
boundary, so a cue is counted in the block its event names when that block is one of its
run's, and by time otherwise.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from processing.analysis import AnalysisResult
from processing.feedback import (
    BLOCK_MARKER,
    CUE_EVENT,
    START_MARKER,
    STOP_MARKER,
    FeedbackSettings,
)
from processing.report.periods import (
    BEFORE_FIRST_MARKER,
    Period,
    PeriodFigures,
    period_figures,
)
from processing.report.report_input import ReportInput, session_period

BEFORE_FEEDBACK = "before feedback"
AFTER_FEEDBACK = "after feedback"
RETENTION = "retention"
UNKNOWN_SCHEDULE = "unknown"

Event = tuple[float, dict[str, Any]]


@dataclass(frozen=True)
class RecordedCue:
    """One cue read back: when, which kind (a ``CueKind`` value) and the block it named."""

    t_s: float
    kind: str
    block: str


@dataclass(frozen=True)
class FeedbackRun:
    """One start-to-stop of the feedback; ``blocks`` in order, each named by its schedule
    block ("faded 50%", "retention")."""

    schedule: str
    blocks: list[Period]


@dataclass(frozen=True)
class FeedbackRow:
    """A row of the report's table: a feedback block (``run`` counts from 1), or the
    running before or after feedback (``run`` None, no cues)."""

    period: Period
    run: int | None
    cues: Counter[str]
    figures: PeriodFigures

    @property
    def given(self) -> int:
        return sum(self.cues.values())

    @property
    def is_block(self) -> bool:
        return self.run is not None


@dataclass(frozen=True)
class RetrainingFeedback:
    """The feedback of one session: ``schedules`` per run, table ``rows`` in time order,
    and the cues given per stage (stage name, counts by kind; empty when the only stages
    are the feedback's own blocks)."""

    schedules: list[str]
    rows: list[FeedbackRow]
    stages: list[tuple[str, Counter[str]]]

    @property
    def blocks(self) -> list[FeedbackRow]:
        return [r for r in self.rows if r.is_block]

    @property
    def cues(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for row in self.blocks:
            total.update(row.cues)
        return total

    def compared(self) -> tuple[FeedbackRow, FeedbackRow] | None:
        """The rows that tell whether retraining worked: the first block against the last
        retention block (else the last block); with a single block, the running before
        feedback against it. None when there is nothing to compare."""
        blocks = self.blocks
        if not blocks:
            return None
        retention = [b for b in blocks if b.period.name == RETENTION]
        last = retention[-1] if retention else blocks[-1]
        first = blocks[0]
        if first is last:
            before = self.rows[0]
            return (before, last) if not before.is_block else None
        return first, last


def recorded_cues(events: Sequence[Event]) -> list[RecordedCue]:
    """The cue events of a recording, in time order."""
    cues = [
        RecordedCue(t_s, str(data.get("cue", "")), str(data.get("block") or ""))
        for t_s, data in events
        if data.get("type") == CUE_EVENT
    ]
    return sorted(cues, key=lambda c: c.t_s)


@dataclass
class _MarkedRun:
    """A run as its markers give it, while they are read."""

    schedule: str
    start_s: float
    end_s: float | None = None
    marks: list[tuple[float, str]] = field(default_factory=list)


def feedback_runs(
    markers: Sequence[tuple[float, str]], cues: Sequence[RecordedCue], span: Period
) -> list[FeedbackRun]:
    """The runs the feedback markers describe within ``span`` (the recording). A block
    marker outside a run opens one of an unknown schedule (the recording started mid-run);
    cues without any marker make one run over the whole recording."""
    runs: list[_MarkedRun] = []
    for t_s, text in sorted(markers):
        text = text.strip()
        if text.startswith(START_MARKER):
            _close(runs, t_s)
            runs.append(_MarkedRun(text[len(START_MARKER) :].strip(), t_s))
        elif text.startswith(BLOCK_MARKER):
            if not runs or runs[-1].end_s is not None:
                runs.append(_MarkedRun(UNKNOWN_SCHEDULE, t_s))
            runs[-1].marks.append((t_s, text[len(BLOCK_MARKER) :].strip()))
        elif text.startswith(STOP_MARKER):
            _close(runs, t_s)
    if not runs and cues:
        runs.append(_MarkedRun(UNKNOWN_SCHEDULE, span.start_s))
    return [FeedbackRun(r.schedule, _blocks(r, span.end_s, cues)) for r in runs]


def _close(runs: list[_MarkedRun], t_s: float) -> None:
    if runs and runs[-1].end_s is None:
        runs[-1].end_s = t_s


def _blocks(run: _MarkedRun, end_s: float, cues: Sequence[RecordedCue]) -> list[Period]:
    """A run's blocks: the first from its start (named by its cues, else by its schedule),
    then one per block marker, up to the run's end or ``end_s``; empty ones are dropped."""
    end = min(end_s, run.end_s) if run.end_s is not None else end_s
    first_end = run.marks[0][0] if run.marks else end
    named = [c.block for c in cues if run.start_s <= c.t_s < first_end and c.block]
    first = named[0] if named else _first_block_name(run.schedule, bool(run.marks))
    starts = [(run.start_s, first), *run.marks]
    ends = [t for t, _ in run.marks] + [end]
    spans = [(name, t, min(e, end)) for (t, name), e in zip(starts, ends, strict=True)]
    return [Period(name, t, e) for name, t, e in spans if e > t]


def _first_block_name(schedule: str, more_blocks: bool) -> str:
    """The first block's name as the live window's schedule would call it."""
    try:
        settings = FeedbackSettings(schedule=schedule, retention=more_blocks)
    except ValueError:
        return "feedback"
    return settings.make_schedule().blocks[0].name


def assign_cues(runs: Sequence[FeedbackRun], cues: Sequence[RecordedCue]) -> list[Counter[str]]:
    """Cues per kind for each block of ``runs`` (flattened in order)."""
    counts: list[Counter[str]] = [Counter() for run in runs for _ in run.blocks]
    offsets = [sum(len(r.blocks) for r in runs[:i]) for i in range(len(runs))]
    for cue in cues:
        run = min(range(len(runs)), key=lambda i: _distance(_span(runs[i]), cue.t_s))
        blocks = runs[run].blocks
        named = [i for i, b in enumerate(blocks) if b.name == cue.block]
        candidates = named or list(range(len(blocks)))
        block = min(candidates, key=lambda i: _distance(blocks[i], cue.t_s))
        counts[offsets[run] + block][cue.kind] += 1
    return counts


def _span(run: FeedbackRun) -> Period:
    return Period(run.schedule, run.blocks[0].start_s, run.blocks[-1].end_s)


def _distance(period: Period, t_s: float) -> float:
    """0 inside ``period``, else how far ``t_s`` lies outside it."""
    if period.holds(t_s):
        return 0.0
    return min(abs(t_s - period.start_s), abs(t_s - period.end_s))


def cues_per_period(cues: Sequence[RecordedCue], periods: Sequence[Period]) -> list[Counter[str]]:
    """Cues per kind given inside each of ``periods`` (by the cue's time)."""
    return [Counter(c.kind for c in cues if p.holds(c.t_s)) for p in periods]


def retraining_feedback(report: ReportInput) -> RetrainingFeedback | None:
    """The session's feedback, None when no feedback ran (no feedback markers, no cues)."""
    session = report.session
    cues = recorded_cues(session.events)
    recorded = session_period(session)
    span = Period("session", recorded.start_s, math.nextafter(recorded.end_s, math.inf))
    runs = [r for r in feedback_runs(session.markers, cues, span) if r.blocks]
    if not runs:
        return None
    result = session.result
    numbered = [(n, block) for n, run in enumerate(runs, 1) for block in run.blocks]
    rows = [
        FeedbackRow(block, n, counts, period_figures(result, block))
        for (n, block), counts in zip(numbered, assign_cues(runs, cues), strict=True)
    ]
    before = Period(BEFORE_FEEDBACK, span.start_s, runs[0].blocks[0].start_s)
    after = Period(AFTER_FEEDBACK, runs[-1].blocks[-1].end_s, span.end_s)
    rows = _running_row(result, before) + rows + _running_row(result, after)
    stages = [f.period for f in report.stages] if _stages_of_their_own(report) else []
    return RetrainingFeedback(
        schedules=[r.schedule for r in runs],
        rows=rows,
        stages=list(zip([s.name for s in stages], cues_per_period(cues, stages), strict=True)),
    )


def _stages_of_their_own(report: ReportInput) -> bool:
    """Whether the session was split into stages (feedback markers never split it)."""
    named = [f for f in report.stages if f.period.name != BEFORE_FIRST_MARKER]
    return len(report.stages) > 1 and bool(named)


def _running_row(result: AnalysisResult, period: Period) -> list[FeedbackRow]:
    """A row for ``period`` outside feedback if a foot touched down in it."""
    if period.end_s <= period.start_s or not any(period.holds(s.ic_s) for s in result.strikes):
        return []
    return [FeedbackRow(period, None, Counter(), period_figures(result, period))]
