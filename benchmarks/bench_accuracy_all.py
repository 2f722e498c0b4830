"""Accuracy on every data set, one table each (issue 12, item 5): gaitdeck's own simulator,
the independent treadmill simulator, PyShoe real running, gaitmap walking and IPOL walking.

* gaitdeck's simulator: bench_accuracy's cases at a reduced default size (60 s, 2 seeds, every
  profile and rate), with contact time and flexion sign flips (accuracy_gaitdeck_sim).
* gaitdeck's simulator, wide conditions: 12 seeded sessions drawing terminal-swing
  deceleration, impact, trunk pod level, flexion phase, per-pod noise and a timeline (start,
  late standing, bouts with a turn) from the literature's ranges (accuracy_gaitdeck_wide).
* independent simulator: analysed like ``gaitdeck analyze``, scored by its own score.py
  (accuracy_independent); per-session context and diagnostics are printed under its table.
* PyShoe: no padding; weak references only (accuracy_pyshoe).
* gaitmap and IPOL: exactly as bench_accuracy reads them (accuracy_walking; gaitmap's first
  0.5 s is repeated before it for 3.5 s there, IPOL is read in place only, never copied).

A data set that is not in ../shared/data is named in one line and skipped. Measures are
those each set has a reference for; columns without values are left out. All numbers also
go to benchmarks/results/accuracy_all.json (not committed).

Run: python benchmarks/bench_accuracy_all.py [--sim-seconds 60] [--sim-seeds 2]
         [--wide-sessions 12] [--only gaitdeck-sim gaitdeck-wide independent pyshoe gaitmap ipol]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import accuracy_gaitdeck_wide
import accuracy_independent
import accuracy_pyshoe
from accuracy_gaitdeck_sim import PROFILES, RATES_HZ, gaitdeck_sim_rows
from accuracy_metrics import Errors
from accuracy_table import Row, format_table
from accuracy_walking import GAITMAP, IPOL, gaitmap_errors, ipol_errors
from common import RESULTS, machine

SETS = ("gaitdeck-sim", "gaitdeck-wide", "independent", "pyshoe", "gaitmap", "ipol")
IPOL_TRIALS = ("1-1", "1-2", "2-1")


def walking_row(errors: Errors) -> Row:
    s = errors.summary()
    return {
        "step_recall_pct": s["recall_pct"],
        "step_precision_pct": s["precision_pct"],
        "fsa_rmse_deg": s["fsa_rmse_deg"],
        "fsa_bias_deg": s["fsa_bias_deg"],
        "ic_mae_ms": s["ic_mae_ms"],
        "ic_bias_ms": s["ic_mean_ms"],
        "to_mae_ms": s["to_mae_ms"],
        "n_true_steps": s["true_steps"],
    }


def run_gaitdeck_sim(args: argparse.Namespace) -> dict[str, Any]:
    rows = gaitdeck_sim_rows(args.sim_seconds, args.sim_seeds, args.sim_rates, list(PROFILES))
    title = (f"gaitdeck's own simulator ({args.sim_seconds:g} s × {args.sim_seeds} seed(s) per "
             "profile @ rate; flip = sessions with mean trunk flexion sign wrong)")  # fmt: skip
    return {"rows": rows, "lines": [format_table(title, rows)]}


def run_gaitdeck_wide(args: argparse.Namespace) -> dict[str, Any]:
    result = accuracy_gaitdeck_wide.gaitdeck_wide_rows(args.wide_sessions, args.sim_seconds)
    return {**result, "lines": accuracy_gaitdeck_wide.report_lines(result, args.sim_seconds)}


def run_independent(args: argparse.Namespace) -> dict[str, Any]:
    result = accuracy_independent.independent_rows(RESULTS / "independent_out")
    return {**result, "lines": accuracy_independent.report_lines(result)}


def run_pyshoe(args: argparse.Namespace) -> dict[str, Any]:
    result = accuracy_pyshoe.pyshoe_rows()
    return {**result, "lines": accuracy_pyshoe.report_lines(result)}


def run_gaitmap(args: argparse.Namespace) -> dict[str, Any]:
    rows = [("gaitmap example", walking_row(gaitmap_errors()))]
    title = "gaitmap walking (mocap IC/TO, foot angle at IC; padded 3.5 s as in bench_accuracy)"
    return {"rows": rows, "lines": [format_table(title, rows)]}


def run_ipol(args: argparse.Namespace) -> dict[str, Any]:
    rows: list[tuple[str, Row]] = []
    pooled = Errors()
    for trial in IPOL_TRIALS:
        errors, alignment = ipol_errors(trial)
        pooled.add(errors)
        status = ",".join(f"{k}:{v.get('status')}" for k, v in alignment.items())
        rows.append((f"ipol {trial}", {**walking_row(errors), "alignment": status}))
    rows.append(("pooled", walking_row(pooled)))
    title = "IPOL healthy walking (annotated IC/TO; AGPL, read in place)"
    return {"rows": rows, "lines": [format_table(title, rows)]}


RUNNERS: dict[str, tuple[str, Callable[[argparse.Namespace], dict[str, Any]]]] = {
    "gaitdeck-sim": ("", run_gaitdeck_sim),
    "gaitdeck-wide": ("", run_gaitdeck_wide),
    "independent": (str(accuracy_independent.DATA), run_independent),
    "pyshoe": (str(accuracy_pyshoe.DATA), run_pyshoe),
    "gaitmap": (str(GAITMAP), run_gaitmap),
    "ipol": (str(IPOL), run_ipol),
}


def _available(path: str) -> bool:
    return not path or Path(path).exists()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sim-seconds", type=float, default=60.0)
    parser.add_argument("--sim-seeds", type=int, default=2)
    parser.add_argument("--sim-rates", type=int, nargs="*", default=list(RATES_HZ))
    parser.add_argument("--wide-sessions", type=int, default=12)
    parser.add_argument("--only", nargs="*", choices=SETS, default=list(SETS))
    args = parser.parse_args()
    started = time.perf_counter()
    when = time.strftime("%F %T")
    results: dict[str, Any] = {}
    tables: list[str] = []
    for name in args.only:
        path, run = RUNNERS[name]
        if not _available(path):
            line = f"{name}: {path} not found, skipped"
            print(line, flush=True)
            results[name] = {"status": "skipped", "reason": line}
            tables.append(line)
            continue
        print(f"{name} ...", flush=True)
        t0 = time.perf_counter()
        result = run(args)
        result["elapsed_s"] = time.perf_counter() - t0
        tables += [*result.pop("lines"), ""]
        result["rows"] = dict(result["rows"])
        results[name] = {"status": "ran", **result}
    print(f"\naccuracy on every data set — {when} — {machine()}\n")
    print("\n".join(tables))
    RESULTS.mkdir(exist_ok=True)
    out = {"benchmark": "accuracy_all", "machine": machine(), "when": when,
           "sim_seconds": args.sim_seconds, "sim_seeds": args.sim_seeds,
           "elapsed_s": time.perf_counter() - started, "datasets": results}  # fmt: skip
    (RESULTS / "accuracy_all.json").write_text(json.dumps(out, indent=1, default=str))
    print(f"wrote {RESULTS / 'accuracy_all.json'} in {out['elapsed_s']:.0f} s")


if __name__ == "__main__":
    main()
