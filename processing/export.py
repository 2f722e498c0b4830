"""Writers for an analysed session: ``steps.csv``, ``strides.csv`` and ``summary.json``.

Columns come from the event dataclasses (``dataclasses.fields``), so fields added to
StepEvent or StrideEvent later appear without changes here. A cell is empty where its value
has no source (None, or not finite). Floats are rounded by the unit suffix of their name
(``DECIMALS``: seconds 3 decimals, milliseconds 1, degrees 2); enums are written as values.
Times are on the pods' clock, as read.
"""

from __future__ import annotations

import csv
import enum
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from pathlib import Path

import numpy as np

from drivers.types import SHOES, Placement, SampleBlock
from processing.analysis import AnalysisResult
from processing.contacts import paired_contacts
from processing.events import Side, StepEvent, StrideEvent, StrikeEvent, StrikeType
from processing.exports.quality_summary import (
    LOW_CONFIDENCE,
    MEDIANS_FROM,
    Row,
    good_for,
    good_rows,
    quality_section,
    side_rows,
)
from processing.pipeline import SIDE_OF, cadence_spm
from processing.quality import Quality

STEPS_FILE = "steps.csv"
STRIDES_FILE = "strides.csv"
SUMMARY_FILE = "summary.json"
DECIMALS = {"_s": 3, "_ms": 1, "_deg": 2, "_spm": 1, "_hz": 2}
DEFAULT_DECIMALS = 3
STEP_LEAD = ("side", "ic_s", "to_s", "contact_ms")
STRIDE_SPAN = ("side", "start_s", "end_s")
MISSING_POD_EFFECT = {
    Placement.TRUNK: "trunk columns are empty",
    Placement.PELVIS: "pelvis columns are empty",
    Placement.LEFT_SHOE: "no left steps or strides",
    Placement.RIGHT_SHOE: "no right steps or strides",
}
MIN_OVERLAP = 0.5  # share of a pod's time span the other pods should cover
NO_TOE_OFF = "no toe-off: strike angle not cross-checked"
QUALITY_COLUMNS = ("quality", "quality_reason")  # words, not measures


def decimals_for(name: str) -> int:
    """Decimals for a value named with a unit suffix (``fsa_deg`` → 2)."""
    return next((d for suffix, d in DECIMALS.items() if name.endswith(suffix)), DEFAULT_DECIMALS)


def _has_unit(name: str) -> bool:
    return any(name.endswith(suffix) for suffix in DECIMALS)


def jsonable(name: str, value: object) -> object:
    """``value`` ready for JSON or a CSV cell: enums as values, floats rounded by the unit of
    ``name``, NaN/inf as None, containers converted item by item."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return round(number, decimals_for(name)) + 0.0 if math.isfinite(number) else None
    if isinstance(value, Mapping):
        # {"fsa_deg": {"left": …}}: a key without a unit keeps its parent's
        return {
            str(k): jsonable(str(k) if _has_unit(str(k)) else name, v) for k, v in value.items()
        }
    if isinstance(value, Iterable):
        return [jsonable(name, v) for v in value]
    return str(value)


def cell(name: str, value: object) -> str:
    """One CSV cell: empty for a missing value, fixed decimals for a float."""
    value = jsonable(name, value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{decimals_for(name)}f}"
    return str(value)


def step_columns() -> list[str]:
    """``side, ic_s, to_s, contact_ms`` then every other StrikeEvent / StepEvent field."""
    names = [f.name for event in (StrikeEvent, StepEvent) for f in fields(event)]
    return [*STEP_LEAD, *(n for n in dict.fromkeys(names) if n not in STEP_LEAD)]


def stride_columns() -> list[str]:
    return [f.name for f in fields(StrideEvent)]


def step_rows(result: AnalysisResult) -> list[dict[str, object]]:
    """One row per foot contact, in time order: strikes merged with their completed steps by
    (side, ic_s). A strike whose toe-off never came keeps empty ``to_s`` and ``contact_ms``."""
    rows = [_step_row(strike, step) for strike, step in paired_contacts(result)]
    return sorted(rows, key=lambda row: (row["ic_s"], str(row["side"])))


def _step_row(strike: StrikeEvent | None, step: StepEvent | None) -> dict[str, object]:
    row: dict[str, object] = {}
    for event in (strike, step):  # the step's fields (refined at toe-off) win
        if event is not None:
            row.update({f.name: getattr(event, f.name) for f in fields(event)})
    if step is None:  # its angle was never checked against the one carried back
        reasons = [r for r in (str(row.get("quality_reason") or ""), NO_TOE_OFF) if r]
        row.update(quality=Quality.LOW, quality_reason="; ".join(reasons))
    row["contact_ms"] = step.contact_ms if step is not None else None
    return row


def stride_rows(result: AnalysisResult) -> list[dict[str, object]]:
    rows = [{f.name: getattr(s, f.name) for f in fields(s)} for s in result.strides]
    return sorted(rows, key=lambda row: (row["start_s"], str(row["side"])))


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> int:
    """Write a CSV with ``columns``; returns the number of rows written."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(c, row.get(c)) for c in columns])
            count += 1
    return count


