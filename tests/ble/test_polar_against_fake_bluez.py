"""PolarBleSource through bleak's real BlueZ backend against a fake Verity Sense / H10."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from ble_helpers import Collect, add_pods, align, fast_timings, start_source, stop, wait_until
from fakebluez import FakeBlueZThread, PodSpec
from fakebluez.polar import ACC, GYRO, PolarPeripheral

from drivers.ble.backoff import Backoff, BackoffRule
from drivers.ble.errors import ConfigRefused, LinkLost
from drivers.ble.polar_source import PolarBleSource
from drivers.ble.scan import scan_pods
from drivers.ble.state import ConnectionState
from drivers.ble.transport import BleakTransport
from drivers.errors import SourceError
from drivers.types import Placement, PodInfo, PodState

pytestmark = pytest.mark.asyncio
VERITY = PodSpec("C0:FF:EE:00:02:01", "Polar Sense 1A2B3C4D", "polar", Placement.LEFT_SHOE)
H10 = PodSpec("C0:FF:EE:00:02:02", "Polar H10 5E6F7A8B", "polar", Placement.TRUNK, seed=1)
ACC_Q_G = 16.0 / 32768  # ±16 G in SDK mode
GYRO_Q_DPS = 2000.0 / 32768


def info(spec: PodSpec, rate_hz: float) -> PodInfo:
    return PodInfo("polar-" + spec.address[-2:], spec.placement, "polar", spec.address, rate_hz)


def polar(fake: FakeBlueZThread, spec: PodSpec) -> PolarPeripheral:
    return fake.call(fake.fake.peripheral, spec.address, PolarPeripheral)


def connected(fake: FakeBlueZThread, spec: PodSpec) -> bool:
    return fake.call(lambda: fake.fake.devices[spec.address].connected)


async def test_verity_sense_streams_paired_acc_and_gyro_on_the_session_clock(
    fake_bluez: FakeBlueZThread,
) -> None:
    add_pods(fake_bluez, [VERITY])
    found = await scan_pods(BleakTransport(), timeout_s=0.4)
    assert [(p.address, p.model.key if p.model else None) for p in found] == [
        (VERITY.address, "polar")
    ]
    source, sink = PolarBleSource(info(VERITY, 208.0), timings=fast_timings()), Collect()
    task = start_source(source, sink)
    await wait_until(lambda: source.stats.state is PodState.STREAMING, 5.0, "streaming")
    await wait_until(lambda: source.stats.samples >= 400, 4.0, "400 samples")
    await stop(task)

    pod = polar(fake_bluez, VERITY)
    commands = fake_bluez.call(lambda: list(pod.commands))
    assert commands[:2] == [bytes.fromhex("0102"), bytes.fromhex("0209")]  # SDK mode for 208 Hz
    assert bytes.fromhex("02 02 00 01 d0 00 01 01 10 00 02 01 10 00 04 01 03") in commands
    assert commands[-3:] == [bytes.fromhex("0305"), bytes.fromhex("0302"), bytes.fromhex("0309")]
    assert not connected(fake_bluez, VERITY) and source.connection_state is ConnectionState.CLOSED
    assert source.stats.battery_pct == 87 and source.stats.rssi_dbm is not None

    received = sink.joined(source.info.pod_id)
    sent_t, sent_acc = fake_bluez.call(lambda: pod.logs[ACC].arrays())
    _, sent_gyro = fake_bluez.call(lambda: pod.logs[GYRO].arrays())
    i = align(received.acc_g, sent_acc)
    j = align(received.gyro_dps, sent_gyro)
    n = len(received)
    assert np.abs(received.acc_g - sent_acc[i : i + n]).max() <= ACC_Q_G / 2 + 1e-9
    assert np.abs(received.gyro_dps - sent_gyro[j : j + n]).max() <= GYRO_Q_DPS / 2 + 1e-9
    assert np.all(np.diff(received.t_s) > 0)
    lag_s = received.t_s - sent_t[i : i + n]  # session clock vs the fake's host clock
    assert np.abs(np.diff(lag_s)).max() < 0.001  # device times mapped smoothly, no jumps
    assert lag_s.max() - lag_s.min() < 0.05  # and only slewed while the envelope settles
    assert source.stats.samples_lost == 0 and source.stats.frames_malformed == 0
    assert 180.0 < source.stats.effective_rate_hz < 240.0


async def test_dropped_link_reconnects_and_counts_the_gap_from_device_time(
    fake_bluez: FakeBlueZThread,
) -> None:
    add_pods(fake_bluez, [VERITY])
    source, sink = PolarBleSource(info(VERITY, 208.0), timings=fast_timings()), Collect()
    task = start_source(source, sink)
    await wait_until(lambda: source.stats.samples >= 100, 5.0, "streaming")
    fake_bluez.call(fake_bluez.fake.drop_link, VERITY.address)
    await wait_until(lambda: source.stats.state is PodState.LOST, 2.0, "LOST")
    before = source.stats.samples
    await wait_until(lambda: source.stats.samples > before + 100, 5.0, "data again")
    await stop(task)

    assert source.stats.reconnects == 1 and isinstance(source.last_error, LinkLost)
    t_s = sink.joined(source.info.pod_id).t_s
    steps = np.diff(t_s)
    assert np.all(steps > 0)
    gap = steps.max()
    assert gap > 20 / 208.0  # the outage shows in the times: nothing was interpolated
    assert np.sum(steps > 3 / 208.0) == 1
    assert source.stats.samples_lost == pytest.approx(gap * 208.0, rel=0.25)
    pod = polar(fake_bluez, VERITY)
    starts = fake_bluez.call(lambda: pod.commands.count(b"\x02\x09"))
    assert starts == 2 and not connected(fake_bluez, VERITY)


async def test_a_refused_start_names_the_setting_and_gives_up_disconnected(
    fake_bluez: FakeBlueZThread,
) -> None:
    add_pods(fake_bluez, [VERITY])
    fake_bluez.call(fake_bluez.fake.refuse_config, VERITY.address)
    backoff = Backoff({ConfigRefused: BackoffRule(first_s=0.05, max_retries=1)})
    source = PolarBleSource(info(VERITY, 416.0), backoff=backoff, timings=fast_timings())
    with pytest.raises(SourceError, match="Polar ACC sample rate 416 Hz: INVALID_PARAMETER"):
        await asyncio.wait_for(source.run(Collect()), 5.0)
    assert isinstance(source.last_error, ConfigRefused)
    assert source.connection_state is ConnectionState.FAILED
    assert not connected(fake_bluez, VERITY)


async def test_h10_streams_uncompressed_acc_with_nan_gyro_and_refuses_208_hz(
    fake_bluez: FakeBlueZThread,
) -> None:
    add_pods(fake_bluez, [H10])
    source, sink = PolarBleSource(info(H10, 200.0), timings=fast_timings()), Collect()
    task = start_source(source, sink)
    await wait_until(lambda: source.stats.samples >= 150, 5.0, "streaming")
    await stop(task)
    received = sink.joined(source.info.pod_id)
    pod = polar(fake_bluez, H10)
    _, sent_acc = fake_bluez.call(lambda: pod.logs[ACC].arrays())
    i = align(received.acc_g, sent_acc)
    expected = sent_acc[i : i + len(received)]
    assert np.abs(received.acc_g - expected).max() <= 0.0005 + 1e-9  # whole mG
    assert np.isnan(received.gyro_dps).all()
    assert not connected(fake_bluez, H10)

    once = Backoff({ConfigRefused: BackoffRule(0.01, max_retries=0)})
    refused = PolarBleSource(info(H10, 208.0), timings=fast_timings(), backoff=once)
    with pytest.raises(SourceError, match="Polar ACC sample rate 208 Hz: offers 25, 50, 100, 200"):
        await asyncio.wait_for(refused.run(Collect()), 5.0)
    assert not connected(fake_bluez, H10)
