"""Offline analysis of a whole session, through the same GaitPipeline as live processing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from drivers.types import Placement, PodInfo, SampleBlock
from processing.events import StepEvent, StrideEvent, StrikeEvent, StrikeThresholds
from processing.pipeline import GaitPipeline
from processing.stages.strike import DEFAULT_THRESHOLDS

CHUNK_S = 0.05


@dataclass
class AnalysisResult:
    """Everything the pipeline published for a session, in publication order."""

    strikes: list[StrikeEvent] = field(default_factory=list)
    steps: list[StepEvent] = field(default_factory=list)
    strides: list[StrideEvent] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)


def rate_of(block: SampleBlock) -> float:
    """Sample rate (Hz) from the median sample interval; 100 Hz if it cannot be told."""
    dt = np.diff(block.t_s)
    dt = dt[np.isfinite(dt) & (dt > 0)]
    return float(1.0 / np.median(dt)) if dt.size else 100.0


def analyze(
    blocks: Mapping[Placement, SampleBlock],
    thresholds: StrikeThresholds = DEFAULT_THRESHOLDS,
    chunk_s: float = CHUNK_S,
) -> AnalysisResult:
    """Feed whole recordings to a fresh GaitPipeline in time-ordered chunks of ``chunk_s``."""
    pods = [
        PodInfo(f"offline-{p.value}", p, "recording", "", round(rate_of(b)))
        for p, b in blocks.items()
    ]
    pipeline = GaitPipeline(pods, thresholds)
    result = AnalysisResult()
    finite = [b.t_s[np.isfinite(b.t_s)] for b in blocks.values() if len(b)]
    if not finite:
        return result
    t0 = min(float(t.min()) for t in finite)
    t1 = max(float(t.max()) for t in finite)
    edges = np.arange(t0, t1 + chunk_s, chunk_s)
    cuts = {p: np.searchsorted(b.t_s, edges, side="right") for p, b in blocks.items()}
    for k in range(1, len(edges)):
        chunk = {p: b.slice(int(cuts[p][k - 1]), int(cuts[p][k])) for p, b in blocks.items()}
        output = pipeline.update({p: c for p, c in chunk.items() if len(c)})
        for event in output.events:
            if isinstance(event, StrikeEvent):
                result.strikes.append(event)
            elif isinstance(event, StepEvent):
                result.steps.append(event)
            else:
                result.strides.append(event)
        result.metrics.update(output.metrics)
    return result