def session_summary(
    blocks: Mapping[Placement, SampleBlock],
    result: AnalysisResult,
    files: Mapping[Placement, str],
) -> dict[str, object]:
    """The summary.json content: inputs, span, strike distribution, medians (of the rows
    of good quality), cadence, alignment per pod, the quality of pods and session
    (``processing.exports.quality_summary``) and warnings (see ``session_warnings``)."""
    steps, strides = step_rows(result), stride_rows(result)
    spans = [(float(b.t_s[0]), float(b.t_s[-1])) for b in blocks.values() if len(b)]
    start = min((a for a, _ in spans), default=None)
    end = max((b for _, b in spans), default=None)
    ics = sorted({s.ic_s for s in result.strikes} | {s.ic_s for s in result.steps})
    summary = {
        "inputs": {p.value: _input_entry(blocks[p], files.get(p, "")) for p in _ordered(blocks)},
        "start_s": start,
        "end_s": end,
        "duration_s": None if start is None or end is None else end - start,
        "steps": len(steps),
        "strides": len(result.strides),
        "strikes": _strike_distribution(result, [SIDE_OF[p] for p in SHOES if p in blocks]),
        "medians": _medians(steps, strides),
        "medians_from": MEDIANS_FROM,
        "cadence_spm": cadence_spm(ics, both_feet=len({s.side for s in result.strikes}) == 2),
        "alignment": {p: result.alignment[p] for p in _ordered_names(result.alignment)},
        "quality": quality_section(result, steps, strides),
        "warnings": session_warnings(blocks, result, files),
    }
    return {k: jsonable(k, v) for k, v in summary.items()}


def _ordered(blocks: Mapping[Placement, SampleBlock]) -> list[Placement]:
    return [p for p in Placement if p in blocks]


def _ordered_names(report: Mapping[str, object]) -> list[str]:
    return [p.value for p in Placement if p.value in report]


def _input_entry(block: SampleBlock, file_name: str) -> dict[str, object]:
    return {
        "file": file_name,
        "samples": len(block),
        "rate_hz": sample_rate_hz(block),
        "start_s": float(block.t_s[0]) if len(block) else None,
        "end_s": float(block.t_s[-1]) if len(block) else None,
        "non_finite_samples": non_finite_count(block),
    }


def sample_rate_hz(block: SampleBlock) -> float | None:
    """Mean rate over the regular sample intervals (gaps left out): unlike the median
    interval, not biased by time stamps rounded to the microsecond."""
    dt = np.diff(block.t_s)
    dt = dt[np.isfinite(dt) & (dt > 0)]
    if dt.size == 0:
        return None
    regular = dt[dt < 1.5 * np.median(dt)]
    return float(1.0 / regular.mean())


def non_finite_count(block: SampleBlock) -> int:
    """Samples with a NaN or infinite value, which the pipeline's input guard drops."""
    ok = (
        np.isfinite(block.t_s)
        & np.isfinite(block.acc_g).all(1)
        & np.isfinite(block.gyro_dps).all(1)
    )
    return int(ok.size - np.count_nonzero(ok))


def _strike_distribution(result: AnalysisResult, sides: Sequence[Side]) -> dict[str, object]:
    """Per foot: number of strikes, and count and share of each strike type."""
    out: dict[str, object] = {}
    contacts = step_rows(result)  # as steps.csv gives them: a completed step's refined type
    for side in sides:
        kinds = [row["strike"] for row in contacts if row["side"] == side]
        total = len(kinds)
        counts = {k.value: kinds.count(k) for k in StrikeType}
        shares = {k: (n / total if total else None) for k, n in counts.items()}
        out[side.value] = {"strikes": total, "counts": counts, "shares": shares}
    return out


