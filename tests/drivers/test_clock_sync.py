"""Counting time stamps for pods without timestamps: steady flow, gaps, a slow pod."""

from __future__ import annotations

import numpy as np
import pytest

from drivers.clock_sync import RateStamper, SessionClock


def test_steady_stream_is_counted_at_the_nominal_rate() -> None:
    stamper = RateStamper(100.0)
    times = [stamper.stamp(2, arrival).t_s for arrival in 0.011 + 0.02 * np.arange(50)]
    t = np.concatenate(times)
    np.testing.assert_allclose(np.diff(t), 0.01, atol=1e-12)


def test_jittered_arrivals_barely_move_the_count() -> None:
    rng = np.random.default_rng(0)
    stamper = RateStamper(200.0)
    arrivals = 0.02 * np.arange(1, 400) + rng.uniform(0, 0.015, 399)
    stamped = [stamper.stamp(4, a) for a in arrivals]
    assert sum(s.lost for s in stamped) == 0
    dt = np.diff(np.concatenate([s.t_s for s in stamped]))
    assert np.all((dt > 0.9 * 0.005) & (dt <= 0.005 + 1e-12))
    assert np.mean(np.isclose(dt[-400:], 0.005)) > 0.95  # settled on the earliest arrivals


def test_gap_is_counted_as_lost_and_not_interpolated() -> None:
    stamper = RateStamper(100.0)
    for k in range(10):
        stamper.stamp(2, 0.02 * (k + 1))
    after_gap = stamper.stamp(2, 0.2 + 1.0)
    assert after_gap.lost == 98  # samples 0.21 s .. 1.18 s never arrived
    assert after_gap.t_s[-1] == pytest.approx(1.2)


def test_slow_pod_is_pulled_back_to_arrival_times() -> None:
    stamper = RateStamper(100.0)  # pod really runs at 90 Hz
    last = None
    for k in range(1, 500):
        last = stamper.stamp(1, k / 90.0)
    assert last is not None
    assert abs(last.t_s[-1] - 499 / 90.0) <= stamper.gap_tolerance_s


def test_session_clock_counts_from_start() -> None:
    clock = SessionClock(start_ns=1_000_000_000)
    assert clock.to_session_s(3_500_000_000) == pytest.approx(2.5)
    assert SessionClock().now_s() >= 0.0


def test_late_first_anchor_slews_to_the_earliest_arrivals_keeping_order() -> None:
    stamper = RateStamper(200.0)
    latency = 0.004
    first = stamper.stamp(4, 0.015 + latency + 0.010)  # the first notification was 10 ms late
    times = [first.t_s]
    for k in range(2, 200):
        times.append(stamper.stamp(4, 0.005 * (4 * k - 1) + latency).t_s)
    t = np.concatenate(times)
    assert np.all(np.diff(t) > 0)
    true_first = 0.005 * (4 * 199 - 4) + latency
    assert times[-1][0] == pytest.approx(true_first, abs=1e-9)
