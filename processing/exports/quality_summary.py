"""summary.json's ``quality`` section and what the medians may use: the flags of the rows of
steps.csv and strides.csv, per pod and for the session (``processing.quality``).

A shoe pod is judged by its foot's steps; a trunk or pelvis pod by the strides, where a
stride counts against it when it has none of that pod's angles or one of that pod's ranges
is implausible. Medians of summary.json use the good rows only (``LOW_CONFIDENCE`` where a
foot or a measure has rows but no good ones): a step's own flag; for a stride measure, the
flags of the pods it is measured with (``good_for``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from drivers.types import Placement
from processing.analysis import AnalysisResult
from processing.events import Side
from processing.pipeline import SIDE_OF
from processing.quality import (
    RANGE_CEILING_DEG,
    Flag,
    PodQuality,
    Quality,
    pod_quality,
    session_quality,
    stride_flag,
)

LOW_CONFIDENCE = "low confidence"
"""A median's value where there are rows but none of good quality."""
MEDIANS_FROM = "rows whose quality is good (steps.csv, strides.csv)"

Row = Mapping[str, object]


def row_flag(row: Row) -> Flag:
    """The flag a steps.csv or strides.csv row carries."""
    reason = str(row.get("quality_reason") or "")
    return Flag(
        Quality(str(row.get("quality", Quality.GOOD))), tuple(reason.split("; ")) if reason else ()
    )


def good_rows(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if str(r.get("quality", Quality.GOOD)) == Quality.GOOD]


def segment_flag(stride: Row, segment: Placement) -> Flag:
    """A strides.csv row as far as the trunk or pelvis pod is concerned."""
    prefix = f"{segment.value}_"
    values = {n: _number(stride.get(n)) for n in RANGE_CEILING_DEG if n.startswith(prefix)}
    missing = {segment.value: "gave no angles"} if all(v is None for v in values.values()) else {}
    return stride_flag(values, missing)


def field_segments(name: str) -> tuple[Placement, ...]:
    """The trunk/pelvis pods a StrideEvent field is measured with (none: stride time)."""
    if name.startswith("pt_"):
        return (Placement.PELVIS, Placement.TRUNK)
    return tuple(p for p in (Placement.TRUNK, Placement.PELVIS) if name.startswith(p.value))


def good_for(strides: Sequence[Row], name: str) -> list[Row]:
    """The strides whose ``name`` value can be trusted: those where each pod it is measured
    with gave plausible angles (a stride low only for the trunk still has a good pelvis)."""
    pods = field_segments(name)
    return [r for r in strides if all(segment_flag(r, p).good for p in pods)]


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def pod_qualities(
    result: AnalysisResult, steps: Sequence[Row], strides: Sequence[Row]
) -> list[PodQuality]:
    """Every analysed pod (in placement order) with the flags of its rows."""
    out = []
    for placement in Placement:
        entry = result.alignment.get(placement.value)
        if entry is None:
            continue
        if placement.is_shoe:
            side = SIDE_OF[placement]
            flags = [row_flag(r) for r in steps if r.get("side") == side]
        else:
            flags = [segment_flag(s, placement) for s in strides]
        rows = "steps" if placement.is_shoe else "strides"
        out.append(pod_quality(placement.value, entry, flags, rows))
    return out


def quality_section(result: AnalysisResult, steps: Sequence[Row],
                    strides: Sequence[Row]) -> dict[str, object]:  # fmt: skip
    """``{"pods": {placement: …}, "session": …}`` for summary.json."""
    pods = pod_qualities(result, steps, strides)
    session = session_quality(pods, [row_flag(r) for r in steps], [row_flag(r) for r in strides])
    return {"pods": {p.placement: p.as_json() for p in pods}, "session": session}


def side_rows(rows: Sequence[Row], side: Side) -> list[Row]:
    return [r for r in rows if r.get("side") == side]
