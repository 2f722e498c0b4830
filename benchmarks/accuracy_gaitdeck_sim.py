"""gaitdeck's own simulator in the table layout of bench_accuracy_all.

The same cases and step errors as bench_accuracy (every profile × rate × seed, random strap
orientations, noise and gyro bias; steps matched within 60 ms by ``step_errors``), plus the
measures the issue asks for that bench_accuracy does not print: contact-time error (TO − IC
of each matched step against the model's) and whether a session's mean trunk flexion has the
wrong sign. Stride ranges are matched as in bench_accuracy (start and end within 60 ms).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from accuracy_metrics import RANGE_KEYS, Errors, TrueStep, match_times, step_errors
from accuracy_table import Row, count_flips, mae, sign_flip

from drivers.sim.runner_model import RunnerModel, simulate
from drivers.sim.truth import StepTruth
from processing.analysis import AnalysisResult, analyze

PROFILES = ("heel-striker-guarded", "forefoot-relaxed", "midfoot", "mixed")
RATES_HZ = (50, 100, 200, 416)
MATCH_S = 0.06


@dataclass
class CaseErrors:
    """Step errors (bench_accuracy's), contact-time errors, stride range errors, and per
    session (found, true) mean trunk flexion."""

    steps: Errors = field(default_factory=Errors)
    contact_ms: list[float] = field(default_factory=list)
    ranges: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in RANGE_KEYS})
    flex_means: list[tuple[float | None, float | None]] = field(default_factory=list)

    def add(self, other: CaseErrors) -> None:
        self.steps.add(other.steps)
        self.contact_ms += other.contact_ms
        for key in RANGE_KEYS:
            self.ranges[key] += other.ranges[key]
        self.flex_means += other.flex_means


def contact_errors(result: AnalysisResult, truth: list[StepTruth]) -> list[float]:
    """(TO − IC) found minus true, ms, for the steps matched by IC within 60 ms."""
    out = []
    for side in ("left", "right"):
        true = [s for s in truth if s.side == side]
        found = [s for s in result.steps if s.side.value == side]
        matched = match_times([s.ic_s for s in found], [s.ic_s for s in true], MATCH_S)
        for ref, j in zip(true, matched, strict=True):
            if j >= 0:
                contact_s = (found[j].to_s - found[j].ic_s) - (ref.to_s - ref.ic_s)
                out.append(1000.0 * contact_s)
    return out


def stride_errors(
    errors: CaseErrors, result: AnalysisResult, model: RunnerModel, end: float
) -> None:
    """Range errors of the matched strides and the session's mean flexion, found and true."""
    found_flex: list[float] = []
    true_flex: list[float] = []
    truths = model.strides_between(0.0, end)
    for side in ("left", "right"):
        true = [t for t in truths if t.side == side]
        found = [s for s in result.strides if s.side.value == side]
        matched = match_times([s.start_s for s in found], [t.start_s for t in true], MATCH_S)
        for ref, j in zip(true, matched, strict=True):
            if j < 0 or abs(found[j].end_s - ref.end_s) > MATCH_S:
                continue
            for key in RANGE_KEYS:
                value = getattr(found[j], key)
                if value is not None:
                    errors.ranges[key].append(value - getattr(ref, key))
            if found[j].trunk_flex_mean_deg is not None:
                found_flex.append(found[j].trunk_flex_mean_deg)
                true_flex.append(ref.trunk_flex_mean_deg)
    if found_flex:
        errors.flex_means.append((float(np.mean(found_flex)), float(np.mean(true_flex))))
    else:
        errors.flex_means.append((None, None))


def sim_case(profile: str, rate_hz: int, seed: int, seconds: float) -> CaseErrors:
    blocks, model = simulate(profile, seconds, rate_hz, seed=seed)
    result = analyze(blocks)
    end = seconds - 0.5
    model_steps = model.steps_between(0.0, end)
    truth = [TrueStep(s.side, s.ic_s, s.to_s, s.fsa_deg, s.strike) for s in model_steps]
    errors = CaseErrors(steps=step_errors(result, truth, (0.0, end)))
    errors.contact_ms = contact_errors(result, model_steps)
    stride_errors(errors, result, model, seconds - 2.0)
    return errors


def case_row(errors: CaseErrors) -> Row:
    s = errors.steps.summary()
    flips = [{"flex_sign_flip": sign_flip(f, t)} for f, t in errors.flex_means]
    row: Row = {
        "step_recall_pct": s["recall_pct"],
        "step_precision_pct": s["precision_pct"],
        "strike_acc_pct": s["strike_type_pct"],
        "fsa_rmse_deg": s["fsa_rmse_deg"],
        "fsa_bias_deg": s["fsa_bias_deg"],
        "ic_mae_ms": s["ic_mae_ms"],
        "ic_bias_ms": s["ic_mean_ms"],
        "contact_mae_ms": mae(errors.contact_ms),
        "to_mae_ms": s["to_mae_ms"],
        "flex_sign_flip": count_flips(flips),
        "n_true_steps": s["true_steps"],
    }
    for key in RANGE_KEYS:
        row[f"{key.removesuffix('_deg')}_mae_deg"] = mae(errors.ranges[key])
    return row


def gaitdeck_sim_rows(
    seconds: float, seeds: int, rates: list[int], profiles: list[str]
) -> list[tuple[str, Row]]:
    """One row per profile @ rate (seeds pooled), then the pooled row."""
    rows: list[tuple[str, Row]] = []
    overall = CaseErrors()
    for profile in profiles:
        for rate in rates:
            case = CaseErrors()
            for seed in range(seeds):
                case.add(sim_case(profile, rate, 100 + seed, seconds))
            overall.add(case)
            rows.append((f"{profile} @{rate} Hz", case_row(case)))
            print(f"  {profile} @{rate} Hz done", flush=True)
    rows.append(("pooled", case_row(overall)))
    return rows
