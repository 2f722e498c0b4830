"""DeviceTimeMapper against synthetic links whose offset, drift and latency are known.

A pod's clock runs at ``device · (1 + drift) + offset`` on the session clock; each
notification arrives a random, non-negative latency later. The mapper sees only device
times and arrivals and must recover the line under them.
"""

from __future__ import annotations

import tracemalloc
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.clock_sync import DeviceTimeMapper
from drivers.types import FloatArray


@dataclass(frozen=True)
class Link:
    """Notifications every ``interval_s`` of device time, carrying ``samples`` samples."""

    offset_s: float = 3.25
    drift_ppm: float = 0.0
    interval_s: float = 0.02
    samples: int = 4
    device_start_s: float = 0.0

    def device_s(self, seconds: float) -> FloatArray:
        return self.device_start_s + np.arange(self.interval_s, seconds, self.interval_s)

    def session_s(self, device_s: FloatArray) -> FloatArray:
        """Ground truth: where the device times lie on the session clock."""
        return (
            (device_s - self.device_start_s) * (1 + self.drift_ppm * 1e-6)
            + self.offset_s
            + self.device_start_s
        )

    def true_offset_s(self, device_s: float) -> float:
        return float(self.session_s(np.array([device_s]))[0]) - device_s


def exponential(rng: np.random.Generator, n: int, mean_s: float = 0.008) -> FloatArray:
    return rng.exponential(mean_s, n)


def bursty(rng: np.random.Generator, device_s: FloatArray) -> FloatArray:
    """Exponential latency; every 10 s a 300-ms stall whose notifications queue and leave
    together at its end, and a 1-s spell of 50–150 ms extra delay."""
    latency = exponential(rng, device_s.size)
    phase = np.mod(device_s, 10.0)
    stalled = (phase > 5.0) & (phase < 5.3)
    latency[stalled] += 5.3 - phase[stalled]
    slow = (phase > 8.0) & (phase < 9.0)
    latency[slow] += 0.05 + 0.1 * rng.random(int(slow.sum()))
    return latency


