"""The report's first sections: the plain-language summary and the session header (runner,
date, notes, duration, pods and how well each was calibrated and aligned)."""

from __future__ import annotations

from html import escape

from drivers.recording import PodEntry
from processing.exports.html_page import Section, paragraph
from processing.report.confidence import (
    confidence_words,
    pod_confidence,
    reference_words,
    session_confidence,
)
from processing.report.html_tables import report_table
from processing.report.report_input import ReportInput
from processing.report.summary_text import num, summary_sentences

STATUS_WORDS = {
    "decided": "axes found",
    "pending": "calibrated, axes not yet found",
    "ambiguous": "axes ambiguous",
    "waiting for standing": "not calibrated",
}


def summary_section(report: ReportInput) -> Section:
    items = "".join(f"<li>{escape(s)}</li>" for s in summary_sentences(report))
    note = (
        "Figures are over the whole recording. Angles are relative to each pod's reference "
        "(Session: the runner's quiet standing, unless a pod says otherwise); figures marked "
        "low confidence or ambiguous rest on doubtful pods. Literature values are for "
        "context, not diagnosis."
    )
    return Section(
        "summary", "At a glance", f'<ul class="summary">{items}</ul>' + paragraph(note, "note")
    )


def _pod_rows(report: ReportInput) -> list[list[str]]:
    alignment = report.session.result.alignment
    inputs = report.data.pod_inputs
    confidence = pod_confidence(report)
    rows = []
    for pod in report.session.header.pods:
        if pod.placement not in report.session.blocks:
            rows.append([pod.placement.value.replace("_", " "), _model(pod), "–",
                         "no samples recorded", "–", "–", "–", "–"])  # fmt: skip
            continue
        entry = alignment.get(pod.placement.value, {})
        judged = confidence.get(pod.placement.value, {})
        rows.append(
            [
                pod.placement.value.replace("_", " "),
                _model(pod),
                num(_float(inputs.get(pod.placement.value, {}).get("rate_hz")), 0, " Hz"),
                _calibration(entry, report.start_s),
                STATUS_WORDS.get(str(entry.get("status")), str(entry.get("status", "–"))),
                num(_float(entry.get("quality")), 2),
                reference_words(judged) if judged else "–",
                confidence_words(judged) if judged else "–",
            ]
        )
    return rows


def _ambiguous_items(report: ReportInput) -> str:
    """One list item per pod whose axes are ambiguous, with the reason."""
    pods = session_confidence(report).get("ambiguous_pods") or {}
    return "".join(
        f"<li>{escape(name.replace('_', ' '))}: axes ambiguous — {escape(str(why))}; its angles "
        "are not shown (check the strap, then calibrate and run again)</li>"
        for name, why in pods.items()
    )


def _model(pod: PodEntry) -> str:
    return f"{pod.model} ({pod.address})" if pod.address else pod.model


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _calibration(entry: dict[str, object], start_s: float) -> str:
    """When the pod was levelled on quiet standing, in seconds from the recording's start (or
    before it: the live session's calibration, recorded with the session)."""
    if not entry.get("calibrated"):
        return "no quiet standing found"
    at = _float(entry.get("calibrated_at_s"))
    if entry.get("calibrated_before"):
        when = f", at standing {num(start_s - at, 1)} s before the start" if at is not None else ""
        return f"calibrated before recording{when}"
    return f"standing at {num(at - start_s, 1)} s" if at is not None else "yes"


def session_section(report: ReportInput) -> Section:
    s, header = report.session, report.session.header
    duration = report.data.summary.get("duration_s")
    facts = report_table(
        [],
        [
            ["Runner", s.runner_id or "(no id)"],
            ["Recorded", s.date_text],
            ["Duration", num(_float(duration), 0, " s")],
            ["Notes", header.notes or "–"],
            ["Recording", s.path.name + (f" (salvaged: {s.problem})" if s.problem else "")],
            ["Foot contacts", str(report.whole.contacts)],
            ["Strides", str(report.whole.strides)],
        ],
        "facts",
        numeric=(),
    )
    pods = report_table(
        ["Pod", "Model", "Rate", "Calibration", "Alignment", "Fit quality (0–1)",
         "Angles rest on", "Confidence"],
        _pod_rows(report),
        "pods",
        numeric=(2, 5),
    )  # fmt: skip
    warnings = "".join(f"<li>{escape(w)}</li>" for w in report.data.warnings)
    note = (
        "Calibration: the quiet standing each pod was levelled on (in the recording, or in "
        "the live session before it, which the recording keeps). Alignment: whether the "
        "pod's axes on the body were found from standing and running; fit quality is how well "
        "the running fitted them (1 is perfect). Angles rest on: the reference each pod's "
        "angles are measured from. Confidence: whether the pod's numbers can be trusted — low "
        "(noisy, without a calibration, or many steps or strides in doubt) or ambiguous (its axes "
        "could not be decided: no angles are shown rather than a guess)."
    )
    ambiguous = _ambiguous_items(report)
    body = (
        facts
        + "<h3>Pods, calibration and alignment</h3>"
        + pods
        + paragraph(note, "note")
        + (f'<h3>Ambiguous pods</h3><ul class="ambiguous">{ambiguous}</ul>' if ambiguous else "")
        + (f'<h3>Warnings</h3><ul class="warnings">{warnings}</ul>' if warnings else "")
    )
    return Section("session", "Session", body)
