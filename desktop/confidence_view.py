"""What a pod card says about trusting its pod's numbers (no Qt): what its angles rest on,
or ``ambiguous — <why>`` when its axes could not be decided, or ``low confidence — <why>``
(a noisy pod, or many of its recent steps in doubt); see ``processing.quality``.

Read from the session's live pipeline (``GaitPipeline.alignment_report``) and the recent
steps' quality flags the dashboard has seen (``FootStrikeModel.recent_quality``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from desktop.view_models import FootStrikeModel
from desktop.wizard.session_probe import gait_pipeline, live_session
from drivers.types import Placement
from processing.pipeline import SIDE_OF
from processing.quality import (
    LOW_SHARE_MAX,
    NOISY_ACC_SD_G,
    Quality,
    ReferenceKind,
    pod_noise_reasons,
)

RESTS_ON = {
    ReferenceKind.STANDING: "angles from standing",
    ReferenceKind.LATER_STANDING: "angles from a later standing",
    ReferenceKind.CARRIED: "angles from the live calibration",
    ReferenceKind.GAIT: "steps from the gait, no standing",
    ReferenceKind.NONE: "no reference yet",
}
MIN_RECENT = 5  # steps before the recent share says anything


@dataclass(frozen=True)
class PodConfidence:
    """One line for a pod card and how much to trust it."""

    text: str
    quality: Quality = Quality.GOOD


def pod_confidence(
    entry: Mapping[str, object] | None, recent: Sequence[Quality] = ()
) -> PodConfidence:
    """From a pod's alignment report entry and its recent steps' quality (shoes)."""
    if entry is None:
        return PodConfidence("")
    status = str(entry.get("status", ""))
    if status == "waiting for standing":
        return PodConfidence("not calibrated — stand still 3 s", Quality.LOW)
    if status == "ambiguous":
        note = str(entry.get("note", ""))
        why = note.split(": ", 1)[1] if ": " in note else "direction undecided"
        return PodConfidence(f"ambiguous — {_short(why)}", Quality.AMBIGUOUS)
    if status == "pending":
        attempt = str(entry.get("alignment_note", ""))
        if "disagree" in attempt:  # not given up yet, but the cues contradict each other
            return PodConfidence(f"ambiguous — {_short(attempt)}", Quality.AMBIGUOUS)
        return PodConfidence("finding its axes — walk or run", Quality.LOW)
    noise = entry.get("acc_sd_g")
    if isinstance(noise, float) and noise > NOISY_ACC_SD_G:
        return PodConfidence(f"low confidence — {pod_noise_reasons(noise)[0]}", Quality.LOW)
    low = sum(q is not Quality.GOOD for q in recent)
    if len(recent) >= MIN_RECENT and low / len(recent) > LOW_SHARE_MAX:
        return PodConfidence(f"low confidence — {low} of last {len(recent)} steps", Quality.LOW)
    reference = ReferenceKind(str(entry.get("reference", ReferenceKind.NONE)))
    return PodConfidence(RESTS_ON[reference])


SHORT = {"braking and forward lean disagree on forward": "braking and lean disagree"}
"""Alignment notes in words that fit on a card (the full note is its tooltip)."""


def _short(note: str) -> str:
    return SHORT.get(note, note)


def session_confidence(
    session: object, feet: Mapping[object, FootStrikeModel]
) -> dict[Placement, PodConfidence]:
    """Every pod of the session's live pipeline (none for a session without one)."""
    live = live_session(session)
    pipeline = gait_pipeline(live) if live is not None else None
    if pipeline is None:
        return {}
    report = pipeline.alignment_report()
    out = {}
    for name, entry in report.items():
        placement = Placement(name)
        side = SIDE_OF.get(placement)
        recent = tuple(feet[side].recent_quality) if side in feet else ()
        out[placement] = pod_confidence(entry, recent)
    return out