def run(
    mapper: DeviceTimeMapper,
    link: Link,
    device_s: FloatArray,
    latency_s: FloatArray,
    keep: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Observe every kept notification and stamp its samples; returns (device, session)."""
    arrival_s = link.session_s(device_s) + latency_s
    period_s = link.interval_s / link.samples
    offsets = period_s * np.arange(1 - link.samples, 1)
    out_device, out_t = [], []
    for k, (d, a) in enumerate(zip(device_s, arrival_s, strict=True)):
        if keep is not None and not keep[k]:
            continue
        mapper.observe(float(d), float(a))
        samples = d + offsets
        out_device.append(samples)
        out_t.append(mapper.to_session_s(samples))
    return np.concatenate(out_device), np.concatenate(out_t)


def assert_recovered(mapper: DeviceTimeMapper, link: Link, drift_tol_ppm: float = 3.0) -> None:
    est = mapper.estimate
    assert est.settled
    assert est.drift_ppm == pytest.approx(link.drift_ppm, abs=drift_tol_ppm)
    assert est.offset_s == pytest.approx(link.true_offset_s(est.ref_device_s), abs=2e-3)


@pytest.mark.parametrize("drift_ppm", [50.0, -50.0, 500.0, -500.0, 20_000.0])
def test_offset_and_drift_are_recovered_through_exponential_latency(drift_ppm: float) -> None:
    rng = np.random.default_rng(1)
    link = Link(drift_ppm=drift_ppm)
    device_s = link.device_s(120.0)
    mapper = DeviceTimeMapper()
    dev, t = run(mapper, link, device_s, exponential(rng, device_s.size))
    assert_recovered(mapper, link)
    assert np.all(np.diff(t) > 0)
    late = dev > 60.0
    np.testing.assert_allclose(t[late], link.session_s(dev[late]), atol=2e-3)


def test_bursts_of_late_notifications_and_drops_do_not_move_the_envelope() -> None:
    rng = np.random.default_rng(2)
    link = Link(drift_ppm=-300.0, offset_s=-41.0)
    device_s = link.device_s(180.0)
    keep = rng.random(device_s.size) > 0.3  # a third of the notifications never arrive
    mapper = DeviceTimeMapper()
    dev, t = run(mapper, link, device_s, bursty(rng, device_s), keep)
    assert_recovered(mapper, link)
    assert mapper.estimate.resets == 0
    assert np.all(np.diff(t) > 0)
    late = dev > 60.0
    np.testing.assert_allclose(t[late], link.session_s(dev[late]), atol=2e-3)


def test_polar_epoch_timestamps_with_sparse_frames() -> None:
    """Polar stamps frames in ns since 2000 (~8e8 s); frames come a few per second."""
    rng = np.random.default_rng(3)
    link = Link(drift_ppm=35.0, interval_s=0.3, samples=16, device_start_s=8.1e8)
    device_s = link.device_s(200.0)
    mapper = DeviceTimeMapper()
    dev, t = run(mapper, link, device_s, exponential(rng, device_s.size, 0.03))
    assert_recovered(mapper, link)
    assert np.all(np.diff(t) > 0)
    late = dev > dev[0] + 100.0
    np.testing.assert_allclose(t[late], link.session_s(dev[late]), atol=2e-3)


def test_jitter_is_the_median_latency_above_the_envelope() -> None:
    rng = np.random.default_rng(4)
    link = Link(drift_ppm=100.0)
    device_s = link.device_s(60.0)
    mapper = DeviceTimeMapper()
    run(mapper, link, device_s, exponential(rng, device_s.size, 0.010))
    est = mapper.estimate
    assert est.jitter_ms == pytest.approx(10.0 * np.log(2.0), abs=1.5)
    assert est.jitter_p90_ms == pytest.approx(10.0 * np.log(10.0), abs=4.0)
    assert est.n == device_s.size


def test_late_first_anchor_is_slewed_away_without_going_backwards() -> None:
    link = Link(drift_ppm=0.0)
    device_s = link.device_s(10.0)
    latency = np.zeros(device_s.size)
    latency[0] = 0.050  # the first notification was 50 ms late
    mapper = DeviceTimeMapper(max_slew_ppm=20_000.0)
    dev, t = run(mapper, link, device_s, latency)
    period_s = link.interval_s / link.samples
    assert np.all(np.diff(t) >= period_s * (1 - 0.02) - 1e-12)  # slewed, never jumped
    assert t[0] > link.session_s(dev[:1])[0] + 0.049  # the first times really were late
    settled = dev > 0.050 / 0.02 + 0.1
    np.testing.assert_allclose(t[settled], link.session_s(dev[settled]), atol=1e-9)


def test_device_clock_reset_re_anchors_and_keeps_times_in_order() -> None:
    """The pod reconnects after a 3-s outage with its clock restarted from zero."""
    rng = np.random.default_rng(5)
    before = Link(drift_ppm=200.0, offset_s=1.0)
    after = Link(drift_ppm=200.0, offset_s=before.session_s(np.array([63.0]))[0])
    mapper = DeviceTimeMapper()
    d1 = before.device_s(60.0)
    _, t1 = run(mapper, before, d1, exponential(rng, d1.size))
    d2 = after.device_s(90.0)
    dev2, t2 = run(mapper, after, d2, exponential(rng, d2.size))
    assert mapper.estimate.resets == 1
    assert t2[0] > t1[-1]
    assert np.all(np.diff(t2) > 0)
    assert_recovered(mapper, after)
    late = dev2 > 45.0
    np.testing.assert_allclose(t2[late], after.session_s(dev2[late]), atol=2e-3)


def test_device_clock_jumping_ahead_is_a_reset() -> None:
    link = Link()
    mapper = DeviceTimeMapper()
    for d in link.device_s(5.0):
        mapper.observe(float(d), float(link.session_s(np.array([d]))[0]))
    mapper.observe(5000.0, float(link.session_s(np.array([5.0]))[0]))
    assert mapper.estimate.resets == 1
    assert mapper.estimate.n == 1


def test_memory_stays_bounded_over_a_long_session() -> None:
    rng = np.random.default_rng(6)
    mapper = DeviceTimeMapper(bucket_s=1.0, window_s=60.0, jitter_window=128)
    link = Link(drift_ppm=80.0)
    device_s = link.device_s(2000.0)  # 1e5 notifications
    arrival_s = link.session_s(device_s) + exponential(rng, device_s.size)
    tracemalloc.start()
    try:
        for k, (d, a) in enumerate(zip(device_s, arrival_s, strict=True)):
            mapper.observe(float(d), float(a))
            if k == 20_000:
                held_early = tracemalloc.get_traced_memory()[0]
                points_early = mapper.window_points
        held_late = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert device_s.size >= 99_999
    assert mapper.window_points == points_early <= 61
    assert held_late - held_early < 20_000  # bytes: nothing grows with the session


def test_nothing_to_map_before_the_first_observation() -> None:
    mapper = DeviceTimeMapper()
    assert mapper.estimate.n == 0
    assert mapper.envelope_s(1.0) is None
    with pytest.raises(RuntimeError):
        mapper.to_session_s(np.array([1.0]))


def test_parameters_are_keyword_only_and_checked() -> None:
    with pytest.raises(TypeError):
        DeviceTimeMapper(1.0)  # type: ignore[misc]
    with pytest.raises(ValueError):
        DeviceTimeMapper(bucket_s=1.0, window_s=1.5)


@settings(max_examples=40, deadline=None)
@given(
    drift_ppm=st.floats(-20_000.0, 20_000.0),
    offset_s=st.floats(-1e4, 1e4),
    mean_latency_s=st.floats(0.0, 0.05),
    drop=st.floats(0.0, 0.6),
    chunk=st.integers(1, 9),
    seed=st.integers(0, 2**16),
)
def test_times_never_go_backwards(
    drift_ppm: float, offset_s: float, mean_latency_s: float, drop: float, chunk: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    link = Link(drift_ppm=drift_ppm, offset_s=offset_s, samples=chunk)
    device_s = link.device_s(30.0)
    latency = rng.exponential(mean_latency_s, device_s.size) if mean_latency_s else 0.0
    keep = rng.random(device_s.size) >= drop
    _, t = run(DeviceTimeMapper(), link, device_s, np.zeros(device_s.size) + latency, keep)
    assert np.all(np.diff(t) >= 0)


@settings(max_examples=40, deadline=None)
@given(drift_ppm=st.floats(-20_000.0, 20_000.0), offset_s=st.floats(-1e4, 1e4))
def test_without_latency_the_mapping_converges_to_the_truth(
    drift_ppm: float, offset_s: float
) -> None:
    link = Link(drift_ppm=drift_ppm, offset_s=offset_s)
    device_s = link.device_s(40.0)
    dev, t = run(DeviceTimeMapper(), link, device_s, np.zeros(device_s.size))
    late = dev > 30.0
    np.testing.assert_allclose(t[late], link.session_s(dev[late]), atol=1e-6)


def test_a_reset_never_hands_out_earlier_times_than_before() -> None:
    """The first anchor was 300 ms late; the pod's clock restarts before that is slewed."""
    mapper = DeviceTimeMapper()
    mapper.observe(10.0, 1.3)
    before = mapper.to_session_s(np.array([9.99, 10.0]))
    mapper.observe(0.02, 1.05)  # device clock back near zero: a reset, arriving early
    after = mapper.to_session_s(np.array([0.01, 0.02]))
    assert mapper.estimate.resets == 1
    assert after[0] > before[-1]
    assert np.all(np.diff(after) > 0)


@settings(max_examples=40, deadline=None)
@given(
    restarts=st.lists(
        st.tuples(st.floats(0.5, 20.0), st.floats(-0.4, 3.0), st.floats(0.0, 1e6)),
        min_size=1,
        max_size=4,
    ),
    seed=st.integers(0, 2**16),
)
def test_times_never_go_backwards_across_device_clock_restarts(
    restarts: list[tuple[float, float, float]], seed: int
) -> None:
    """Segments of (duration, pause before the next, device clock start): each restart is
    a new device clock, arriving after a pause that may even be negative (a late backlog)."""
    rng = np.random.default_rng(seed)
    mapper = DeviceTimeMapper()
    session_s, out = 0.0, []
    for duration_s, pause_s, device_start_s in restarts:
        link = Link(offset_s=session_s - device_start_s, device_start_s=device_start_s)
        device_s = link.device_s(duration_s)
        _, t = run(mapper, link, device_s, rng.exponential(0.01, device_s.size))
        out.append(t)
        session_s += duration_s + pause_s
    assert np.all(np.diff(np.concatenate(out)) >= 0)
