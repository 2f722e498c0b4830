"""Accuracy of the offline analysis against ground truth.

Simulator: every profile × rate × seed, random strap orientations, noise and gyro bias on;
steps matched within 60 ms. Targets: step recall and precision >= 99 %, strike type >= 97 %,
FSA RMSE <= 2°, IC MAE <= 5 ms, trunk and pelvis per-stride range MAE <= 1°.
Real walking: gaitmap (mocap IC/TO and foot angle at IC; median |IC error| <= 15 ms, FSA
bias within ±3°) and IPOL (annotated IC/TO), read in place.

Run: python benchmarks/bench_accuracy.py [--seconds 90] [--seeds 3] [--rates 50 100 200 416]
"""

from __future__ import annotations

import argparse
import time

from accuracy_metrics import RANGE_KEYS, Errors, TrueStep, match_times, step_errors
from accuracy_walking import GAITMAP, IPOL, gaitmap_errors, ipol_errors
from common import report

from drivers.sim.runner_model import RunnerModel, simulate
from processing.analysis import AnalysisResult, analyze

PROFILES = ("heel-striker-guarded", "forefoot-relaxed", "midfoot", "mixed")
RATES_HZ = (50, 100, 200, 416)
TARGETS = {
    "recall_pct": ">= 99",
    "precision_pct": ">= 99",
    "strike_type_pct": ">= 97",
    "fsa_rmse_deg": "<= 2",
    "ic_mae_ms": "<= 5",
    "ranges_mae_deg": "<= 1",
    "walking_ic_median_abs_ms": "<= 15",
    "walking_fsa_bias_deg": "within ±3",
}
COLUMNS = (
    ("recall_pct", "rec%"),
    ("precision_pct", "prec%"),
    ("ic_mean_ms", "IC ms"),
    ("ic_mae_ms", "IC MAE"),
    ("to_mean_ms", "TO ms"),
    ("to_mae_ms", "TO MAE"),
    ("fsa_bias_deg", "FSA b"),
    ("fsa_rmse_deg", "FSA rms"),
    ("strike_type_pct", "type%"),
    ("fsa_ic_rmse_deg", "FSAicR"),
    ("strike_type_ic_pct", "typeIC"),
    ("trunk_flex_mean_mae_deg", "flexM"),
    ("trunk_flex_rom_mae_deg", "flexR"),
    ("trunk_rot_rom_mae_deg", "rotR"),
    ("trunk_lat_rom_mae_deg", "latR"),
    ("pelvis_rot_rom_mae_deg", "pelR"),
)


def sim_errors(profile: str, rate_hz: int, seed: int, seconds: float) -> Errors:
    blocks, model = simulate(profile, seconds, rate_hz, seed=seed)
    result = analyze(blocks)
    end = seconds - 0.5
    truth = [
        TrueStep(s.side, s.ic_s, s.to_s, s.fsa_deg, s.strike) for s in model.steps_between(0.0, end)
    ]
    errors = step_errors(result, truth, (0.0, end))
    _stride_errors(errors, result, model, seconds - 2.0)
    return errors


def _stride_errors(errors: Errors, result: AnalysisResult, model: RunnerModel, end: float) -> None:
    truths = model.strides_between(0.0, end)
    for side in ("left", "right"):
        true = [t for t in truths if t.side == side]
        found = [s for s in result.strides if s.side.value == side]
        matched = match_times([s.start_s for s in found], [t.start_s for t in true], 0.06)
        for ref, j in zip(true, matched, strict=True):
            if j < 0 or abs(found[j].end_s - ref.end_s) > 0.06:
                continue
            for key in RANGE_KEYS:
                value = getattr(found[j], key)
                if value is not None:
                    errors.ranges[key].append(value - getattr(ref, key))


def _row(name: str, summary: dict[str, float | int | None]) -> str:
    cells = []
    for key, _ in COLUMNS:
        v = summary.get(key)
        cells.append(f"{v:7.2f}" if isinstance(v, float) else f"{'-':>7}")
    return f"{name:<30}" + "".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--rates", type=int, nargs="*", default=list(RATES_HZ))
    parser.add_argument("--profiles", nargs="*", default=list(PROFILES))
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"{'case':<30}" + "".join(f"{h:>7}" for _, h in COLUMNS))
    cases: dict[str, dict[str, float | int | None]] = {}
    overall = Errors()
    for profile in args.profiles:
        for rate in args.rates:
            errors = Errors()
            for seed in range(args.seeds):
                errors.add(sim_errors(profile, rate, 100 + seed, args.seconds))
            overall.add(errors)
            cases[f"{profile}@{rate}"] = errors.summary()
            print(_row(f"{profile} @{rate} Hz", cases[f"{profile}@{rate}"]), flush=True)
    cases["simulator (all)"] = overall.summary()
    print(_row("simulator (all)", cases["simulator (all)"]))
    walking = _walking()
    for name, summary in walking.items():
        print(_row(name, summary))
    report(
        "accuracy",
        {"seconds_per_case": args.seconds, "seeds": args.seeds, "targets": TARGETS,
         "simulator": cases, "walking": walking,
         "elapsed_s": time.perf_counter() - started},
    )  # fmt: skip


def _walking() -> dict[str, dict[str, float | int | None]]:
    out: dict[str, dict[str, float | int | None]] = {}
    if GAITMAP.exists():
        out["gaitmap walking"] = gaitmap_errors().summary()
    if IPOL.exists():
        pooled = Errors()
        for trial in ("1-1", "1-2", "2-1"):
            errors, alignment = ipol_errors(trial)
            pooled.add(errors)
            out[f"ipol {trial}"] = {
                **errors.summary(),
                **{f"align_{k}": str(v["status"]) for k, v in alignment.items()},  # type: ignore[misc]
            }
        out["ipol (all)"] = pooled.summary()
    return out


if __name__ == "__main__":
    main()
