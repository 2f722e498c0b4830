"""MetaMotionBleSource through bleak's real BlueZ backend against a fake MetaWear board."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from ble_helpers import Collect, add_pods, align, fast_timings, start_source, stop, wait_until
from fakebluez import FakeBlueZThread, PodSpec
from fakebluez.metamotion import ACC, GYRO, MetaMotionPeripheral

from drivers.ble.backoff import Backoff, BackoffRule
from drivers.ble.errors import ConfigRefused, LinkLost
from drivers.ble.pods import make_source
from drivers.ble.scan import scan_pods
from drivers.ble.state import ConnectionState
from drivers.ble.transport import BleakTransport
from drivers.errors import SourceError
from drivers.models.metamotion import commands
from drivers.models.metamotion.profile import Chip
from drivers.types import Placement, PodInfo, PodState

pytestmark = pytest.mark.asyncio
MMR = PodSpec("C0:FF:EE:00:04:01", "MetaWear", "metamotion", Placement.PELVIS)
MMS = PodSpec("C0:FF:EE:00:04:02", "MetaWear MMS", "metamotion", Placement.RIGHT_SHOE, seed=2)
ACC_Q_G = 1 / 2048  # ±16 g
GYRO_Q_DPS = 1 / 16.4  # ±2000 deg/s


def info(spec: PodSpec, rate_hz: float) -> PodInfo:
    return PodInfo("mm-" + spec.address[-2:], spec.placement, "metamotion", spec.address, rate_hz)


def board(fake: FakeBlueZThread, spec: PodSpec) -> MetaMotionPeripheral:
    return fake.call(fake.fake.peripheral, spec.address, MetaMotionPeripheral)


def connected(fake: FakeBlueZThread, spec: PodSpec) -> bool:
    return fake.call(lambda: fake.fake.devices[spec.address].connected)


def check_samples(fake: FakeBlueZThread, spec: PodSpec, sink: Collect, pod_id: str) -> None:
    pod = board(fake, spec)
    _, sent_acc = fake.call(lambda: pod.sensors[ACC].arrays())
    _, sent_gyro = fake.call(lambda: pod.sensors[GYRO].arrays())
    received = sink.joined(pod_id)
    n = len(received)
    i, j = align(received.acc_g, sent_acc), align(received.gyro_dps, sent_gyro)
    assert np.abs(received.acc_g - sent_acc[i : i + n]).max() <= ACC_Q_G / 2 + 1e-9
    assert np.abs(received.gyro_dps - sent_gyro[j : j + n]).max() <= GYRO_Q_DPS / 2 + 1e-9
    assert np.all(np.diff(received.t_s) > 0)


async def test_bmi160_board_streams_plain_paired_frames_and_tears_down(
    fake_bluez: FakeBlueZThread,
) -> None:
    add_pods(fake_bluez, [MMR])
    found = await scan_pods(BleakTransport(), timeout_s=0.4)
    assert [p.model.key for p in found if p.model] == ["metamotion"]
    source, sink = make_source("metamotion", info(MMR, 100.0)), Collect()
    task = start_source(source, sink)
    await wait_until(lambda: source.stats.samples >= 150, 5.0, "150 samples")
    await stop(task)

    writes = fake_bluez.call(lambda: list(board(fake_bluez, MMR).writes))
    start = commands.stream_imu(Chip.BMI160, 100.0, 16.0, 2000.0)
    assert writes[:3] == [b"\x03\x80", b"\x13\x80", *start[:1]]
    assert writes[3] == start[1] and writes[4] == b"\x11\xcc"
    assert writes[5:11] == start[2:]
    assert writes[-9:] == [*commands.stop_imu(Chip.BMI160), *commands.teardown()]
    check_samples(fake_bluez, MMR, sink, source.info.pod_id)
    stats = source.snapshot()
    assert stats.samples_lost == 0 and stats.frames_malformed == 0
    assert getattr(stats, "battery_pct", None) == 99
    assert 90.0 < stats.effective_rate_hz < 110.0
    assert not connected(fake_bluez, MMR)


async def test_bmi270_board_at_200_hz_streams_packed_frames(fake_bluez: FakeBlueZThread) -> None:
    add_pods(fake_bluez, [MMS])
    source, sink = make_source("metamotion", info(MMS, 200.0)), Collect()
    task = start_source(source, sink)
    await wait_until(lambda: source.stats.samples >= 300, 5.0, "300 samples")
    await stop(task)
    writes = fake_bluez.call(lambda: list(board(fake_bluez, MMS).writes))
    assert commands.start_acc(Chip.BMI270, packed=True)[0] in writes  # 03 05 01
    assert commands.configure_acc(Chip.BMI270, 200.0, 16.0) in writes
    check_samples(fake_bluez, MMS, sink, source.info.pod_id)
    assert source.stats.samples_lost == 0
    assert source.stats.notifications < 2 * source.stats.samples / 3 + 10  # 3 per notification


async def test_dropped_link_reconnects_with_the_gap_counted(fake_bluez: FakeBlueZThread) -> None:
    add_pods(fake_bluez, [MMR])
    source, sink = make_source("metamotion", info(MMR, 100.0)), Collect()
    task = start_source(source, sink)
    await wait_until(lambda: source.stats.samples >= 50, 5.0, "streaming")
    fake_bluez.call(fake_bluez.fake.drop_link, MMR.address)
    await wait_until(lambda: source.stats.state is PodState.LOST, 2.0, "LOST")
    before = source.stats.samples
    await wait_until(lambda: source.stats.samples > before + 50, 5.0, "data again")
    await stop(task)
    assert source.stats.reconnects == 1
    assert isinstance(getattr(source, "last_error", None), LinkLost)
    steps = np.diff(sink.joined(source.info.pod_id).t_s)
    assert np.all(steps > 0) and steps.max() > 10 / 100.0  # the gap shows, not filled in
    assert source.stats.samples_lost > 0
    assert not connected(fake_bluez, MMR)


async def test_a_refused_configuration_names_the_setting(fake_bluez: FakeBlueZThread) -> None:
    add_pods(fake_bluez, [MMR])
    fake_bluez.call(fake_bluez.fake.refuse_config, MMR.address)
    from drivers.ble.metamotion_source import MetaMotionBleSource

    once = Backoff({ConfigRefused: BackoffRule(0.01, max_retries=0)})
    source = MetaMotionBleSource(info(MMR, 100.0), backoff=once, timings=fast_timings())
    with pytest.raises(SourceError, match="MetaMotion accelerometer 100 Hz ±16 g"):
        await asyncio.wait_for(source.run(Collect()), 5.0)
    assert source.connection_state is ConnectionState.FAILED
    assert not connected(fake_bluez, MMR)
