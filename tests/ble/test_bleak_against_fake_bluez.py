"""bleak's real BlueZ backend, through BleakTransport and WitMotionBleSource, against the fake.

Everything below the D-Bus socket is fake (tests/ble/fakebluez); everything above it is the
product and bleak 3.1 unmodified.
"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from ble_helpers import (
    WIT_LSB_DPS,
    WIT_LSB_G,
    Collect,
    fast_timings,
    max_abs_error,
    pod_info,
    start_source,
    stop,
    wait_until,
    witmotion_pods,
)
from fakebluez import FakeBlueZThread, PodSpec

from drivers.ble.backoff import Backoff, BackoffRule
from drivers.ble.errors import ConfigRefused, ConnectFailed, LinkLost, NotFound
from drivers.ble.scan import scan_pods
from drivers.ble.state import ConnectionState
from drivers.ble.transport import BleakTransport
from drivers.ble.witmotion_source import WitMotionBleSource
from drivers.errors import SourceError
from drivers.models.witmotion.commands import set_rate
from drivers.types import PodState

pytestmark = pytest.mark.asyncio
NOTIFY_UUID = "0000ffe4-0000-1000-8000-00805f9a34fb"


def add_pods(fake: FakeBlueZThread, specs: list[PodSpec]) -> None:
    for spec in specs:
        fake.call(fake.fake.add_pod, spec)


def sent(fake: FakeBlueZThread, address: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return fake.call(lambda: fake.fake.witmotion(address).sent.arrays())


async def test_scan_finds_pods_and_names_their_models(fake_bluez: FakeBlueZThread) -> None:
    add_pods(fake_bluez, witmotion_pods(2))
    add_pods(fake_bluez, [
        PodSpec("C0:FF:EE:00:01:01", "Polar Sense 1A2B", "polar"),
        PodSpec("C0:FF:EE:00:01:02", "MetaWear", "metamotion"),
        PodSpec("C0:FF:EE:00:01:03", "Stryd", "rsc"),
        PodSpec("C0:FF:EE:00:01:04", "Kettle", "other"),
    ])  # fmt: skip
    found = await scan_pods(BleakTransport(), timeout_s=0.6, include_unknown=True)
    models = {pod.address: pod.model.key if pod.model else None for pod in found}
    assert models == {
        "C0:FF:EE:00:00:01": "witmotion", "C0:FF:EE:00:00:02": "witmotion",
        "C0:FF:EE:00:01:01": "polar", "C0:FF:EE:00:01:02": "metamotion",
        "C0:FF:EE:00:01:03": "rsc", "C0:FF:EE:00:01:04": None,
    }  # fmt: skip
    assert all(pod.rssi_dbm is not None and pod.name for pod in found)
    known = await scan_pods(BleakTransport(), timeout_s=0.3)
    assert "C0:FF:EE:00:01:04" not in {pod.address for pod in known}


async def test_transport_connects_discovers_and_notifies(fake_bluez: FakeBlueZThread) -> None:
    (spec,) = witmotion_pods(1)
    add_pods(fake_bluez, [spec])
    transport = BleakTransport()
    await transport.connect(spec.address, timeout_s=3.0)
    uuids = {c.uuid for s in await transport.services() for c in s.characteristics}
    assert uuids == {NOTIFY_UUID, "0000ffe9-0000-1000-8000-00805f9a34fb"}
    assert transport.rssi_dbm is not None
    arrivals: list[tuple[bytes, int]] = []
    await transport.start_notify(NOTIFY_UUID, lambda p, ns: arrivals.append((p, ns)))
    await wait_until(lambda: len(arrivals) >= 2, 2.0, "notifications at the factory 10 Hz")
    assert all(len(p) == 4 * 20 and p[:2] == b"\x55\x61" for p, _ in arrivals)
    assert arrivals[1][1] > arrivals[0][1]
    await transport.disconnect()
    await transport.disconnect()  # idempotent
    assert not transport.is_connected
    assert fake_bluez.call(lambda: fake_bluez.fake.devices[spec.address].log.host_disconnects) == 1


async def test_source_configures_streams_200hz_without_loss_and_disconnects_on_cancel(
    fake_bluez: FakeBlueZThread,
) -> None:
    (spec,) = witmotion_pods(1)
    add_pods(fake_bluez, [spec])
    source, sink = WitMotionBleSource(pod_info(spec), timings=fast_timings()), Collect()
    task = start_source(source, sink)
    await wait_until(lambda: source.stats.state is PodState.STREAMING, 5.0, "streaming")
    await asyncio.sleep(2.0)
    await stop(task)

    pod = fake_bluez.fake
    assert fake_bluez.call(lambda: pod.witmotion(spec.address).writes) == set_rate(200.0)
    assert fake_bluez.call(lambda: pod.witmotion(spec.address).rate_hz) == 200.0
    device = fake_bluez.call(lambda: pod.devices[spec.address])
    assert fake_bluez.call(lambda: (device.connected, device.log.host_disconnects)) == (False, 1)
    assert source.connection_state is ConnectionState.CLOSED
    assert source.stats.state is PodState.STOPPED

    received = sink.joined(source.info.pod_id)
    _, acc_g, gyro_dps = sent(fake_bluez, spec.address)
    assert len(received) >= 380 and len(acc_g) - len(received) <= 8  # in flight at cancel
    acc_err, gyro_err = max_abs_error(received, acc_g, gyro_dps)
    assert acc_err <= WIT_LSB_G * 1.0001 and gyro_err <= WIT_LSB_DPS * 1.0001
    stats = source.snapshot()
    assert stats.samples_lost == 0 and stats.frames_malformed == 0
    assert stats.samples == len(received)
    assert 190.0 < stats.effective_rate_hz < 210.0
    steps_s = np.diff(received.t_s)  # nominal period, slewed by the stamper: no gap, no overlap
    assert steps_s.min() > 0.5 / 200.0 and steps_s.max() < 1.5 / 200.0
    assert source.stats.rssi_dbm is not None


async def test_dropped_link_goes_lost_then_reconnects_and_streams_again(
    fake_bluez: FakeBlueZThread,
) -> None:
    (spec,) = witmotion_pods(1)
    add_pods(fake_bluez, [spec])
    source, sink = WitMotionBleSource(pod_info(spec), timings=fast_timings()), Collect()
    task = start_source(source, sink)
    await wait_until(lambda: source.stats.state is PodState.STREAMING, 5.0, "streaming")
    await asyncio.sleep(0.5)
    fake_bluez.call(fake_bluez.fake.drop_link, spec.address)
    await wait_until(lambda: source.stats.state is PodState.LOST, 1.0, "LOST")
    before = sink.count(source.info.pod_id)
    await wait_until(lambda: source.stats.state is PodState.STREAMING, 5.0, "streaming again")
    await wait_until(lambda: sink.count(source.info.pod_id) > before + 100, 2.0, "new data")
    await stop(task)

    stats = source.snapshot()
    assert stats.reconnects == 1
    assert stats.samples_lost > 0
    t_s = sink.joined(source.info.pod_id).t_s
    assert np.max(np.diff(t_s)) > 10 / 200.0  # the gap shows; nothing was interpolated
    assert isinstance(source.last_error, LinkLost)
    writes = fake_bluez.call(lambda: fake_bluez.fake.witmotion(spec.address).writes)
    assert writes == set_rate(200.0) * 2  # reconfigured after the reconnect
    assert fake_bluez.call(lambda: fake_bluez.fake.devices[spec.address].connected) is False


async def test_four_pods_stream_concurrently_without_loss(fake_bluez: FakeBlueZThread) -> None:
    specs = witmotion_pods(4)
    add_pods(fake_bluez, specs)
    sink = Collect()
    sources = [WitMotionBleSource(pod_info(s), timings=fast_timings()) for s in specs]
    tasks = [start_source(source, sink) for source in sources]
    for source in sources:
        await wait_until(lambda s=source: s.stats.state is PodState.STREAMING, 8.0, "streaming")
    await asyncio.sleep(1.5)
    for task in tasks:
        await stop(task)
    for source, spec in zip(sources, specs, strict=True):
        received = sink.joined(source.info.pod_id)
        _, acc_g, gyro_dps = sent(fake_bluez, spec.address)
        assert len(received) >= 280
        assert source.stats.samples_lost == 0 and source.stats.reconnects == 0
        acc_err, gyro_err = max_abs_error(received, acc_g, gyro_dps)
        assert acc_err <= WIT_LSB_G * 1.0001 and gyro_err <= WIT_LSB_DPS * 1.0001
    assert not any(fake_bluez.call(lambda: [d.connected for d in fake_bluez.fake.devices.values()]))


async def test_connect_failures_are_typed(fake_bluez: FakeBlueZThread) -> None:
    (spec,) = witmotion_pods(1)
    add_pods(fake_bluez, [spec])
    fake_bluez.call(fake_bluez.fake.fail_connects, spec.address, 1)
    transport = BleakTransport()
    with pytest.raises(ConnectFailed, match="le-connection-abort-by-remote"):
        await transport.connect(spec.address, timeout_s=3.0)
    await transport.connect(spec.address, timeout_s=3.0)  # the next attempt succeeds
    assert transport.is_connected
    await transport.disconnect()
    with pytest.raises(NotFound):
        await BleakTransport().connect("C0:FF:EE:99:99:99", timeout_s=0.3)
    fake_bluez.call(fake_bluez.fake.stall_discovery, spec.address)
    with pytest.raises(ConnectFailed, match="timed out"):
        await transport.connect(spec.address, timeout_s=0.5)
    device = fake_bluez.call(lambda: fake_bluez.fake.devices[spec.address])
    await wait_until(lambda: not device.connected, 1.0, "bleak to cancel the stalled connect")


async def test_source_retries_refused_connects_then_streams(fake_bluez: FakeBlueZThread) -> None:
    (spec,) = witmotion_pods(1)
    add_pods(fake_bluez, [spec])
    fake_bluez.call(fake_bluez.fake.fail_connects, spec.address, 2)
    backoff = Backoff({ConnectFailed: BackoffRule(first_s=0.05)})
    source = WitMotionBleSource(pod_info(spec), backoff=backoff, timings=fast_timings())
    task = start_source(source, Collect())
    await wait_until(lambda: source.stats.state is PodState.STREAMING, 5.0, "streaming")
    await stop(task)
    assert fake_bluez.call(lambda: fake_bluez.fake.devices[spec.address].log.refused_connects) == 2
    assert source.stats.reconnects == 0  # never streamed before: not a re-connection
    assert sum("le-connection-abort-by-remote" in note for note in source.stats.notes) == 2


async def test_refused_config_names_the_setting_and_gives_up_disconnected(
    fake_bluez: FakeBlueZThread,
) -> None:
    (spec,) = witmotion_pods(1)
    add_pods(fake_bluez, [spec])
    fake_bluez.call(fake_bluez.fake.refuse_config, spec.address)
    backoff = Backoff({ConfigRefused: BackoffRule(first_s=0.05, max_retries=1)})
    source = WitMotionBleSource(pod_info(spec), backoff=backoff, timings=fast_timings())
    with pytest.raises(SourceError, match="output rate 200 Hz"):
        await asyncio.wait_for(source.run(Collect()), 5.0)
    assert isinstance(source.last_error, ConfigRefused)
    assert source.last_error.setting == "output rate 200 Hz"
    assert source.connection_state is ConnectionState.FAILED
    assert source.stats.state is PodState.STOPPED
    device = fake_bluez.call(lambda: fake_bluez.fake.devices[spec.address])
    assert fake_bluez.call(lambda: (device.connected, device.log.connects)) == (False, 2)
