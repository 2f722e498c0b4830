"""Real running: the PyShoe running subset (../shared/data/pyshoe_running_subset, MIT), read
in place; only weak references exist, so these are plausibility measures, not errors.

One IMU on the right shoe, ~200 Hz, raw axes x → toes, y → right, z → down in m/s² and
rad/s; turned into the documented shoe pose (+x toes, +y left, +z up: diag(1, −1, −1), as
gaitmap-datasets does) in g and deg/s, written as a pod CSV folder and analysed through
``gaitdeck analyze``'s Python path (``load_session`` → ``analyze_loaded``), with no padding.

References per trial: PyShoe's stance marks (the END of each zero-velocity interval, mid/late
stance; the first and the last close the initial and final standing, so the running stances
are the marks in between) and the raw acceleration:

* recall / precision: a stance mark is found when one step's IC lies in [mark − 0.45 s,
  mark + 0.05 s] (one to one, nearest); steps count for precision between the end of the
  initial standing and 0.4 s after the last running mark.
* IC − impact: the landing's impact transient is the first sample, between 0.25 s after the
  previous mark (or 0.4 s before the mark, if later) and the mark, whose acceleration change
  from the sample before is at least half the largest change in that window (its onset);
  IC − peak uses the largest |acceleration| within 60 ms after that onset instead.
* IC before / TO after the mark: the share of found stances that bracket the foot-flat mark.
* quiet s / late: the longest quiet stretch anywhere in the trial, and whether one of 3 s or
  more starts after the initial standing (a diagnostic of why a trial gives no steps).
* contact share: (TO − IC) / (next IC − IC) over consecutive steps less than 1.2 s apart.

Run alone: python benchmarks/accuracy_pyshoe.py [--raw-axes]
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import scipy.io
from accuracy_table import Row, format_table
from common import RESULTS

from drivers.imports.pod_csv import write_pod_folder
from drivers.imports.session_input import load_session
from drivers.types import FloatArray, Placement, SampleBlock
from processing.events import StepEvent
from processing.session_analysis import analyze_loaded

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pyshoe_running_subset"
GRAVITY_MPS2 = 9.81
TO_SHOE_POSE = np.array([1.0, -1.0, -1.0])
BEFORE_MARK_S, AFTER_MARK_S = 0.45, 0.05
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("standing_s", "stand s", ".1f"),
    ("quiet_max_s", "quiet s", ".1f"),
    ("quiet_late", "late", "s"),
    ("stances", "stances", "d"),
    ("steps_found", "found", "d"),
    ("step_recall_pct", "rec%", ".1f"),
    ("step_precision_pct", "prec%", ".1f"),
    ("ic_minus_impact_mean_ms", "IC-imp", ".1f"),
    ("ic_minus_impact_mae_ms", "|IC-imp|", ".1f"),
    ("ic_minus_peak_mean_ms", "IC-peak", ".1f"),
    ("ic_before_mark_pct", "IC<mark%", ".1f"),
    ("to_after_mark_pct", "TO>mark%", ".1f"),
    ("contact_median_ms", "TC ms", ".0f"),
    ("contact_share_median_pct", "TC/str%", ".1f"),
    ("fsa_median_deg", "FSAmed", ".1f"),
)


def trials() -> list[Path]:
    return sorted((DATA / "raw").glob("*_LLIO.mat"))


def read_trial(path: Path, raw_axes: bool) -> tuple[SampleBlock, FloatArray]:
    """The right shoe's samples (g, deg/s) and PyShoe's stance marks (s)."""
    mat = scipy.io.loadmat(path)
    imu = np.asarray(mat["imu_data"], dtype=np.float64)
    axes = np.ones(3) if raw_axes else TO_SHOE_POSE
    t = np.asarray(mat["timestamps_all"], dtype=np.float64).ravel()
    block = SampleBlock(t, imu[:, :3] / GRAVITY_MPS2 * axes, np.degrees(imu[:, 3:]) * axes)
    return block, np.asarray(mat["timestamps"], dtype=np.float64).ravel()


def impact_s(block: SampleBlock, lo_s: float, hi_s: float) -> tuple[float, float] | None:
    """The impact's onset (first sample in [lo_s, hi_s] whose acceleration change is >= half
    the window's largest) and its peak (largest |acceleration| up to 60 ms later)."""
    i0, i1 = np.searchsorted(block.t_s, [lo_s, hi_s])
    if i1 - i0 < 3:
        return None
    jump = np.linalg.norm(np.diff(block.acc_g[i0 - 1 : i1], axis=0), axis=1)
    onset = i0 + int(np.argmax(jump >= 0.5 * jump.max()))
    end = int(np.searchsorted(block.t_s, block.t_s[onset] + 0.06))
    peak = onset + int(np.argmax(np.linalg.norm(block.acc_g[onset : end + 1], axis=1)))
    return float(block.t_s[onset]), float(block.t_s[peak])


def quiet_runs_s(block: SampleBlock) -> list[tuple[float, float]]:
    """Stretches of quiet standing (diagnostic): |gyro| < 10 deg/s and ||acc| − 1 g| < 0.05 g
    on every sample of a 0.2 s moving window, as (start, end) in seconds."""
    still = (np.linalg.norm(block.gyro_dps, axis=1) < 10.0) & (
        np.abs(np.linalg.norm(block.acc_g, axis=1) - 1.0) < 0.05)  # fmt: skip
    n = max(int(0.2 / np.median(np.diff(block.t_s))), 1)
    quiet = np.convolve(still.astype(float), np.ones(n), "same") >= n - 0.5
    edges = np.flatnonzero(np.diff(np.r_[0, quiet.astype(int), 0]))
    starts, ends = edges[::2], edges[1::2]
    t = block.t_s
    return [(float(t[a]), float(t[b - 1])) for a, b in zip(starts, ends, strict=True)]


