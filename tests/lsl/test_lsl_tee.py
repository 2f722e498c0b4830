"""The LSL tee around the gait pipeline: same results, everything pushed, failures contained;
and the engine path end to end on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import numpy as np
import pylsl
from lsl_helpers import open_inlet, pull

from drivers.lsl.stream_info import pod_source_id
from drivers.sim.runner_model import simulate
from drivers.types import Placement, PodInfo, SampleBlock
from processing.engine import Engine
from processing.events import GaitEvent, StepEvent, StrideEvent, StrikeEvent
from processing.exports.lsl_feed import GaitLslFeed
from processing.exports.lsl_tee import LslTeePipeline
from processing.pipeline import GaitPipeline
from processing.pod_buffers import PodBuffers

RATE_HZ = 100.0
PODS = [
    PodInfo(f"sim-{p.value}", p, "sim", "", RATE_HZ)
    for p in (Placement.TRUNK, Placement.LEFT_SHOE, Placement.RIGHT_SHOE)
]


class RecordingFeed:
    def __init__(self, fail: bool = False) -> None:
        self.samples = 0
        self.events: list[GaitEvent] = []
        self.fail = fail

    def push_blocks(self, blocks: Mapping[Placement, SampleBlock]) -> None:
        if self.fail:
            raise OSError("network gone")
        self.samples += sum(len(b) for b in blocks.values())

    def push_events(self, events: Iterable[GaitEvent]) -> None:
        self.events.extend(events)


def chunks(seconds: float) -> list[dict[Placement, SampleBlock]]:
    blocks, _ = simulate("heel-striker-guarded", seconds, RATE_HZ, seed=21)
    step = int(RATE_HZ)
    n = len(blocks[Placement.TRUNK])
    return [
        {p.placement: blocks[p.placement].slice(k, k + step) for p in PODS}
        for k in range(0, n, step)
    ]


def test_tee_returns_the_pipelines_results_and_pushes_them() -> None:
    feed = RecordingFeed()
    tee, plain = LslTeePipeline(GaitPipeline(PODS), feed), GaitPipeline(PODS)
    got, want = [], []
    for chunk in chunks(14.0):
        got.extend(tee.update(chunk).events)
        want.extend(plain.update(chunk).events)
    assert got == want and len(got) > 20
    assert feed.events == got and feed.samples == 3 * 1400
    assert tee.alignment_report() == plain.alignment_report()  # forwarded
    tee.request_calibration()


def test_a_failing_feed_costs_no_results() -> None:
    tee, plain = LslTeePipeline(GaitPipeline(PODS), RecordingFeed(fail=True)), GaitPipeline(PODS)
    parts = chunks(10.0)
    got = [e for c in parts for e in tee.update(c).events]
    assert got == [e for c in parts for e in plain.update(c).events]
    assert tee.lsl_errors == len(parts)


def test_engine_to_lsl_on_loopback(tag: str, inlets: list[pylsl.StreamInlet]) -> None:
    feed = GaitLslFeed.open(PODS, lambda: 0.0, tag=tag)
    try:
        shoe = open_inlet(pod_source_id(PODS[1], tag))
        markers, strides = open_inlet(f"{tag}-steps"), open_inlet(f"{tag}-strides")
        inlets.extend([shoe, markers, strides])
        buffers = PodBuffers(PODS)
        engine = Engine(buffers, LslTeePipeline(GaitPipeline(PODS), feed))
        published: list[GaitEvent] = []
        sent = []
        for chunk in chunks(14.0):
            for pod in PODS:
                buffers.push(pod.pod_id, chunk[pod.placement])
            sent.append(chunk[Placement.LEFT_SHOE])
            published.extend(engine.step().events)
        samples, stamps = pull(shoe, 1400)
        n_markers = sum(isinstance(e, StrikeEvent | StepEvent) for e in published)
        texts, _ = pull(markers, n_markers)
        rows, _ = pull(strides, sum(isinstance(e, StrideEvent) for e in published))
    finally:
        feed.close()
    block = SampleBlock.concat(sent)
    expected = np.column_stack([block.acc_g, block.gyro_dps]).astype(np.float32)
    assert np.array_equal(np.asarray(samples, dtype=np.float32), expected)
    assert np.allclose(stamps, block.t_s + feed.outlet.time_map.offset_s, atol=1e-6)
    kinds = [json.loads(str(t[0]))["event"] for t in texts]
    assert len(kinds) == n_markers > 10 and set(kinds) == {"foot_strike", "foot_off"}
    assert len(rows) == sum(isinstance(e, StrideEvent) for e in published) > 5
