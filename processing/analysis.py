"""Offline analysis of a whole session, through the same GaitPipeline as live processing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from drivers.types import Placement, PodInfo, SampleBlock
from processing.calibration_state import CalibrationState
from processing.events import StepEvent, StrideEvent, StrikeEvent, StrikeThresholds
from processing.late_standing import first_standings, start_from
from processing.pipeline import GaitPipeline
from processing.stages.strike import DEFAULT_THRESHOLDS

CHUNK_S = 12.0
"""Offline chunk: the same results as live-sized blocks (the streaming-equals-offline
contract, to rounding), far faster — strides are summarised many at a time and per-call
costs are paid once or twice per chunk instead of per sample block. Chains cut blocks
into pieces of at most half their history (shoe 8 s, trunk/pelvis 12 s); and a stride
flushed at a chunk's end must still find its two-stride coordination window (≤ 2 × 2.5 s)
in the 24 s angle history: keep it < ~18 s."""
FILE_CHUNK_S = CHUNK_S
"""Chunk for whole files (``gaitdeck analyze``)."""

ProgressFn = Callable[[float], None]
"""Called with the fraction of the session analysed so far, 0..1."""


@dataclass
class AnalysisResult:
    """Everything the pipeline published for a session, in publication order."""

    strikes: list[StrikeEvent] = field(default_factory=list)
    steps: list[StepEvent] = field(default_factory=list)
    strides: list[StrideEvent] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    alignment: dict[str, dict[str, object]] = field(default_factory=dict)
    """Per pod (placement value): GaitPipeline.alignment_report() at the end."""


def rate_of(block: SampleBlock) -> float:
    """Sample rate (Hz) from the median sample interval; 100 Hz if it cannot be told."""
    dt = np.diff(block.t_s)
    dt = dt[np.isfinite(dt) & (dt > 0)]
    return float(1.0 / np.median(dt)) if dt.size else 100.0


def analyze(
    blocks: Mapping[Placement, SampleBlock],
    thresholds: StrikeThresholds = DEFAULT_THRESHOLDS,
    chunk_s: float = CHUNK_S,
    progress: ProgressFn | None = None,
    calibration: CalibrationState | None = None,
) -> AnalysisResult:
    """Feed whole recordings to a fresh GaitPipeline in time-ordered chunks of ``chunk_s``,
    calling ``progress`` (if given) with the fraction done after each chunk.

    ``calibration``: where the pods start from, e.g. the live calibration a recording
    started with (``recorded_calibration``); a quiet standing in the samples still
    replaces it (``GaitPipeline.restore_calibration``). A pod without one whose samples do
    not open with a standing starts from its first standing anywhere (a first pass,
    ``first_standings``), so the running before a late or short standing is analysed."""
    pods = [
        PodInfo(f"offline-{p.value}", p, "recording", "", round(rate_of(b)))
        for p, b in blocks.items()
    ]
    pipeline = GaitPipeline(pods, thresholds)
    start_from(pipeline, calibration, first_standings(blocks, calibration))
    result = AnalysisResult()
    finite = [b.t_s[np.isfinite(b.t_s)] for b in blocks.values() if len(b)]
    if not finite:
        result.alignment = pipeline.alignment_report()
        return result
    t0 = min(float(t.min()) for t in finite)
    t1 = max(float(t.max()) for t in finite)
    edges = t0 + chunk_s * np.arange(int(np.floor((t1 - t0) / chunk_s)) + 2)
    cuts = {p: np.searchsorted(b.t_s, edges, side="left") for p, b in blocks.items()}
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
        if progress is not None:
            progress(k / (len(edges) - 1))
    result.alignment = pipeline.alignment_report()
    return result
