"""This session against an earlier one of the same runner (pre / post retraining)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from processing.events import Side, StrikeType
from processing.report.periods import PeriodFigures

DECIMALS = {"%": 0, "steps/min": 0, "ms": 0, "°": 1}
"""Decimals shown per unit; a change that rounds to 0 is 'no change'."""


@dataclass(frozen=True)
class Change:
    """One measure before (earlier session) and after (this session)."""

    label: str
    unit: str
    before: float | None
    after: float | None

    @property
    def decimals(self) -> int:
        return DECIMALS.get(self.unit, 1)

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def shown_delta(self) -> float | None:
        """The change rounded as shown (0.0 rather than -0.0)."""
        delta = self.delta
        return None if delta is None else round(delta, self.decimals) + 0.0

    @property
    def direction(self) -> str:
        """'up', 'down', 'no change' (rounds to 0 as shown) or '' when a side is missing."""
        shown = self.shown_delta
        if shown is None:
            return ""
        if shown == 0:
            return "no change"
        return "up" if shown > 0 else "down"


Getter = Callable[[PeriodFigures], float | None]
Measure = tuple[str, str, Getter]


def _share(kind: StrikeType, side: Side) -> Getter:
    return lambda f: f.share(kind, side)


def _fsa(side: Side) -> Getter:
    return lambda f: f.fsa_median(side)


def _measures() -> list[Measure]:
    rows: list[Measure] = [
        (f"{kind.value.capitalize()} strikes, {side.value}", "%", _share(kind, side))
        for side in Side
        for kind in StrikeType
    ]
    rows += [(f"Median FSA, {side.value}", "°", _fsa(side)) for side in Side]
    rows += [
        ("Trunk rotation range (median of strides)", "°", lambda f: f.trunk_rot_rom_deg),
        ("Pelvis rotation range (median of strides)", "°", lambda f: f.pelvis_rot_rom_deg),
        ("Trunk flexion (mean)", "°", lambda f: f.trunk_flex_mean_deg),
        ("Pelvis–trunk in-phase share", "%", lambda f: f.coupling.shares_pct["in_phase"]),
        ("Pelvis–trunk anti-phase share", "%", lambda f: f.coupling.shares_pct["anti_phase"]),
        ("Pelvis–trunk CRP mean", "°", lambda f: f.coupling.crp_mean_deg),
        ("Cadence", "steps/min", lambda f: f.cadence_spm),
        ("Contact time (median)", "ms", lambda f: f.contact_ms_median),
    ]
    return rows


MEASURES = _measures()


def compare(before: PeriodFigures, after: PeriodFigures) -> list[Change]:
    """Every measure of ``MEASURES`` in both periods."""
    return [Change(label, unit, get(before), get(after)) for label, unit, get in MEASURES]


def runner_warning(before_id: str, after_id: str) -> str | None:
    """A warning when the two sessions may not be of the same runner."""
    if not before_id or not after_id:
        return "a runner id is missing, so it cannot be checked that both sessions are one runner"
    if before_id != after_id:
        return f"different runner ids: this session '{after_id}', earlier session '{before_id}'"
    return None