def match_marks(steps: list[StepEvent], marks: FloatArray) -> list[int]:
    """For each running stance mark, the index of the step whose IC precedes it (or -1)."""
    ics = np.array([s.ic_s for s in steps])
    used: set[int] = set()
    out = []
    for mark in marks:
        offset = mark - ics if ics.size else np.array([])
        ok = [k for k in np.argsort(np.abs(offset - 0.15)).tolist()
              if -AFTER_MARK_S <= offset[k] <= BEFORE_MARK_S and k not in used]  # fmt: skip
        out.append(ok[0] if ok else -1)
        if ok:
            used.add(ok[0])
    return out


def _pct(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None


def _stat(values: list[float], how: str) -> float | None:
    if not values:
        return None
    v = np.asarray(values)
    if how == "mae":
        return float(np.abs(v).mean())
    return float(np.median(v)) if how == "median" else float(v.mean())


def trial_measures(block: SampleBlock, marks: FloatArray, steps: list[StepEvent]) -> dict[str, Any]:
    """Raw per-trial lists and counts (pooled later) for the measures of the module doc."""
    stances = marks[1:-1]
    matched = match_marks(steps, stances)
    window = (marks[0], marks[-2] + 0.4)
    inside = int(sum(window[0] <= s.ic_s <= window[1] for s in steps))
    offsets, peaks, before, after = [], [], [], []
    for k, (mark, j) in enumerate(zip(stances, matched, strict=True)):
        if j < 0:
            continue
        before.append(steps[j].ic_s < mark)
        after.append(steps[j].to_s > mark)
        hit = impact_s(block, max(mark - 0.4, marks[k] + 0.25), mark)
        if hit is not None:
            offsets.append(1000.0 * (steps[j].ic_s - hit[0]))
            peaks.append(1000.0 * (steps[j].ic_s - hit[1]))
    contact = [1000.0 * (s.to_s - s.ic_s) for s in steps]
    share = [100.0 * (a.to_s - a.ic_s) / (b.ic_s - a.ic_s)
             for a, b in itertools.pairwise(steps) if b.ic_s - a.ic_s < 1.2]  # fmt: skip
    return {"stances": len(stances), "matched": int(sum(j >= 0 for j in matched)),
            "inside": inside, "found": len(steps), "offsets": offsets, "peaks": peaks,
            "before": before, "after": after, "contact": contact, "share": share,
            "fsa": [s.fsa_deg for s in steps]}  # fmt: skip


def row_of(m: dict[str, Any]) -> Row:
    return {
        "stances": m["stances"],
        "steps_found": m["found"],
        "step_recall_pct": _pct(m["matched"], m["stances"]),
        "step_precision_pct": _pct(m["matched"], m["inside"]),
        "ic_minus_impact_mean_ms": _stat(m["offsets"], "mean"),
        "ic_minus_impact_mae_ms": _stat(m["offsets"], "mae"),
        "ic_minus_peak_mean_ms": _stat(m["peaks"], "mean"),
        "ic_before_mark_pct": _pct(sum(m["before"]), len(m["before"])),
        "to_after_mark_pct": _pct(sum(m["after"]), len(m["after"])),
        "contact_median_ms": _stat(m["contact"], "median"),
        "contact_share_median_pct": _stat(m["share"], "median"),
        "fsa_median_deg": _stat(m["fsa"], "median"),
    }


def pyshoe_rows(raw_axes: bool = False) -> dict[str, Any]:
    """Analyse every trial; per-trial rows and the pooled row."""
    rows: list[tuple[str, Row]] = []
    pooled: dict[str, Any] = {}
    for path in trials():
        block, marks = read_trial(path, raw_axes)
        folder = RESULTS / "pyshoe_pods" / path.name.removesuffix("_LLIO.mat")
        write_pod_folder(folder, {Placement.RIGHT_SHOE: block})
        result = analyze_loaded(load_session(folder))
        steps = [s for s in result.steps if s.side.value == "right"]
        m = trial_measures(block, marks, steps)
        for key, value in m.items():
            pooled[key] = pooled.get(key, 0 if isinstance(value, int) else []) + value
        runs = quiet_runs_s(block)
        longest = max((b - a for a, b in runs), default=0.0)
        late = any(b - a >= 3.0 and a > marks[0] for a, b in runs)
        rows.append((folder.name, {"standing_s": float(marks[0] - block.t_s[0]),
                                   "quiet_max_s": longest, "quiet_late": "yes" if late else "no",
                                   **row_of(m)}))  # fmt: skip
        print(f"  {folder.name}: {len(steps)} steps", flush=True)
    zero = sum(r["steps_found"] == 0 for _, r in rows)
    rows.append((f"pooled ({zero}/{len(rows)} trials 0 steps)", row_of(pooled)))
    return {"rows": rows, "axes": "raw" if raw_axes else "documented shoe pose"}


def report_lines(result: dict[str, Any]) -> list[str]:
    title = (f"PyShoe real running, right shoe, {result['axes']} (weak references: stance "
             "marks, impact transient)")  # fmt: skip
    return [format_table(title, result["rows"], COLUMNS)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--raw-axes", action="store_true", help="feed the sensor axes as recorded")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"PyShoe: {DATA} not found, skipped")
        return
    print("\n".join(report_lines(pyshoe_rows(args.raw_axes))))


if __name__ == "__main__":
    main()
