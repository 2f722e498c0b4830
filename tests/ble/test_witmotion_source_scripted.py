"""WitMotionBleSource against a scripted in-memory transport: no D-Bus, no bleak, no radio."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest
from ble_helpers import Collect, stop, wait_until

from drivers.ble.backoff import Backoff, BackoffRule
from drivers.ble.errors import BleError, ConnectFailed, GattError, LinkLost
from drivers.ble.link import Advertisement, GattCharacteristic, GattService, NotifyCallback
from drivers.ble.state import ConnectionState
from drivers.ble.witmotion_source import LinkTimings, WitMotionBleSource
from drivers.clock_sync import SessionClock
from drivers.errors import GaitdeckError
from drivers.models.witmotion.commands import encode_frames, set_rate
from drivers.models.witmotion.profile import WITMOTION
from drivers.types import Placement, PodInfo, PodState

pytestmark = pytest.mark.asyncio
INFO = PodInfo("trunk", Placement.TRUNK, "witmotion", "AA:BB:CC:DD:EE:01", 200.0)
FAST = LinkTimings(connect_timeout_s=1.0, silence_s=0.3, command_gap_s=0.0)
QUICK = Backoff({cls: BackoffRule(first_s=0.01) for cls in (LinkLost, ConnectFailed, GattError)})


def wit_services(*, with_write: bool = True) -> tuple[GattService, ...]:
    chars = [GattCharacteristic(WITMOTION.notify_uuid, 11, frozenset({"notify"}))]
    if with_write:
        chars.append(GattCharacteristic(WITMOTION.write_uuid, 14, frozenset({"write"})))
    return (GattService(WITMOTION.service_uuid, tuple(chars)),)


class ScriptedTransport:
    """Records calls; connect errors are scripted; notifications are pushed by the test."""

    def __init__(self) -> None:
        self.on_disconnect = None
        self.connected = False
        self.connect_errors: list[BleError] = []
        self.services_value = wit_services()
        self.writes: list[tuple[bytes, bool]] = []
        self.callback: NotifyCallback | None = None
        self.connects = self.disconnects = 0

    @property
    def is_connected(self) -> bool:
        return self.connected

    @property
    def rssi_dbm(self) -> int | None:
        return -61

    async def scan(self, timeout_s: float) -> list[Advertisement]:
        return []

    async def connect(self, address: str, timeout_s: float) -> None:
        self.connects += 1
        if self.connect_errors:
            raise self.connect_errors.pop(0)
        self.connected = True

    async def services(self) -> tuple[GattService, ...]:
        return self.services_value

    async def write(self, char_uuid: str, data: bytes, *, response: bool = True) -> None:
        self.writes.append((data, response))

    async def read(self, char_uuid: str) -> bytes:
        return b""

    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None:
        self.callback = callback

    async def stop_notify(self, char_uuid: str) -> None:
        self.callback = None

    async def disconnect(self) -> None:
        if self.connected:
            self.disconnects += 1
        self.connected = False
        self.callback = None

    def notify(self, frames: int, arrival_ns: int) -> None:
        assert self.callback is not None
        acc = np.tile([0.0, 0.0, 1.0], (frames, 1))
        self.callback(encode_frames(acc, np.zeros((frames, 3)), np.zeros((frames, 3))), arrival_ns)

    def drop(self) -> None:
        self.connected = False
        self.callback = None
        if self.on_disconnect is not None:
            self.on_disconnect()


def make_source(transport: ScriptedTransport) -> WitMotionBleSource:
    return WitMotionBleSource(INFO, transport, clock=SessionClock(0), backoff=QUICK, timings=FAST)


async def test_configures_then_streams_decoded_blocks() -> None:
    transport, sink = ScriptedTransport(), Collect()
    source = make_source(transport)
    task = asyncio.create_task(source.run(sink))
    await wait_until(lambda: transport.callback is not None, 1.0, "subscribed")
    assert [data for data, _ in transport.writes] == set_rate(200.0)
    assert all(response for _, response in transport.writes)
    for k in range(10):
        transport.notify(4, 1_000_000_000 + k * 20_000_000)
    await stop(task)
    block = sink.joined("trunk")
    assert len(block) == 40 and np.allclose(block.acc_g[:, 2], 1.0, atol=1e-3)
    assert np.allclose(np.diff(block.t_s), 0.005)
    assert source.stats.rssi_dbm == -61 and source.stats.samples_lost == 0
    assert transport.disconnects == 1 and source.connection_state is ConnectionState.CLOSED


async def test_lost_link_reconnects_counts_the_gap_and_the_reconnect() -> None:
    transport, sink = ScriptedTransport(), Collect()
    source = make_source(transport)
    task = asyncio.create_task(source.run(sink))
    await wait_until(lambda: transport.callback is not None, 1.0, "subscribed")
    transport.notify(4, 1_000_000_000)
    transport.notify(4, 1_020_000_000)
    transport.drop()
    await wait_until(lambda: source.stats.state is PodState.LOST, 1.0, "LOST")
    await wait_until(lambda: transport.callback is not None, 1.0, "resubscribed")
    transport.notify(4, 2_020_000_000)  # 0.98 s after the next sample was due: 196 missing
    await stop(task)
    assert source.stats.reconnects == 1 and transport.connects == 2
    assert source.stats.samples_lost == 196
    t_s = sink.joined("trunk").t_s
    assert t_s[8] - t_s[7] == pytest.approx(0.985)  # the gap is in the time stamps
    assert len(transport.writes) == 6  # configured again


async def test_silent_pod_is_treated_as_a_lost_link() -> None:
    transport = ScriptedTransport()
    source = make_source(transport)
    task = asyncio.create_task(source.run(Collect()))
    await wait_until(lambda: transport.callback is not None, 1.0, "subscribed")
    transport.notify(4, time.monotonic_ns())
    await wait_until(lambda: transport.connects == 2, 2.0, "a reconnect after silence")
    await stop(task)
    assert any("silent" in note for note in source.stats.notes)


async def test_not_a_witmotion_pod_is_a_gatt_error_and_retried() -> None:
    transport = ScriptedTransport()
    transport.services_value = wit_services(with_write=False)
    source = make_source(transport)
    task = asyncio.create_task(source.run(Collect()))
    await wait_until(lambda: transport.connects >= 2, 1.0, "a retry")
    await stop(task)
    assert isinstance(source.last_error, GattError) and "not a WitMotion" in str(source.last_error)
    assert transport.writes == [] and not transport.connected


async def test_cancel_while_connecting_leaves_nothing_connected() -> None:
    transport = ScriptedTransport()
    transport.connect_errors = [ConnectFailed("busy")] * 1000
    source = make_source(transport)
    task = asyncio.create_task(source.run(Collect()))
    await wait_until(lambda: transport.connects >= 3, 1.0, "retries")
    await stop(task)
    assert source.stats.state is PodState.STOPPED and not transport.connected
    assert source.connection_state is ConnectionState.CLOSED
    assert len(source.stats.notes) <= 10  # bounded


async def test_watchdog_declared_silence_then_data_counts_as_recovery() -> None:
    transport = ScriptedTransport()
    source = make_source(transport)
    task = asyncio.create_task(source.run(Collect()))
    await wait_until(lambda: transport.callback is not None, 1.0, "subscribed")
    transport.notify(4, time.monotonic_ns())
    source.set_state(PodState.LOST)  # what SilenceWatchdog does
    transport.notify(4, time.monotonic_ns())
    await stop(task)
    assert source.stats.reconnects == 1


async def test_an_unsupported_rate_is_refused_when_the_source_is_built() -> None:
    bad = PodInfo("trunk", Placement.TRUNK, "witmotion", "AA:BB:CC:DD:EE:01", 416.0)
    with pytest.raises(GaitdeckError, match="416 Hz"):
        WitMotionBleSource(bad, ScriptedTransport())
