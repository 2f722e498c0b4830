"""The independent treadmill simulator (../shared/data/independent_sim_treadmill, MIT-style
"use it freely"), scored by its own ``score.py``.

Each session folder goes through ``gaitdeck analyze``'s Python path (``load_session`` →
``analyze_loaded`` → ``write_analysis``) into OUT/<id>/; then the data set's ``score.py``
is run on OUT as its README says, and its per-session and pooled figures are taken from its
``--json`` file unchanged. The one measure it does not report, whether a session's mean
trunk flexion has the wrong sign, is added here from the same files (strides matched by side
and start within 60 ms, scored truth rows only). Nothing of the data set is copied.

Run alone: python benchmarks/accuracy_independent.py [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
from accuracy_table import Row, count_flips, format_table, sign_flip
from common import RESULTS

from drivers.imports.session_input import load_session
from processing.export import write_analysis
from processing.session_analysis import analyze_loaded

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "independent_sim_treadmill"
MATCH_S = 0.06
SCORE_KEYS = (
    "step_recall_pct",
    "step_precision_pct",
    "strike_acc_pct",
    "fsa_rmse_deg",
    "ic_mae_ms",
    "ic_bias_ms",
    "contact_mae_ms",
    "trunk_flex_mean_mae_deg",
    "trunk_flex_rom_mae_deg",
    "trunk_rot_rom_mae_deg",
    "trunk_lat_rom_mae_deg",
    "pelvis_rot_rom_mae_deg",
    "n_true_steps",
)


def analyze_sessions(out_dir: Path) -> dict[str, list[str]]:
    """Analyse every session into ``out_dir``/<id>/; returns each session's warnings."""
    warnings: dict[str, list[str]] = {}
    for folder in sorted(p for p in (DATA / "sessions").iterdir() if p.is_dir()):
        loaded = load_session(folder)
        result = analyze_loaded(loaded)
        summary = write_analysis(out_dir / folder.name, loaded.blocks, result, loaded.files)
        found = summary.get("warnings")
        warnings[folder.name] = [str(w) for w in found] if isinstance(found, list) else []
        print(f"  {folder.name}: {len(result.strikes)} steps, {len(result.strides)} strides",
              flush=True)  # fmt: skip
    return warnings


