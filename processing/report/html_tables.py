"""Report sections that are tables: per-stage figures, retraining feedback per block, first
vs last minutes of running, and the change since an earlier session."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from html import escape

from processing.events import Side, StrikeType
from processing.exports.html_page import Section, paragraph
from processing.feedback import CueKind
from processing.report.compare import Change, compare
from processing.report.feedback import RetrainingFeedback, retraining_feedback
from processing.report.periods import PeriodFigures
from processing.report.report_input import ReportInput
from processing.report.summary_text import feedback_sentence, num

Row = Sequence[str]


def report_table(
    headers: Row, rows: Sequence[Row], css: str = "", numeric: Collection[int] | None = None
) -> str:
    """A table of already formatted text. Columns in ``numeric`` (default: all but the first)
    are right-aligned; without headers there is no header row."""
    cls = f' class="{css}"' if css else ""
    right = set(range(1, max((len(r) for r in [headers, *rows]), default=0)))
    right = right if numeric is None else set(numeric)

    def cell(tag: str, i: int, text: str) -> str:
        attribute = ' class="num"' if i in right else ""
        return f"<{tag}{attribute}>{escape(text)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(r)) + "</tr>" for r in rows
    )
    thead = f"<thead><tr>{head}</tr></thead>" if any(headers) else ""
    return f"<table{cls}>{thead}<tbody>{body}</tbody></table>"


PerFoot = Callable[[PeriodFigures, Side], float | None]


def _pair(f: PeriodFigures, get: PerFoot, decimals: int, unit: str = "") -> str:
    """'left / right' of a per-foot value; '–' for a foot without strikes."""
    return " / ".join(
        num(get(f, side), decimals, unit) if f.feet[side].strikes else "–" for side in Side
    )


def _share(kind: StrikeType) -> PerFoot:
    return lambda f, side: f.share(kind, side)


def stage_rows(report: ReportInput) -> tuple[list[Row], list[Row]]:
    """(strike and rhythm rows, trunk and coordination rows), one per stage."""
    steps: list[Row] = []
    trunk: list[Row] = []
    for f in report.stages:
        p = f.period
        name = [p.name, num(p.start_s - report.start_s, 1), num(p.duration_s, 0)]
        steps.append(
            [
                *name,
                str(f.contacts),
                *(_pair(f, _share(kind), 0, "%") for kind in StrikeType),
                _pair(f, lambda x, s: x.fsa_median(s), 1, "°"),
                num(f.cadence_spm, 0),
                num(f.contact_ms_median, 0),
            ]
        )
        c = f.coupling
        trunk.append(
            [
                p.name,
                str(f.strides),
                num(f.trunk_flex_mean_deg, 1),
                num(f.trunk_rot_rom_deg, 1),
                num(f.pelvis_rot_rom_deg, 1),
                *(num(c.shares_pct[k], 0) for k in ("in_phase", "anti_phase")),
                *(num(c.shares_pct[k], 0) for k in ("pelvis_phase", "trunk_phase")),
                num(c.crp_mean_deg, 0),
            ]
        )
    return steps, trunk


STEP_HEADERS = (
    "Stage", "Starts (s)", "Length (s)", "Contacts", "Rearfoot L / R", "Midfoot L / R",
    "Forefoot L / R", "Median FSA L / R", "Cadence (steps/min)", "Contact (ms, median)",
)  # fmt: skip
TRUNK_HEADERS = (
    "Stage", "Strides", "Trunk flexion (°, mean)", "Trunk rotation range (°)",
    "Pelvis rotation range (°)", "In-phase (%)", "Anti-phase (%)", "Pelvis-phase (%)",
    "Trunk-phase (%)", "CRP (°)",
)  # fmt: skip


def stages_section(report: ReportInput) -> Section:
    """Per-stage strike distribution, FSA, rhythm, trunk and coordination."""
    steps, trunk = stage_rows(report)
    how = (
        "Each stage marker (written by Next stage, e.g. \u201cstage 2: 12.0 km/h, 1 %\u201d) "
        "starts a stage named by its text; other markers (notes, presets, feedback) do not "
        "split the run and are listed under Markers. Without stage markers the whole run is "
        "one stage. Times are seconds from the recording's start. A contact belongs to the "
        "stage of its initial contact, a stride to the stage it starts in. Rotation ranges "
        "are medians over strides; coordination is pelvis–trunk axial rotation (vector "
        "coding shares, CRP mean)."
    )
    body = (
        "<h3>Strikes and rhythm</h3>"
        + report_table(STEP_HEADERS, steps, "stages")
        + "<h3>Trunk, pelvis and coordination</h3>"
        + report_table(TRUNK_HEADERS, trunk, "stages")
        + paragraph(how, "note")
    )
    return Section("stages", "Stages", body)


CUE_HEADERS = ("Rearfoot cues", "Twist cues", "Lean cues (low / high)", "All cues")
FEEDBACK_HEADERS = (
    "Block", "Starts (s)", "Length (s)", *CUE_HEADERS, "Contacts", "Rearfoot (%)", "Strides",
    "Trunk rotation (°)", "Trunk flexion (°)",
)  # fmt: skip


def cue_cells(cues: Counter[str]) -> list[str]:
    """Rearfoot, guarded-twist and lean (low / high) cues, and all cues given."""
    lean = f"{cues[CueKind.LEAN_LOW.value]} / {cues[CueKind.LEAN_HIGH.value]}"
    return [str(cues[CueKind.REARFOOT.value]), str(cues[CueKind.GUARDED_TWIST.value]), lean,
            str(sum(cues.values()))]  # fmt: skip


def feedback_rows(report: ReportInput, feedback: RetrainingFeedback) -> list[Row]:
    """One row per feedback block, and for the running before and after feedback."""
    runs = len(feedback.schedules)
    rows: list[Row] = []
    for row in feedback.rows:
        p, f = row.period, row.figures
        name = f"run {row.run}: {p.name}" if row.run is not None and runs > 1 else p.name
        rows.append(
            [
                name,
                num(p.start_s - report.start_s, 1),
                num(p.duration_s, 0),
                *(cue_cells(row.cues) if row.is_block else ["–"] * len(CUE_HEADERS)),
                str(f.contacts),
                num(f.share(StrikeType.REARFOOT), 0),
                str(f.strides),
                num(f.trunk_rot_rom_deg, 1),
                num(f.trunk_flex_mean_deg, 1),
            ]
        )
    return rows


def schedule_text(feedback: RetrainingFeedback) -> str:
    """'Schedule: faded (faded 100% → faded 50% → retention).', one entry per run."""
    runs = [
        f"{schedule} ({' → '.join(r.period.name for r in feedback.blocks if r.run == n)})"
        for n, schedule in enumerate(feedback.schedules, 1)
    ]
    return f"Schedule: {runs[0]}." if len(runs) == 1 else f"Runs: {'; '.join(runs)}."


def feedback_section(report: ReportInput) -> Section | None:
    """The retraining feedback: blocks, cues given per kind, and whether the cued measures
    changed from block to block; None when no feedback ran."""
    feedback = retraining_feedback(report)
    if feedback is None:
        return None
    body = paragraph(f"{schedule_text(feedback)} {feedback_sentence(feedback)}")
    body += report_table(FEEDBACK_HEADERS, feedback_rows(report, feedback), "feedback")
    if feedback.stages:
        stage_rows = [[name, *cue_cells(cues)] for name, cues in feedback.stages]
        body += "<h3>Cues per stage</h3>"
        body += report_table(("Stage", *CUE_HEADERS), stage_rows, "cues")
    how = (
        "Blocks follow the feedback markers written during the session; a cue counts in the "
        "block it was given in, a contact in the block of its initial contact, a stride in "
        "the block it starts in. Cues: rearfoot strike, trunk twist below its band (guarded), "
        "trunk lean below or above its band. Rearfoot: share of both feet's contacts; trunk "
        "rotation: range per stride, median; trunk flexion: mean, relative to standing. "
        "Retention blocks give no cues: they show what the runner kept."
    )
    return Section("feedback", "Retraining feedback", body + paragraph(how, "note"))


def change_rows(changes: Sequence[Change], with_direction: bool) -> list[Row]:
    rows: list[Row] = []
    for c in changes:
        row = [f"{c.label} ({c.unit})", num(c.before, c.decimals), num(c.after, c.decimals),
               signed(c.shown_delta, c.decimals)]  # fmt: skip
        rows.append([*row, c.direction] if with_direction else row)
    return rows


def signed(value: float | None, decimals: int) -> str:
    """'+1.5', '−2', '0' ('–' when missing)."""
    if value is None:
        return "–"
    if value == 0:
        return "0"
    return f"{'+' if value > 0 else '−'}{abs(value):.{decimals}f}"


def _window_text(f: PeriodFigures) -> str:
    seconds = f.period.duration_s
    return f"{seconds / 60:.0f} min" if seconds >= 119.5 else f"{seconds:.0f} s"


def drift_section(report: ReportInput) -> Section:
    """The first against the last minutes of running (fatigue drift)."""
    title = "First vs last minutes (fatigue drift)"
    if report.drift is None:
        return Section("drift", title, paragraph("Too few foot contacts to compare.", "note"))
    first, last = report.drift
    window = _window_text(first)
    headers = ["Measure", f"First {window}", f"Last {window}", "Change (last − first)"]
    note = (
        f"Running is taken from the first to the last foot contact "
        f"({first.period.start_s - report.start_s:.0f}–{last.period.end_s - report.start_s:.0f} "
        "s). The first and last 2 minutes are compared, or the first and last third when "
        "running lasted less than 6 minutes."
    )
    body = report_table(headers, change_rows(compare(first, last), False), "drift") + paragraph(
        note, "note"
    )
    return Section("drift", title, body)


def compare_section(report: ReportInput) -> Section | None:
    """This session against the earlier one (pre / post retraining); None without one."""
    earlier = report.earlier
    if earlier is None:
        return None
    headers = [
        "Measure",
        f"Earlier ({earlier.session.date_text})",
        f"This session ({report.session.date_text})",
        "Change",
        "Direction",
    ]
    warnings = "".join(f"<li>{escape(w)}</li>" for w in earlier.warnings)
    body = (f'<ul class="warnings">{warnings}</ul>' if warnings else "") + paragraph(
        f"Earlier session: {earlier.session.path.name}, runner "
        f"{earlier.session.runner_id or '(no id)'}; whole sessions compared.",
        "note",
    )
    body += report_table(headers, change_rows(earlier.changes, True), "compare")
    return Section("compare", "Compared with the earlier session", body)