def _medians(steps: Sequence[Row], strides: Sequence[Row]) -> dict[str, object]:
    """Medians over the good rows (``MEDIANS_FROM``) of FSA and contact time per foot, of
    stride time and of every numeric stride field; ``LOW_CONFIDENCE`` where there are
    values but none in a good row."""
    out: dict[str, object] = {}
    for name in ("fsa_deg", "contact_ms"):
        per_side = {side: side_rows(steps, side) for side in Side}
        out[name] = {s.value: _good_median(r, name, good_rows(r)) for s, r in per_side.items()}
    durations = [{**r, "stride_s": _duration(r)} for r in strides]
    out["stride_s"] = _good_median(durations, "stride_s", durations)
    for name in stride_columns():
        if name not in STRIDE_SPAN and name not in QUALITY_COLUMNS:
            out[name] = _good_median(strides, name, good_for(strides, name))
    return out


def _duration(row: Row) -> object:
    start, end = row["start_s"], row["end_s"]
    return end - start if isinstance(start, float) and isinstance(end, float) else None


def _good_median(rows: Sequence[Row], name: str, good: Sequence[Row]) -> float | str | None:
    """The median of ``name`` over the ``good`` ones of ``rows``; ``LOW_CONFIDENCE`` if only
    other rows have a value, None if none has."""
    median = _median(r.get(name) for r in good)
    if median is None and _median(r.get(name) for r in rows) is not None:
        return LOW_CONFIDENCE
    return median


def _median(values: Iterable[object]) -> float | None:
    """Median of the finite numbers among ``values`` (None, text and NaN are skipped)."""
    numbers = [
        float(v)
        for v in values
        if isinstance(v, int | float | np.floating) and not isinstance(v, bool)
    ]
    finite = [v for v in numbers if math.isfinite(v)]
    return float(np.median(finite)) if finite else None


def session_warnings(
    blocks: Mapping[Placement, SampleBlock],
    result: AnalysisResult,
    files: Mapping[Placement, str],
) -> list[str]:
    """What the reader of the results should know: absent pods, dropped samples, pods not
    calibrated or aligned, pods on other clocks, shoes that gave no strikes."""
    warnings = [f"{p.value} absent: {MISSING_POD_EFFECT[p]}" for p in Placement if p not in blocks]
    for placement in _ordered(blocks):
        dropped = non_finite_count(blocks[placement])
        if dropped:
            name = files.get(placement, placement.value)
            warnings.append(f"{name}: {dropped} samples dropped as non-finite (nan/inf)")
    for name in _ordered_names(result.alignment):
        entry = result.alignment[name]
        status, note = entry.get("status"), entry.get("note")
        if status == "waiting for standing":
            warnings.append(f"{name}: {note}")
        elif status != "decided":
            warnings.append(f"{name} alignment {status}: {note}")
    warnings.extend(_clock_warnings(blocks))
    shoes = [p for p in SHOES if p in blocks]
    if shoes and not result.strikes:
        warnings.append("no foot strikes found")
    return warnings


def _clock_warnings(blocks: Mapping[Placement, SampleBlock]) -> list[str]:
    """Pods whose time span the others barely cover: likely not on one clock."""
    spans = {p: (float(b.t_s[0]), float(b.t_s[-1])) for p, b in blocks.items() if len(b) > 1}
    out = []
    for placement, (start, end) in spans.items():
        others = [s for p, s in spans.items() if p != placement]
        if not others or end <= start:
            continue
        covered = min(end, max(b for _, b in others)) - max(start, min(a for a, _ in others))
        if covered < MIN_OVERLAP * (end - start):
            out.append(
                f"{placement.value}: its time span ({start:.3f}–{end:.3f} s) barely overlaps "
                "the other pods' — are all files on one clock?"
            )
    return out


def write_analysis(
    out_dir: Path,
    blocks: Mapping[Placement, SampleBlock],
    result: AnalysisResult,
    files: Mapping[Placement, str],
) -> dict[str, object]:
    """Write steps.csv, strides.csv and summary.json into ``out_dir``; returns the summary."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_table(out_dir / STEPS_FILE, step_columns(), step_rows(result))
    write_table(out_dir / STRIDES_FILE, stride_columns(), stride_rows(result))
    summary = session_summary(blocks, result, files)
    text = json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False)
    (out_dir / SUMMARY_FILE).write_text(text + "\n", encoding="utf-8")
    return summary
