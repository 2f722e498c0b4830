"""MetaMotionNotifications on hand-built MetaWear notifications: pairing in arrival order."""

from __future__ import annotations

import numpy as np
import pytest

from drivers.models.metamotion.decode import StreamConfig
from drivers.models.metamotion.profile import Chip
from drivers.notify.metamotion import MetaMotionNotifications
from drivers.types import LinkStats

CONFIG = StreamConfig(Chip.BMI160, acc_range_g=16.0, gyro_range_dps=2000.0)


def acc(*xs: int) -> bytes:
    header = b"\x03\x04" if len(xs) == 1 else b"\x03\x1c"
    return header + np.array([[x, 0, 2048] for x in xs], dtype="<i2").tobytes()


def gyro(*xs: int) -> bytes:
    header = b"\x13\x05" if len(xs) == 1 else b"\x13\x07"
    return header + np.array([[0, x, 0] for x in xs], dtype="<i2").tobytes()


def test_plain_and_packed_samples_pair_in_arrival_order() -> None:
    d = MetaMotionNotifications(100.0, LinkStats(), CONFIG)
    assert len(d.feed(acc(1), 0.010)) == 0  # waits for its gyro partner
    first = d.feed(gyro(16), 0.011)
    assert first.acc_g[:, 0] * 2048 == pytest.approx([1]) and first.gyro_dps[0, 1] == 16 / 16.4
    d.feed(acc(2, 3, 4), 0.041)
    block = d.feed(gyro(17, 18, 19), 0.042)
    assert block.acc_g[:, 0] * 2048 == pytest.approx([2, 3, 4])
    assert block.gyro_dps[:, 1] * 16.4 == pytest.approx([17, 18, 19])
    assert np.diff(block.t_s) == pytest.approx([0.01, 0.01])
    assert block.t_s[0] - first.t_s[0] == pytest.approx(0.01)
    assert d.stats.samples == 4 and d.stats.samples_lost == 0


def test_streams_that_fall_apart_are_re_paired_and_counted() -> None:
    d = MetaMotionNotifications(100.0, LinkStats(), CONFIG)
    for k in range(101):  # one second of acc with no gyro at all
        d.feed(acc(k), 0.01 * k)
    assert d.stats.samples_lost == 101 and "re-pairing" in d.stats.notes[-1]
    d.feed(acc(5), 1.02)
    d.link_lost()
    assert d.stats.samples_lost == 102
    assert len(d.feed(b"\x03\x04\x00", 1.03)) == 0 and d.stats.frames_malformed == 1


def test_a_host_stall_is_not_loss_but_a_reconnect_gap_is() -> None:
    d = MetaMotionNotifications(100.0, LinkStats(), CONFIG)
    blocks = []
    for k in range(300):  # 3 s; the host stalls 0.3 s at 1 s, then gets the backlog at once
        arrival_s = 0.003 + k / 100 if not 100 <= k < 130 else 1.30 + 1e-5 * k
        d.feed(acc(k), arrival_s)
        blocks.append(d.feed(gyro(k), arrival_s + 1e-4))
    t_s = np.concatenate([b.t_s for b in blocks])
    assert d.stats.samples_lost == 0 and len(t_s) == 300
    assert np.diff(t_s) == pytest.approx(np.full(299, 0.01), abs=2e-3)  # stall absorbed
    d.link_lost()
    d.feed(acc(0), 4.003 + 1e-4)  # 1 s of samples (100) never arrived
    after = d.feed(gyro(0), 4.0032)
    assert d.stats.samples_lost == pytest.approx(100, abs=1)
    assert after.t_s[0] - t_s[-1] == pytest.approx(1.01, abs=0.01)