def run_score(out_dir: Path) -> tuple[dict[str, Any], str]:
    """The data set's own score.py on ``out_dir``: its JSON figures and its printed lines."""
    json_path = out_dir / "scores.json"
    command = [sys.executable, str(DATA / "score.py"), str(DATA / "truth"), str(out_dir),
               "--json", str(json_path)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(json_path.read_text()), done.stdout


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _number(text: str | None) -> float | None:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def flexion_means(truth_dir: Path, out_dir: Path) -> tuple[float | None, float | None]:
    """Mean trunk flexion found and true over the scored strides matched one to one."""
    truth = [r for r in _rows(truth_dir / "strides.csv") if r["scored"] == "1"]
    found = _rows(out_dir / "strides.csv")
    pairs: list[tuple[float, float]] = []
    for side in ("left", "right"):
        mine = [r for r in found if r["side"] == side and _number(r.get("trunk_flex_mean_deg"))]
        used: set[int] = set()
        for ref in (r for r in truth if r["side"] == side):
            start = float(ref["start_s"])
            gaps = [(abs(float(r["start_s"]) - start), k) for k, r in enumerate(mine)]
            near = [(g, k) for g, k in gaps if g <= MATCH_S and k not in used]
            if near:
                k = min(near)[1]
                used.add(k)
                value = _number(mine[k]["trunk_flex_mean_deg"])
                if value is not None:
                    pairs.append((value, float(ref["trunk_flex_mean_deg"])))
    if not pairs:
        return None, None
    values = np.array(pairs)
    return float(values[:, 0].mean()), float(values[:, 1].mean())


def detections(session: str, out_dir: Path) -> str:
    """Per shoe: steps found / scored true steps, and the median offset of the nearest found
    IC from each true IC on the common clock (diagnostic, not a score)."""
    meta = json.loads((DATA / "truth" / session / "meta.json").read_text())
    truth = [r for r in _rows(DATA / "truth" / session / "steps.csv") if r["scored"] == "1"]
    found = _rows(out_dir / session / "steps.csv")
    parts = []
    for side in ("left", "right"):
        true = np.array([float(r["ic_s"]) for r in truth if r["side"] == side])
        if not true.size:
            continue
        offset = meta["sensor"][f"{side}_shoe"].get("clock_offset_s", 0.0)
        mine = np.array([float(r["ic_s"]) for r in found if r["side"] == side]) - offset
        near = [1000 * (mine[np.argmin(np.abs(mine - t))] - t) for t in true] if mine.size else []
        median = f"{np.median(near):+.0f} ms" if near else "-"
        parts.append(f"{side} {mine.size}/{true.size} IC≈{median}")
    return ", ".join(parts)


def context(session: str) -> str:
    """What the session is: tier, rate, pods, strike style, standing, noisiest pod, gap."""
    meta = json.loads((DATA / "truth" / session / "meta.json").read_text())
    standing = meta["timeline"]["standing_s"]
    noise = {pod: s.get("accel_noise_g", 0.0) for pod, s in meta["sensor"].items()}
    loudest = max(noise, key=lambda pod: noise[pod])
    gap = "gap" if meta.get("scoring", {}).get("gaps") else "no gap"
    return (f"{meta['tier']}, {meta['sample_rate_hz']} Hz, {'+'.join(meta['pods'])}, "
            f"{meta['strike_style']}, standing {standing[1] - standing[0]:.1f} s, "
            f"lean {meta['runner'].get('trunk_lean_deg', float('nan')):.1f}°, noisiest "
            f"{loudest} {1000 * noise[loudest]:.0f} mg, {gap}")  # fmt: skip


def independent_rows(out_dir: Path) -> dict[str, Any]:
    """Analyse, score with score.py, add sign flips; per-session rows and the pooled row."""
    warnings = analyze_sessions(out_dir)
    scores, printed = run_score(out_dir)
    rows: list[tuple[str, Row]] = []
    for session, figures in scores["sessions"].items():
        row: Row = {k: figures.get(k) for k in SCORE_KEYS}
        found, true = flexion_means(DATA / "truth" / session, out_dir / session)
        row.update(flex_found_deg=found, flex_true_deg=true, flex_sign_flip=sign_flip(found, true))
        row["failures"] = "; ".join(figures.get("failures") or []) or None
        rows.append((session, row))
    pooled: Row = {k: scores["overall"].get(k) for k in SCORE_KEYS}
    pooled["flex_sign_flip"] = count_flips([r for _, r in rows])
    rows.append(("pooled", pooled))
    return {
        "rows": rows,
        "context": {s: context(s) for s in scores["sessions"]},
        "detections": {s: detections(s, out_dir) for s in scores["sessions"]},
        "warnings": warnings,
        "score_py_summary": printed.strip().splitlines()[-1],
    }


def report_lines(result: dict[str, Any]) -> list[str]:
    title = "independent simulator (its score.py; flip = mean trunk flexion sign wrong)"
    lines = [format_table(title, result["rows"]), f"score.py: {result['score_py_summary']}"]
    flex = {name: row for name, row in result["rows"]}
    for session, text in result["context"].items():
        row = flex[session]
        found, true = row.get("flex_found_deg"), row.get("flex_true_deg")
        means = f"flex mean {found:+.1f}° vs {true:+.1f}°" if found is not None else "no flex"
        lines.append(f"  {session}: {text}")
        lines.append(f"       found {result['detections'][session]}; {means}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=RESULTS / "independent_out")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"independent simulator: {DATA} not found, skipped")
        return
    print("\n".join(report_lines(independent_rows(args.out))))


if __name__ == "__main__":
    main()
