"""Pods onto one uniform grid: exact at shared instants, linear inside stretches, NaN in gaps."""

from __future__ import annotations

import numpy as np

from drivers.types import SampleBlock
from processing.exports.resample import continuous_stretches, resample_block, uniform_grid


def block_at(t_s: np.ndarray) -> SampleBlock:
    """Values that are linear in time per channel, so interpolation is exact."""
    values = np.column_stack([t_s * (k + 1) - k for k in range(6)])
    return SampleBlock(t_s.copy(), values[:, :3], values[:, 3:])


def test_grid_spans_all_pods_at_the_rate() -> None:
    a = block_at(np.arange(10, 50) / 100.0)
    b = block_at(0.05 + np.arange(0, 100) / 200.0)
    grid = uniform_grid([a, b], 200.0)
    assert grid[0] == 0.05
    assert np.isclose(grid[-1], max(a.t_s[-1], b.t_s[-1]))
    assert np.allclose(np.diff(grid), 1 / 200.0)


def test_grid_of_nothing_is_empty() -> None:
    assert uniform_grid([SampleBlock.empty()], 100.0).shape == (0,)


def test_stretches_split_at_a_lost_sample_but_not_at_jitter() -> None:
    rng = np.random.default_rng(0)
    t = np.arange(100) / 100.0 + rng.uniform(-0.002, 0.002, 100)
    t = np.delete(t, 40)  # one lost sample: an interval of ~2x
    stretches = continuous_stretches(t)
    assert [(s.start, s.stop) for s in stretches] == [(0, 40), (40, 99)]


def test_shared_instants_are_exact_and_gaps_are_nan() -> None:
    t = np.delete(np.arange(200) / 100.0, np.arange(50, 60))  # 0.5 .. 0.59 s missing
    block = block_at(t)
    grid = uniform_grid([block], 200.0)
    values = resample_block(block, grid)
    on_samples = np.isin(np.round(grid * 1000), np.round(t * 1000))
    expected = np.column_stack([block.acc_g, block.gyro_dps])
    assert np.array_equal(values[on_samples], expected)
    gap = (grid > 0.49 + 1e-9) & (grid < 0.60 - 1e-9)
    assert np.isnan(values[gap]).all()
    between = ~on_samples & ~gap
    assert np.isfinite(values[between]).all()
    assert np.allclose(values[between, 0], grid[between])  # channel 0 is t itself


def test_jittered_pod_is_interpolated_linearly() -> None:
    rng = np.random.default_rng(1)
    t = np.sort(np.arange(300) / 100.0 + rng.uniform(-0.001, 0.001, 300))
    block = block_at(t)
    grid = np.arange(int(t[-1] * 100)) / 100.0 + 0.0025
    grid = grid[(grid >= t[0]) & (grid <= t[-1])]
    values = resample_block(block, grid)
    assert np.allclose(values[:, 5], grid * 6 - 5)


def test_before_the_first_and_after_the_last_sample_is_nan() -> None:
    block = block_at(np.arange(10, 20) / 100.0)
    grid = np.arange(30) / 100.0
    values = resample_block(block, grid)
    assert np.isnan(values[:10]).all() and np.isnan(values[20:]).all()
    assert np.isfinite(values[10:20]).all()
