"""The streaming-equals-offline contract at the pipeline level: the same per-step and
per-stride results whatever the chunking — live-sized blocks of random length, whole
seconds, or the large chunks of the offline analysis."""

from __future__ import annotations

from dataclasses import fields
from functools import cache

import numpy as np
import pytest

from drivers.sim.runner_model import simulate
from drivers.types import Placement, PodInfo, SampleBlock
from processing.events import GaitEvent
from processing.pipeline import GaitPipeline

RATE_HZ = 100
TOLERANCE = 1e-9


@cache
def recording(profile: str) -> dict[Placement, SampleBlock]:
    return simulate(profile, 40.0, RATE_HZ, seed=21)[0]


def run(blocks: dict[Placement, SampleBlock], sizes: list[int]) -> list[GaitEvent]:
    """Every event a fresh pipeline publishes when fed chunks of ``sizes`` samples (cycled)."""
    pipeline = GaitPipeline([PodInfo(p.value, p, "sim", "", RATE_HZ) for p in blocks])
    n = max(len(b) for b in blocks.values())
    events: list[GaitEvent] = []
    k, i = 0, 0
    while k < n:
        size = sizes[i % len(sizes)]
        events.extend(pipeline.update({p: b.slice(k, k + size) for p, b in blocks.items()}).events)
        k, i = k + size, i + 1
    return sorted(events, key=_key)


def _key(event: GaitEvent) -> tuple[str, str, float]:
    start = getattr(event, "ic_s", None)
    return type(event).__name__, event.side.value, start if start is not None else event.start_s


def assert_same(a: list[GaitEvent], b: list[GaitEvent]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert type(x) is type(y)
        for f in fields(x):
            u, v = getattr(x, f.name), getattr(y, f.name)
            if isinstance(u, float) and isinstance(v, float):
                assert u == pytest.approx(v, abs=TOLERANCE, nan_ok=True), (f.name, x, y)
            else:
                assert u == v, (f.name, x, y)


@pytest.mark.parametrize("profile", ["mixed", "forefoot-relaxed"])
def test_random_live_chunks_equal_offline_chunks(profile: str) -> None:
    blocks = recording(profile)
    offline = run(blocks, [500])  # 5 s chunks, as the offline analysis
    assert len([e for e in offline if type(e).__name__ == "StrikeEvent"]) > 60
    assert len([e for e in offline if type(e).__name__ == "StrideEvent"]) > 30
    sizes = np.random.default_rng(5).integers(1, 25, 400).tolist()
    assert_same(run(blocks, sizes), offline)
    assert_same(run(blocks, [1]), offline)  # one sample at a time


def test_subset_of_pods_equal_across_chunkings() -> None:
    blocks = recording("mixed")
    subset = {p: blocks[p] for p in (Placement.LEFT_SHOE, Placement.PELVIS)}
    assert_same(run(subset, [3, 7, 2, 200]), run(subset, [800]))
