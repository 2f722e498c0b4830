"""The report's opening lines in plain language: strikes, trunk, coordination, rhythm, drift,
retraining feedback, change since the earlier session, and anything about the pods to
check."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from processing.events import Side, StrikeType
from processing.feedback import CueKind
from processing.pipeline import SIDE_OF
from processing.report.confidence import confidence_sentence, mark
from processing.report.feedback import (
    RETENTION,
    FeedbackRow,
    RetrainingFeedback,
    retraining_feedback,
)
from processing.report.periods import PeriodFigures
from processing.report.references import SEAY_2011_CLIN_BIOMECH, SEAY_2011_SPINE, TENG_POWERS_2015
from processing.report.report_input import Earlier, ReportInput


def num(value: float | None, decimals: int = 0, unit: str = "") -> str:
    """``value`` rounded, with its unit; '–' when missing."""
    if value is None:
        return "–"
    return f"{round(value, decimals) + 0.0:.{decimals}f}{unit}"  # + 0.0: never "-0"


def _feet(f: PeriodFigures) -> list[Side]:
    return [s for s in Side if f.feet[s].strikes]


def strike_sentence(f: PeriodFigures, marks: Mapping[Side, str] | None = None) -> str:
    """``marks``: per foot, what to append to its figures (its pod's confidence)."""
    feet = _feet(f)
    if not feet:
        return "No foot contacts were found: were the shoe pods worn, and was there running?"
    marks = marks or {}
    shares = ", ".join(f"{num(f.share(StrikeType.REARFOOT, s), 0, '%')} {s.value}"
                       f"{marks.get(s, '')}" for s in feet)  # fmt: skip
    fsa = ", ".join(f"{num(f.fsa_median(s), 1, '°')} {s.value}{marks.get(s, '')}" for s in feet)
    return f"Rearfoot strikes {shares}; median foot strike angle {fsa}."


def trunk_sentence(
    f: PeriodFigures, guarded_below_deg: float, trunk_mark: str = "", pelvis_mark: str = ""
) -> str:
    """``trunk_mark``/``pelvis_mark``: appended to the figures of a doubtful pod."""
    twist = f.trunk_rot_rom_deg
    if twist is None:
        why = f": trunk pod{trunk_mark}" if trunk_mark else ""
        return ("No trunk rotation was measured (no trunk and pelvis pods, or too little "
                f"running){why}.")  # fmt: skip
    verdict = (
        f"below the clinic's guarded threshold of {guarded_below_deg:g}° (guarded)"
        if twist < guarded_below_deg
        else f"at or above the clinic's guarded threshold of {guarded_below_deg:g}°"
    )
    return (
        f"Trunk rotation range {num(twist, 0, '°')}{trunk_mark} per stride (median), {verdict}; "
        f"pelvis rotation range {num(f.pelvis_rot_rom_deg, 0, '°')}{pelvis_mark}. Trunk flexion "
        f"{num(f.trunk_flex_mean_deg, 0, '°')}{trunk_mark} on average, relative to standing "
        f"({TENG_POWERS_2015.key} report about 4° and 11° in their low- and high-flexion "
        "groups)."
    )


def coordination_sentence(f: PeriodFigures) -> str | None:
    c = f.coupling
    if not c.strides:
        return None
    return (
        f"Pelvis and trunk rotate in phase for {num(c.shares_pct['in_phase'], 0, '%')} of the "
        f"stride and in anti-phase for {num(c.shares_pct['anti_phase'], 0, '%')}; continuous "
        f"relative phase {num(c.crp_mean_deg, 0, '°')} (0° in phase, 180° anti-phase). Runners "
        "with low back pain showed more in-phase pelvis–trunk rotation than controls "
        f"({SEAY_2011_CLIN_BIOMECH.key}, {SEAY_2011_SPINE.key})."
    )


def rhythm_sentence(f: PeriodFigures) -> str | None:
    if f.cadence_spm is None and f.contact_ms_median is None:
        return None
    return (
        f"Cadence {num(f.cadence_spm, 0, ' steps/min')}, contact time "
        f"{num(f.contact_ms_median, 0, ' ms')} (median)."
    )


def _change(label: str, before: float | None, after: float | None, unit: str) -> str | None:
    """'label 12unit → 15unit', None if either is missing."""
    if before is None or after is None:
        return None
    return f"{label} {num(before, 0, unit)} → {num(after, 0, unit)}"


def drift_sentence(first: PeriodFigures, last: PeriodFigures) -> str | None:
    minutes = first.period.duration_s / 60.0
    span = f"{minutes:.0f} min" if minutes >= 1.95 else f"{first.period.duration_s:.0f} s"
    rear = StrikeType.REARFOOT
    changes = [
        _change("rearfoot strikes", first.share(rear), last.share(rear), "%"),
        _change("trunk rotation range", first.trunk_rot_rom_deg, last.trunk_rot_rom_deg, "°"),
        _change("cadence (steps/min)", first.cadence_spm, last.cadence_spm, ""),
    ]
    listed = [c for c in changes if c]
    if not listed:
        return None
    return f"From the first to the last {span} of running: {', '.join(listed)}."


def compare_sentence(earlier: Earlier, now: PeriodFigures) -> str:
    before = earlier.whole
    text = (
        f"Since the earlier session ({earlier.session.date_text}): rearfoot strikes "
        f"{num(before.share(StrikeType.REARFOOT), 0, '%')} → "
        f"{num(now.share(StrikeType.REARFOOT), 0, '%')}, trunk rotation range "
        f"{num(before.trunk_rot_rom_deg, 0, '°')} → {num(now.trunk_rot_rom_deg, 0, '°')}, "
        f"pelvis–trunk in-phase share {num(before.coupling.shares_pct['in_phase'], 0, '%')} → "
        f"{num(now.coupling.shares_pct['in_phase'], 0, '%')}."
    )
    return text + "".join(f" Note: {w}." for w in earlier.warnings)


FeedbackMeasure = tuple[str, Callable[[PeriodFigures], float | None], str]
FEEDBACK_MEASURES: tuple[tuple[tuple[CueKind, ...], FeedbackMeasure], ...] = (
    ((CueKind.REARFOOT,), ("rearfoot strikes", lambda f: f.share(StrikeType.REARFOOT), "%")),
    ((CueKind.GUARDED_TWIST,), ("trunk rotation range", lambda f: f.trunk_rot_rom_deg, "°")),
    ((CueKind.LEAN_LOW, CueKind.LEAN_HIGH),
     ("mean trunk flexion", lambda f: f.trunk_flex_mean_deg, "°")),
)  # fmt: skip
"""The measure each kind of cue aims to change: its words, how to get it, its unit."""


def _cued_measures(feedback: RetrainingFeedback) -> list[FeedbackMeasure]:
    """The measures of the kinds of cue given (all of them if no cue was given)."""
    given = feedback.cues
    cued = [m for kinds, m in FEEDBACK_MEASURES if any(given[k.value] for k in kinds)]
    return cued or [m for _, m in FEEDBACK_MEASURES]


def _in(row: FeedbackRow) -> str:
    """'in the faded 50% block', 'in retention', 'before feedback'."""
    name = row.period.name
    if not row.is_block:
        return name
    return "in retention" if name == RETENTION else f"in the {name} block"


def _moved(measure: FeedbackMeasure, a: FeedbackRow, b: FeedbackRow, where: bool) -> str | None:
    """'rearfoot strikes fell from 92% in the constant block to 41% in retention' (the
    places only if ``where``); None if either value is missing."""
    label, get, unit = measure
    before, after = get(a.figures), get(b.figures)
    if before is None or after is None:
        return None
    was, now = num(before, 0, unit), num(after, 0, unit)
    if was == now:
        return f"{label} stayed at {now}" + (f" ({_in(a)} and {_in(b)})" if where else "")
    verb = "fell" if after < before else "rose"
    if where:
        return f"{label} {verb} from {was} {_in(a)} to {now} {_in(b)}"
    return f"{label} {verb} from {was} to {now}"


def feedback_change(feedback: RetrainingFeedback) -> str | None:
    """Whether the cued measures changed from the first block to retention (or the last
    block, or from the running before feedback to a single block), in words without a
    capital or full stop; None without two rows to compare or values to compare."""
    pair = feedback.compared()
    if pair is None:
        return None
    clauses = [_moved(m, *pair, where=i == 0) for i, m in enumerate(_cued_measures(feedback))]
    listed = [c for c in clauses if c]
    return "; ".join(listed) if listed else None


def feedback_sentence(feedback: RetrainingFeedback) -> str:
    """The change the retraining made, as a sentence ('Rearfoot strikes fell from 92% in
    the constant block to 41% in retention.')."""
    change = feedback_change(feedback)
    if change is None:
        return "Too few foot contacts or feedback blocks to tell whether the measures changed."
    return change[0].upper() + change[1:] + "."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def feedback_summary_sentence(feedback: RetrainingFeedback) -> str:
    """One line for the summary: the schedule, the cues given and the change."""
    schedules = feedback.schedules
    ran = (
        f"{schedules[0]} schedule"
        if len(schedules) == 1
        else f"{len(schedules)} runs: {', '.join(schedules)}"
    )
    given = sum(feedback.cues.values())
    head = (
        f"Retraining feedback ({ran}): {_plural(given, 'cue')} given over "
        f"{_plural(len(feedback.blocks), 'block')}"
    )
    change = feedback_change(feedback)
    return f"{head}; {change}." if change else f"{head}."


def pod_sentence(report: ReportInput) -> str:
    """Which pods were not calibrated or aligned with confidence, in plain words."""
    doubtful = [
        f"{name.replace('_', ' ')} ({entry.get('note', entry.get('status'))})"
        for name, entry in report.session.result.alignment.items()
        if entry.get("status") != "decided"
    ]
    if report.session.problem:
        doubtful.append(f"the recording was salvaged: {report.session.problem}")
    if not doubtful:
        pods = len(report.session.result.alignment)
        before = sum(1 for e in report.session.result.alignment.values()
                     if e.get("calibrated_before"))  # fmt: skip
        when = f" ({before} before recording)" if 0 < before < pods else ""
        when = " before recording" if before == pods else when
        return f"All {pods} pods were calibrated on quiet standing{when} and their axes found."
    return "Check: " + "; ".join(doubtful) + "."


def summary_sentences(report: ReportInput) -> list[str]:
    f = report.whole
    feedback = retraining_feedback(report)
    marks = {side: mark(report, shoe.value) for shoe, side in SIDE_OF.items()}
    trunk, pelvis = mark(report, "trunk"), mark(report, "pelvis")
    sentences = [
        strike_sentence(f, marks),
        trunk_sentence(f, report.options.guarded_twist_below_deg, trunk, pelvis),
        coordination_sentence(f),
        rhythm_sentence(f),
        drift_sentence(*report.drift) if report.drift else None,
        feedback_summary_sentence(feedback) if feedback else None,
        compare_sentence(report.earlier, f) if report.earlier else None,
        confidence_sentence(report),
        pod_sentence(report),
    ]
    return [s for s in sentences if s]
