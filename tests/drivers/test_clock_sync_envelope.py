"""The lower-envelope fit: under every point, as high as possible, robust to late points."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.clock.envelope import Line, fit_lower_envelope, lower_hull, slope_uncertainty

points = st.lists(st.tuples(st.floats(0.0, 1e3), st.floats(-1e3, 1e3)), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(pts=points)
def test_the_fitted_line_lies_under_every_point(pts: list[tuple[float, float]]) -> None:
    x, y = np.array(pts).T
    line = fit_lower_envelope(x, y, 0.5, 1.5)
    assert 0.5 <= line.slope <= 1.5
    assert np.all(line.intercept + line.slope * x <= y + 1e-9 * (1 + np.abs(y)))


@settings(max_examples=200, deadline=None)
@given(pts=points)
def test_hull_vertices_are_points_and_turn_left(pts: list[tuple[float, float]]) -> None:
    x, y = np.array(pts).T
    hull = lower_hull(x, y)
    assert set(hull) <= set(zip(x.tolist(), y.tolist(), strict=True))
    assert [p[0] for p in hull] == sorted({p[0] for p in hull})
    for (x0, y0), (x1, y1), (x2, y2) in zip(hull, hull[1:], hull[2:], strict=False):
        assert (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0) > 0


def test_late_points_do_not_move_the_line() -> None:
    rng = np.random.default_rng(0)
    x = np.linspace(0.0, 100.0, 200)
    y = 2.0 + 1.0003 * x
    late = y + rng.exponential(0.05, x.size) * (rng.random(x.size) < 0.7)
    late[80:120] += 0.5  # a burst
    line = fit_lower_envelope(x, late, 0.95, 1.05)
    exact = np.flatnonzero(late == y)
    assert exact.size >= 2 and np.ptp(x[exact]) > 50  # enough on-line points to pin it
    assert line.slope == pytest.approx(1.0003, abs=1e-9)
    assert line.intercept == pytest.approx(2.0, abs=1e-7)


def test_slope_is_clamped_and_a_lone_point_keeps_the_fallback() -> None:
    x, y = np.array([0.0, 1.0]), np.array([0.0, 2.0])
    assert fit_lower_envelope(x, y, 0.9, 1.1).slope == 1.1
    lone = fit_lower_envelope(np.array([3.0]), np.array([5.0]), 0.9, 1.1, fallback=1.01)
    assert lone.slope == 1.01 and lone.at(3.0) == pytest.approx(5.0)


def test_slope_uncertainty_shrinks_with_span_and_needs_three_points() -> None:
    two = np.array([0.0, 1.0])
    assert slope_uncertainty(two, two, Line(1.0, 0.0)) == np.inf
    noise = np.random.default_rng(1).exponential(1e-3, 11)
    sigmas = []
    for x in (np.linspace(0, 10, 11), np.linspace(0, 100, 11)):
        y = x + noise
        sigmas.append(slope_uncertainty(x, y, fit_lower_envelope(x, y, 0.0, 2.0)))
    assert 0 < sigmas[1] < sigmas[0]
