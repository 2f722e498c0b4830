"""What the HTML section builders read: the session, its analysis and derived figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drivers.types import SHOES, Placement, SampleBlock
from processing.analysis import AnalysisResult
from processing.events import Side, StrikeThresholds
from processing.export import session_summary
from processing.pipeline import SIDE_OF
from processing.stages.strike import DEFAULT_THRESHOLDS

SIDE_COLOURS = {Side.LEFT: "#1f77b4", Side.RIGHT: "#d62728"}
STRIKE_COLOURS = {"rearfoot": "#8c564b", "midfoot": "#d9a400", "forefoot": "#2ca02c"}


@dataclass(frozen=True)
class SummaryInput:
    """A session as the summary sees it. ``summary`` is ``processing.export``'s
    summary.json content; ``start_s`` (the earliest sample) is time 0 on every plot."""

    blocks: Mapping[Placement, SampleBlock]
    result: AnalysisResult
    thresholds: StrikeThresholds
    summary: dict[str, object]
    title: str

    @property
    def start_s(self) -> float:
        start = self.summary.get("start_s")
        return float(start) if isinstance(start, int | float) else 0.0

    @property
    def pod_inputs(self) -> dict[str, dict[str, Any]]:
        """Per pod (placement value): samples, rate_hz, start_s, end_s, non_finite_samples."""
        inputs = self.summary.get("inputs")
        return {str(k): dict(v) for k, v in inputs.items()} if isinstance(inputs, dict) else {}

    @property
    def warnings(self) -> list[str]:
        warnings = self.summary.get("warnings")
        return [str(w) for w in warnings] if isinstance(warnings, list) else []

    @property
    def sides(self) -> list[Side]:
        """The feet that had a shoe pod, or that have strikes."""
        worn = {SIDE_OF[p] for p in SHOES if p in self.blocks}
        worn |= {s.side for s in self.result.strikes}
        return [s for s in Side if s in worn]


def summary_input(
    blocks: Mapping[Placement, SampleBlock],
    result: AnalysisResult,
    *,
    thresholds: StrikeThresholds = DEFAULT_THRESHOLDS,
    files: Mapping[Placement, str] | None = None,
    title: str = "gaitdeck session summary",
) -> SummaryInput:
    summary = session_summary(blocks, result, files or {})
    return SummaryInput(blocks, result, thresholds, summary, title)
