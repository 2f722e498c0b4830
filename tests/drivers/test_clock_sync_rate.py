"""RateStamper on pods whose real rate is off nominal, as real WitMotion pods are.

The pod samples at ``real_hz`` (unknown to the host), sends ``k`` samples per notification,
and each notification arrives a random, non-negative latency after its last sample.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.clock_sync import RateStamper
from drivers.models.witmotion.commands import encode_frames
from drivers.notify import WitMotionNotifications
from drivers.types import FloatArray, LinkStats


def pod_stream(
    real_hz: float, seconds: float, k: int, start_s: float, latency_s: FloatArray | float
) -> tuple[FloatArray, FloatArray]:
    """True sample times (notifications × k) and notification arrivals."""
    n = int(seconds * real_hz) // k
    t_true = start_s + np.arange(n * k).reshape(n, k) / real_hz
    return t_true, t_true[:, -1] + latency_s


def stamp_all(
    stamper: RateStamper, t_true: FloatArray, arrivals: FloatArray, keep: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, int]:
    """Stamps of the kept notifications, the matching true times, and samples judged lost."""
    stamped, truth, lost = [], [], 0
    for j, arrival in enumerate(arrivals):
        if keep is not None and not keep[j]:
            continue
        s = stamper.stamp(t_true.shape[1], float(arrival))
        stamped.append(s.t_s)
        truth.append(t_true[j])
        lost += s.lost
    return np.concatenate(stamped), np.concatenate(truth), lost


@pytest.mark.parametrize(("nominal_hz", "real_hz"), [(200.0, 196.0), (200.0, 201.0), (100.0, 99.9)])
def test_real_rate_is_estimated_and_stamped_with(nominal_hz: float, real_hz: float) -> None:
    rng = np.random.default_rng(0)
    t_true, arrivals = pod_stream(real_hz, 120.0, 4, 2.0, 0.0)
    arrivals += rng.exponential(0.008, arrivals.size)
    stamper = RateStamper(nominal_hz)
    t, truth, lost = stamp_all(stamper, t_true, arrivals)
    assert lost == 0  # a slow pod is not a lossy one
    est = stamper.estimate
    assert est.drift_ppm == pytest.approx((nominal_hz / real_hz - 1) * 1e6, abs=5.0)
    assert est.settled
    assert np.all(np.diff(t) > 0)
    late = truth > 60.0
    np.testing.assert_allclose(t[late], truth[late], atol=2e-3)  # pods of a session agree


def test_dropped_notifications_are_counted_at_the_real_rate() -> None:
    rng = np.random.default_rng(1)
    t_true, arrivals = pod_stream(196.0, 100.0, 4, 0.5, 0.0)
    arrivals += rng.exponential(0.008, arrivals.size)
    keep = np.ones(arrivals.size, dtype=bool)
    first_dropped = int(np.searchsorted(arrivals, 60.0))
    keep[first_dropped : first_dropped + 49] = False  # one second of notifications missing
    stamper = RateStamper(200.0)
    t, truth, lost = stamp_all(stamper, t_true, arrivals, keep)
    assert abs(lost - 49 * 4) <= 2  # the first notification after the gap has a latency too
    assert np.all(np.diff(t) > 0)
    after = truth > 62.0
    np.testing.assert_allclose(t[after], truth[after], atol=2e-3)  # not shifted by the gap


def test_a_stalled_start_re_anchors_without_repeating_times() -> None:
    """The first notification was held up 300 ms; the ones after it arrive on time."""
    t_true, arrivals = pod_stream(200.0, 25.0, 4, 1.0, 0.002)
    arrivals[0] += 0.3
    stamper = RateStamper(200.0)
    t, truth, lost = stamp_all(stamper, t_true, arrivals)
    assert lost == 0
    assert np.all(np.diff(t) > 0)
    assert stamper.estimate.resets == 1
    settled = truth > 1.0 + 0.3 / 0.02 * 1.1  # 300 ms slewed away at 2 %
    assert np.count_nonzero(settled) > 1000
    np.testing.assert_allclose(t[settled], truth[settled] + 0.002, atol=1e-6)


def test_reset_forgets_the_count_and_the_clock() -> None:
    stamper = RateStamper(100.0)
    for k in range(1, 50):
        stamper.stamp(2, 0.02 * k)
    stamper.reset()
    after = stamper.stamp(2, 30.0)
    assert after.lost == 0
    assert after.t_s[-1] == pytest.approx(30.0)
    assert stamper.estimate.n == 1


def test_witmotion_notifications_report_sync_figures() -> None:
    rng = np.random.default_rng(2)
    stats = LinkStats()
    path = WitMotionNotifications(200.0, stats)
    _, arrivals = pod_stream(198.0, 60.0, 2, 1.0, 0.0)
    latency = rng.exponential(0.006, arrivals.size)
    payload = encode_frames(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 3)))
    assert stats.sync_jitter_ms is None
    for arrival in arrivals + latency:
        path.feed(payload, float(arrival))
    assert stats.sync_drift_ppm == pytest.approx((200.0 / 198.0 - 1) * 1e6, abs=10.0)
    assert stats.sync_jitter_ms == pytest.approx(6.0 * np.log(2.0), abs=1.0)
    assert stats.sync_offset_ms is not None
    assert stats.sync_offset_ms == pytest.approx(path.stamper.estimate.offset_s * 1e3)


@settings(max_examples=40, deadline=None)
@given(
    real_hz=st.floats(180.0, 220.0),
    k=st.integers(1, 4),
    mean_latency_s=st.floats(0.0, 0.08),
    drop=st.floats(0.0, 0.5),
    seed=st.integers(0, 2**16),
)
def test_stamps_never_go_backwards(
    real_hz: float, k: int, mean_latency_s: float, drop: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    t_true, arrivals = pod_stream(real_hz, 20.0, k, 0.0, 0.0)
    arrivals += rng.exponential(mean_latency_s, arrivals.size) if mean_latency_s else 0.0
    keep = rng.random(arrivals.size) >= drop
    t, _, _ = stamp_all(RateStamper(200.0), t_true, arrivals, keep)
    assert np.all(np.diff(t) >= 0)
