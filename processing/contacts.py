"""Every foot contact of an analysed session once, with the values all outputs show.

A contact is published twice: its StrikeEvent at initial contact (the angle carried
forward from the previous mid-stance, known at once) and, when the contact completes, its
StepEvent at toe-off (the angle refined with the next mid-stance). ``steps.csv``,
``summary.json``, the session summary page and the clinician report all show the refined
angle and type where the step completed, and the one at contact where it did not.
"""

from __future__ import annotations

import dataclasses

from processing.analysis import AnalysisResult
from processing.events import StepEvent, StrikeEvent


def paired_contacts(result: AnalysisResult) -> list[tuple[StrikeEvent | None, StepEvent | None]]:
    """Each contact's strike and completed step (matched by side and initial contact; either
    may be missing, never both), strikes in published order, then steps without a strike."""
    completed = {(s.side, s.ic_s): s for s in result.steps}
    pairs: list[tuple[StrikeEvent | None, StepEvent | None]] = [
        (strike, completed.pop((strike.side, strike.ic_s), None)) for strike in result.strikes
    ]
    pairs.extend((None, step) for step in completed.values())
    return pairs


def contacts(result: AnalysisResult) -> list[StrikeEvent]:
    """Every contact once, in time order, as a StrikeEvent with the angle and type shown
    everywhere: the completed step's (refined at toe-off), else the one at contact."""
    out = [_shown(strike, step) for strike, step in paired_contacts(result)]
    return sorted(out, key=lambda e: (e.ic_s, e.side.value))


def _shown(strike: StrikeEvent | None, step: StepEvent | None) -> StrikeEvent:
    if step is None:
        assert strike is not None
        return strike
    if strike is None:
        return StrikeEvent(step.side, step.ic_s, step.fsa_deg, step.strike)
    return dataclasses.replace(strike, fsa_deg=step.fsa_deg, strike=step.strike)
