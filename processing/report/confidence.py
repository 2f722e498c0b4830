"""How far the report's numbers can be trusted, from summary.json's ``quality`` section
(``processing.exports.quality_summary``): each pod's confidence and reference in words, the
marks the summary sentences put on a foot's or the trunk's figures, and one sentence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from processing.quality import REFERENCE_WORDS, Quality, ReferenceKind
from processing.report.report_input import ReportInput

LOW_MARK = "low confidence"
AMBIGUOUS_MARK = "ambiguous"


def pod_confidence(report: ReportInput) -> dict[str, dict[str, Any]]:
    """Per pod (placement value): its entry of summary.json's quality section."""
    quality = report.data.summary.get("quality")
    pods = quality.get("pods") if isinstance(quality, dict) else None
    return {str(k): dict(v) for k, v in pods.items()} if isinstance(pods, dict) else {}


def session_confidence(report: ReportInput) -> dict[str, Any]:
    quality = report.data.summary.get("quality")
    session = quality.get("session") if isinstance(quality, dict) else None
    return dict(session) if isinstance(session, dict) else {}


def confidence_words(entry: Mapping[str, Any]) -> str:
    """``good``, ``low confidence — 12 of 40 steps low-confidence`` or ``ambiguous — why``."""
    quality = str(entry.get("quality", Quality.GOOD))
    reason = str(entry.get("reason") or "")
    if quality == Quality.GOOD:
        return "good"
    mark = AMBIGUOUS_MARK if quality == Quality.AMBIGUOUS else LOW_MARK
    return f"{mark} — {reason}" if reason else mark


def reference_words(entry: Mapping[str, Any]) -> str:
    kind = ReferenceKind(str(entry.get("reference", ReferenceKind.NONE)))
    return REFERENCE_WORDS[kind]


def mark(report: ReportInput, placement: str) -> str:
    """'' for a pod whose numbers are good (or absent), else ' (low confidence)' or
    ' (ambiguous)': what the summary sentences append to its figures."""
    quality = str(pod_confidence(report).get(placement, {}).get("quality", Quality.GOOD))
    if quality == Quality.GOOD:
        return ""
    return f" ({AMBIGUOUS_MARK if quality == Quality.AMBIGUOUS else LOW_MARK})"


def confidence_sentence(report: ReportInput) -> str | None:
    """Low steps and strides and the ambiguous pods with their reason; None when every
    pod is good."""
    session = session_confidence(report)
    if not session or session.get("verdict") == Quality.GOOD:
        return None
    parts = [
        f"{session.get('low_steps', 0)} of {session.get('steps', 0)} steps and "
        f"{session.get('low_strides', 0)} of {session.get('strides', 0)} strides are low "
        "confidence (each has its reason in steps.csv and strides.csv)"
    ]
    ambiguous = session.get("ambiguous_pods") or {}
    for name, why in ambiguous.items():
        parts.append(f"the {name.replace('_', ' ')} pod's axes are ambiguous ({why}): its "
                     "angles are not shown")  # fmt: skip
    return "Confidence: " + "; ".join(parts) + "."
