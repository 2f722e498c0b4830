"""PolarNotifications and ImuPairer on synthetic PMD frames: no BLE, no clocks."""

from __future__ import annotations

import numpy as np
import pytest
from fakebluez.pmd_encode import delta_frame, header, uncompressed_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.notify.pairing import ImuPairer
from drivers.notify.polar import PolarNotifications
from drivers.types import LinkStats

RATE_HZ = 52
N = 26  # samples per frame: one frame every 0.5 s
DEVICE_EPOCH_NS = 847_000_000_000_000_000
FACTOR_ACC = 16_000 / 32768  # mG per count
FACTOR_GYRO = 2000 / 32768


def frames(k0: int, n_frames: int, drift_ppm: float, kind: int) -> list[tuple[bytes, float]]:
    """Frames of a ramp signal with a device clock ``drift_ppm`` fast; (payload, arrival)."""
    rng = np.random.default_rng(kind)
    out = []
    for f in range(n_frames):
        k = k0 + f * N + np.arange(N)
        raw = np.stack([k % 1000, -(k % 500), np.full(N, 7)], axis=1).astype(np.int64)
        device_ns = DEVICE_EPOCH_NS + round(k[-1] / RATE_HZ * 1e9)
        host_s = k[-1] / RATE_HZ / (1 + drift_ppm * 1e-6)
        arrival_s = host_s + 0.004 + rng.uniform(0.0, 0.010)  # latency plus jitter
        frame_type = 0x81 if kind == 2 else 0x80
        out.append((delta_frame(kind, device_ns, raw, frame_type), arrival_s))
    return out


def feed_both(decoder: PolarNotifications, acc, gyro):
    blocks = []
    for (a, ta), (g, tg) in zip(acc, gyro, strict=True):
        blocks.append(decoder.feed(a, ta))
        blocks.append(decoder.feed(g, tg))
    return [b for b in blocks if len(b)]


def decoder(gyro: bool = True) -> PolarNotifications:
    d = PolarNotifications(RATE_HZ, LinkStats(), gyro=gyro)
    d.set_factor(2, FACTOR_ACC)
    d.set_factor(5, FACTOR_GYRO)
    return d


def test_device_drift_is_absorbed_and_times_stay_monotone() -> None:
    d = decoder()
    blocks = feed_both(d, frames(0, 240, 500.0, 2), frames(0, 240, 500.0, 5))  # 2 minutes
    t_s = np.concatenate([b.t_s for b in blocks])
    k = np.arange(len(t_s))
    true_host_s = k / RATE_HZ / (1 + 500e-6)
    error_s = t_s - true_host_s
    assert np.all(np.diff(t_s) > 0)
    late = error_s[len(t_s) // 2 :]  # once the drift is estimated (60 s, 30 ms of drift)
    assert late.max() - late.min() < 0.004
    assert 0.0 < np.median(late) < 0.015  # the minimum latency, not the 30 ms drift
    assert d.stats.samples == len(t_s) == 240 * N and d.stats.samples_lost == 0
    assert d.stats.sync_drift_ppm is not None and abs(d.stats.sync_drift_ppm) == pytest.approx(
        500, abs=30
    )
    acc = np.concatenate([b.acc_g for b in blocks])
    assert acc[:, 0] == pytest.approx((k % 1000) * FACTOR_ACC / 1000)
    gyro = np.concatenate([b.gyro_dps for b in blocks])
    assert gyro[:, 1] == pytest.approx(-(k % 500) * FACTOR_GYRO)


def test_a_gap_is_counted_and_not_interpolated() -> None:
    d = decoder()
    acc, gyro = frames(0, 20, 0.0, 2), frames(0, 20, 0.0, 5)
    del acc[8:11], gyro[8:11]  # three frames (78 samples) never arrive
    blocks = feed_both(d, acc, gyro)
    t_s = np.concatenate([b.t_s for b in blocks])
    steps = np.diff(t_s)
    assert d.stats.samples_lost == 3 * N
    assert steps.max() == pytest.approx((3 * N + 1) / RATE_HZ, abs=0.005)
    assert np.sum(steps > 1.5 / RATE_HZ) == 1  # one jump, regular spacing on both sides
    assert len(t_s) == 17 * N


def test_out_of_order_unknown_and_short_frames_are_counted_and_skipped() -> None:
    d = decoder()
    acc, gyro = frames(0, 4, 0.0, 2), frames(0, 4, 0.0, 5)
    feed_both(d, acc[:3], gyro[:3])
    assert len(d.feed(acc[1][0], acc[3][1])) == 0  # a repeat of an old frame
    assert len(d.feed(b"\x00" + acc[3][0][1:], acc[3][1])) == 0  # ECG: not ours
    assert len(d.feed(acc[3][0][:12], acc[3][1])) == 0  # cut short
    assert d.stats.frames_malformed == 3 and d.stats.samples_lost == 0
    assert len(feed_both(d, acc[3:], gyro[3:])) == 1


def test_acc_only_pods_get_nan_gyro_from_uncompressed_frames() -> None:
    d = decoder(gyro=False)
    raw = np.array([[1000, -2000, 500], [1001, -1999, 501]])
    block = d.feed(uncompressed_frame(2, DEVICE_EPOCH_NS + 10**9, raw), 1.0)
    assert block.acc_g == pytest.approx(raw / 1000)
    assert np.isnan(block.gyro_dps).all() and block.t_s[1] - block.t_s[0] == pytest.approx(1 / 52)


def test_pairer_trims_the_start_then_drops_and_counts_unpaired_samples() -> None:
    pairer = ImuPairer(0.01)
    xyz = np.ones((10, 3))
    pairer.add_acc(np.arange(10) * 0.01, xyz)  # acc starts two samples before gyro
    gyro_t = np.delete(np.arange(2, 10), 3) * 0.01 + 0.002  # gyro sample 5 missing
    pairer.add_gyro(gyro_t, 2 * xyz[: len(gyro_t)])
    paired = pairer.pop()
    assert paired.t == pytest.approx([0.02, 0.03, 0.04, 0.06, 0.07, 0.08, 0.09])
    assert (paired.acc_dropped, paired.gyro_dropped) == (1, 0)  # 0, 1 trimmed; 5 dropped
    pairer.add_acc(np.array([0.10, 0.11, 0.12]), xyz[:3])
    pairer.add_gyro(np.array([0.112, 0.122]), xyz[:2])
    again = pairer.pop()
    assert again.t == pytest.approx([0.11, 0.12]) and again.acc_dropped == 1
    pairer.add_acc(np.array([0.13]), xyz[:1])
    assert pairer.clear() == 1


WHOLE_SAMPLES = st.integers(1, 10).flatmap(lambda n: st.binary(min_size=6 * n, max_size=6 * n))
FRAMES = st.builds(
    lambda kind, ts, frame_type, body: header(kind, ts, frame_type) + body,
    st.sampled_from([2, 5, 0x42]),
    st.one_of(st.integers(0, 2**64 - 1), st.integers(2**63 - 2, 2**63 + 2)),
    st.sampled_from([0x00, 0x01, 0x02, 0x80, 0x81]),
    st.one_of(st.binary(max_size=60), WHOLE_SAMPLES),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(FRAMES, st.binary(max_size=70)), min_size=1, max_size=6))
def test_arbitrary_payloads_are_counted_never_raised(payloads: list[bytes]) -> None:
    d = decoder()
    for i, payload in enumerate(payloads):
        d.feed(payload, float(i))
    stats = d.stats
    assert stats.notifications == len(payloads)
    assert stats.frames_malformed <= len(payloads) and stats.samples_lost >= 0
