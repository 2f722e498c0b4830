"""Matching detected events to ground truth, and the error summaries of bench_accuracy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from processing.analysis import AnalysisResult
from processing.events import StepEvent, StrikeEvent

RANGE_KEYS = (
    "trunk_flex_mean_deg",
    "trunk_flex_rom_deg",
    "trunk_rot_rom_deg",
    "trunk_lat_rom_deg",
    "pelvis_rot_rom_deg",
)


@dataclass
class Errors:
    """Raw per-event errors pooled over cases; ``summary()`` turns them into the table.

    ``fsa``/``type``: the step's strike angle (StepEvent, refined at toe-off); ``fsa_ic``/
    ``type_ic``: the angle published at initial contact (StrikeEvent, live).
    """

    true_steps: int = 0
    detected: int = 0
    matched: int = 0
    ic_ms: list[float] = field(default_factory=list)
    to_ms: list[float] = field(default_factory=list)
    fsa_deg: list[float] = field(default_factory=list)
    fsa_ic_deg: list[float] = field(default_factory=list)
    type_ok: list[bool] = field(default_factory=list)
    type_ic_ok: list[bool] = field(default_factory=list)
    ranges: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in RANGE_KEYS})

    def add(self, other: Errors) -> None:
        self.true_steps += other.true_steps
        self.detected += other.detected
        self.matched += other.matched
        for name in ("ic_ms", "to_ms", "fsa_deg", "fsa_ic_deg", "type_ok", "type_ic_ok"):
            getattr(self, name).extend(getattr(other, name))
        for key in RANGE_KEYS:
            self.ranges[key].extend(other.ranges[key])

    def summary(self) -> dict[str, float | int | None]:
        out: dict[str, float | int | None] = {
            "true_steps": self.true_steps,
            "recall_pct": _pct(self.matched, self.true_steps),
            "precision_pct": _pct(self.matched, self.detected),
        }
        for name in ("ic_ms", "to_ms"):
            out.update(_timing(name[:2], self.ic_ms if name == "ic_ms" else self.to_ms))
        for prefix, values in (("fsa", self.fsa_deg), ("fsa_ic", self.fsa_ic_deg)):
            fsa = np.asarray(values)
            out[f"{prefix}_bias_deg"] = float(fsa.mean()) if fsa.size else None
            out[f"{prefix}_rmse_deg"] = float(np.sqrt(np.mean(fsa**2))) if fsa.size else None
        types = (("strike_type_pct", self.type_ok), ("strike_type_ic_pct", self.type_ic_ok))
        for name, ok in types:
            out[name] = 100.0 * float(np.mean(ok)) if ok else None
        for key, values in self.ranges.items():
            out[f"{key.removesuffix('_deg')}_mae_deg"] = (
                float(np.mean(np.abs(values))) if values else None
            )
        return out


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _timing(prefix: str, errors_ms: Sequence[float]) -> dict[str, float | None]:
    e = np.asarray(errors_ms)
    if e.size == 0:
        return {f"{prefix}_mean_ms": None, f"{prefix}_mae_ms": None, f"{prefix}_median_ms": None}
    return {
        f"{prefix}_mean_ms": float(e.mean()),
        f"{prefix}_mae_ms": float(np.abs(e).mean()),
        f"{prefix}_median_ms": float(np.median(e)),
        f"{prefix}_median_abs_ms": float(np.median(np.abs(e))),
    }


def match_times(detected_s: Sequence[float], true_s: Sequence[float], tol_s: float) -> list[int]:
    """For each true time, the index of its detection (nearest, one-to-one) or -1."""
    det = np.asarray(detected_s, dtype=float)
    used: set[int] = set()
    out = []
    for t in true_s:
        j = -1
        if det.size:
            order = np.argsort(np.abs(det - t))
            for k in order[:3].tolist():
                if abs(det[k] - t) <= tol_s and k not in used:
                    j = k
                    break
        if j >= 0:
            used.add(j)
        out.append(j)
    return out


@dataclass(frozen=True)
class TrueStep:
    """A reference step: side, IC, TO (nan if unknown), FSA (nan if unknown), label or ''."""

    side: str
    ic_s: float
    to_s: float = float("nan")
    fsa_deg: float = float("nan")
    strike: str = ""


def step_errors(
    result: AnalysisResult,
    truth: Sequence[TrueStep],
    window_s: tuple[float, float],
    tol_s: float = 0.06,
) -> Errors:
    """Recall/precision, IC, TO and FSA errors of the detected strikes against ``truth``;
    detections count for precision inside ``window_s``."""
    errors = Errors()
    for side in ("left", "right"):
        true = [s for s in truth if s.side == side]
        strikes = [s for s in result.strikes if s.side.value == side]
        steps = {s.ic_s: s for s in result.steps if s.side.value == side}
        errors.true_steps += len(true)
        found = match_times([s.ic_s for s in strikes], [s.ic_s for s in true], tol_s)
        matched = {j for j in found if j >= 0}
        # a detection counts inside the window, or outside it when it matched a true step
        # there (else a match just past the window's end would lift precision above 100%)
        errors.detected += sum(
            j in matched or window_s[0] <= s.ic_s <= window_s[1] for j, s in enumerate(strikes)
        )
        for ref, j in zip(true, found, strict=True):
            if j >= 0:
                _add_match(errors, ref, strikes[j], steps.get(strikes[j].ic_s))
    return errors


def _add_match(errors: Errors, ref: TrueStep, strike: StrikeEvent, step: StepEvent | None) -> None:
    errors.matched += 1
    errors.ic_ms.append(1000.0 * (strike.ic_s - ref.ic_s))
    if step is not None and np.isfinite(ref.to_s):
        errors.to_ms.append(1000.0 * (step.to_s - ref.to_s))
    if np.isfinite(ref.fsa_deg):
        errors.fsa_ic_deg.append(strike.fsa_deg - ref.fsa_deg)
        if step is not None:
            errors.fsa_deg.append(step.fsa_deg - ref.fsa_deg)
    if ref.strike:
        errors.type_ic_ok.append(strike.strike.value == ref.strike)
        if step is not None:
            errors.type_ok.append(step.strike.value == ref.strike)
