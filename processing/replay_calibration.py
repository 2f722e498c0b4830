"""The calibration a replay carries into any range of a recording.

A replay starts where offline analysis does (``late_standing.start_from``): from the
recorded starting calibration (a ``calibration`` event, if any) and, for a pod without one,
from its first quiet standing anywhere in the file (``standings_ahead``), so the running
before a late standing is replayed with steps and angles, as ``analyze`` gives them.

A replay that seeks or loops into the running has no standing to calibrate from. It starts
from what analysing the recording from its start gives by then: that start, replaced by the
file's first quiet standing, and the segment axes found from the running after it.
``head_calibration`` analyses the head of the file (at most ``HEAD_S``) until every pod is
calibrated in the file and aligned.
"""

from __future__ import annotations

import numpy as np

from drivers.recording.reader import Recording
from drivers.replay.blocks import is_imu, recording_blocks
from drivers.types import Placement, PodInfo, SampleBlock
from processing.analysis import CHUNK_S, rate_of
from processing.calibration_state import CalibrationState
from processing.late_standing import first_standings, start_from
from processing.pipeline import GaitPipeline

HEAD_S = 90.0
"""Seconds of the file analysed at most: a standing and enough running to find the axes."""


def standings_ahead(recording: Recording, recorded: CalibrationState | None) -> CalibrationState:
    """``first_standings`` of the whole file (session clock) for its IMU pods without a
    recorded calibration; nothing to look for (and the file left unread) when all have one."""
    pods = {p.placement for p in recording.header.pods if is_imu(p.model_key)}
    if recorded and pods <= set(recorded):
        return {}
    blocks = {p: b for p, b in recording_blocks(recording).items() if len(b)}
    return first_standings(blocks, recorded)


def head_calibration(
    recording: Recording, start: CalibrationState | None, head_s: float = HEAD_S,
    ahead: CalibrationState | None = None,
) -> CalibrationState | None:  # fmt: skip
    """The calibration and axes found from the first ``head_s`` of ``recording`` (session
    clock), starting from ``start`` and ``ahead`` (``standings_ahead``) as the replay
    does; None if no pod was calibrated."""
    first_s = recording.start_s
    blocks = {p: b for p, b in recording_blocks(recording, until_s=first_s + head_s).items()
              if len(b)}  # fmt: skip
    if not blocks:
        return {**(ahead or {}), **(start or {})} or None
    pipeline = GaitPipeline([_pod(p, b) for p, b in blocks.items()])
    start_from(pipeline, start, ahead or {})
    for chunk in _chunks(blocks):
        pipeline.update(chunk)
        if _settled(pipeline, set(blocks)):
            break
    return pipeline.calibration_state() or None


def _pod(placement: Placement, block: SampleBlock) -> PodInfo:
    return PodInfo(f"head-{placement.value}", placement, "recording", "", round(rate_of(block)))


def _chunks(blocks: dict[Placement, SampleBlock]) -> list[dict[Placement, SampleBlock]]:
    """The blocks cut at common ``CHUNK_S`` edges, in time order (as ``analyze`` feeds)."""
    t0 = min(float(b.t_s[0]) for b in blocks.values())
    t1 = max(float(b.t_s[-1]) for b in blocks.values())
    edges = t0 + CHUNK_S * np.arange(int(np.floor((t1 - t0) / CHUNK_S)) + 2)
    cuts = {p: np.searchsorted(b.t_s, edges, side="left") for p, b in blocks.items()}
    out = []
    for k in range(1, len(edges)):
        chunk = {p: b.slice(int(cuts[p][k - 1]), int(cuts[p][k])) for p, b in blocks.items()}
        out.append({p: c for p, c in chunk.items() if len(c)})
    return out


def _settled(pipeline: GaitPipeline, placements: set[Placement]) -> bool:
    """Every pod calibrated on a standing of the file and aligned."""
    report = pipeline.alignment_report()
    state = pipeline.calibration_state()
    return all(
        p in state and state[p].axes is not None and not report[p.value]["calibrated_before"]
        for p in placements
    )
