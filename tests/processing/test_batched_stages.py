"""Stages that take many strides at once give what one call per stride gives."""

from __future__ import annotations

import numpy as np
import pytest

from drivers.types import Placement
from processing.events import Side
from processing.stages.coordination import CoordinationStage
from processing.stages.stride_memory import StrideMemory
from processing.stages.trunk import AngleHistory, StrideRangeStage


def histories() -> dict[Placement, AngleHistory]:
    """Noisy trunk and pelvis angles at 100 Hz with a gap at 6.0–6.3 s."""
    rng = np.random.default_rng(3)
    t = np.arange(0.0, 12.0, 0.01)
    t = t[(t < 6.0) | (t > 6.3)]
    w = 2 * np.pi * t / 0.7
    out = {}
    for placement, lag in ((Placement.PELVIS, 0.0), (Placement.TRUNK, 2.5)):
        angles = np.stack([np.cos(2 * w + lag), 3 * np.cos(w - lag), 6 * np.cos(w + lag)], axis=1)
        history = AngleHistory(2000)
        history.append(t, angles + rng.normal(0.0, 0.2, angles.shape))
        out[placement] = history
    return out


STRIDES = [(Side.LEFT if k % 2 else Side.RIGHT, 0.35 * k, 0.35 * k + 0.7) for k in range(1, 30)]


def test_coordination_of_many_strides_equals_one_at_a_time() -> None:
    segments = histories()
    one = CoordinationStage()
    expected = []
    for side, start, end in STRIDES:
        one.update(side, start, end, segments)
        expected.append(one.fields_)
    many = CoordinationStage()
    got = many.update_many(STRIDES[:7], segments) + many.update_many(STRIDES[7:], segments)
    assert many.couplings_ == one.couplings_
    assert [k for k, v in got[-1].items() if v is None] == []  # variability reached
    for g, e in zip(got, expected, strict=True):
        assert g.keys() == e.keys()
        for name in g:
            assert (g[name] is None) == (e[name] is None), name
            if g[name] is not None:
                assert g[name] == pytest.approx(e[name], abs=1e-12), name
    assert any(v is None for f in got for v in f.values())  # the gap leaves strides out


def test_stride_ranges_of_many_strides_equal_one_at_a_time() -> None:
    history = histories()[Placement.TRUNK]
    spans = [(start, end) for _, start, end in STRIDES]
    stage = StrideRangeStage(100.0)
    expected = []
    for start, end in spans:
        stage.update(history, start, end)
        expected.append(stage.ranges_)
    got = StrideRangeStage(100.0).update_many(history, spans)
    assert None in got
    for g, e in zip(got, expected, strict=True):
        assert (g is None) == (e is None)
        if g is not None and e is not None:
            assert g.flex_rom_deg == e.flex_rom_deg and g.rot_rom_deg == e.rot_rom_deg
            assert g.flex_mean_deg == pytest.approx(e.flex_mean_deg, abs=1e-12)


def test_stride_memory_sums_do_not_depend_on_batching() -> None:
    rng = np.random.default_rng(1)
    keys = [k % 2 for k in range(40)]
    ends = [0.5 * k + (30.0 if k >= 25 else 0.0) for k in range(40)]  # a pause: forgotten
    rows = rng.normal(size=(40, 7))
    whole, size = StrideMemory(10, 3, 20.0).add(keys, ends, rows)
    memory = StrideMemory(10, 3, 20.0)
    parts = [memory.add(keys[k : k + 1], ends[k : k + 1], rows[k : k + 1]) for k in range(40)]
    np.testing.assert_array_equal(np.vstack([s for s, _ in parts]), whole)
    assert size.max() == 10 and size[25] == 1  # after the pause, only itself
