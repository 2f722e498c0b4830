"""The shared BLE source cycle, the Polar control point and the factory, on a scripted GATT."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from ble_helpers import Collect, stop, wait_until

from drivers.ble.backoff import Backoff, BackoffRule
from drivers.ble.errors import GattError, LinkLost
from drivers.ble.link import Advertisement, GattCharacteristic, GattService, NotifyCallback
from drivers.ble.metamotion_source import MetaMotionBleSource
from drivers.ble.pod_source import BATTERY_LEVEL_UUID, LinkTimings
from drivers.ble.pods import default_rate_hz, make_source, supported_models
from drivers.ble.polar_control import PmdControl
from drivers.ble.polar_source import PolarBleSource
from drivers.ble.rsc_source import RscBleSource
from drivers.ble.witmotion_source import WitMotionBleSource
from drivers.clock_sync import SessionClock
from drivers.errors import GaitdeckError
from drivers.models.polar.profile import PMD_CONTROL_POINT_UUID, PMD_DATA_UUID, PMD_SERVICE_UUID
from drivers.models.rsc.profile import RSC_MEASUREMENT_UUID, RSC_SERVICE_UUID
from drivers.types import Placement, PodInfo, PodState

pytestmark = pytest.mark.asyncio
FAST = LinkTimings(connect_timeout_s=1.0, silence_s=0.5, command_gap_s=0.0, response_timeout_s=0.2)
QUICK = Backoff({cls: BackoffRule(first_s=0.01) for cls in (LinkLost, GattError)})
Responder = Callable[["ScriptedGatt", str, bytes], None]


def service(uuid: str, *chars: tuple[str, str]) -> GattService:
    return GattService(
        uuid, tuple(GattCharacteristic(c, i, frozenset({p})) for i, (c, p) in enumerate(chars))
    )


class ScriptedGatt:
    """A connected-on-demand pod: reads from ``values``, writes answered by ``responder``."""

    def __init__(self, services: tuple[GattService, ...], values: dict[str, bytes]) -> None:
        self.on_disconnect = None
        self.connected = False
        self.services_value = services
        self.values = values
        self.writes: list[bytes] = []
        self.callbacks: dict[str, NotifyCallback] = {}
        self.responder: Responder | None = None
        self.connects = 0

    @property
    def is_connected(self) -> bool:
        return self.connected

    @property
    def rssi_dbm(self) -> int | None:
        return None

    async def scan(self, timeout_s: float) -> list[Advertisement]:
        return []

    async def connect(self, address: str, timeout_s: float) -> None:
        self.connects += 1
        self.connected = True

    async def services(self) -> tuple[GattService, ...]:
        return self.services_value

    async def write(self, char_uuid: str, data: bytes, *, response: bool = True) -> None:
        self.writes.append(data)
        if self.responder is not None:
            self.responder(self, char_uuid, data)

    async def read(self, char_uuid: str) -> bytes:
        if char_uuid not in self.values:
            raise GattError("read not permitted")
        return self.values[char_uuid]

    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None:
        self.callbacks[char_uuid] = callback

    async def stop_notify(self, char_uuid: str) -> None:
        self.callbacks.pop(char_uuid, None)

    async def disconnect(self) -> None:
        self.connected = False
        self.callbacks.clear()

    def push(self, char_uuid: str, payload: bytes) -> None:
        asyncio.get_running_loop().call_soon(self.callbacks[char_uuid], payload, 0)


def info(model: str, rate_hz: float) -> PodInfo:
    return PodInfo("pod", Placement.TRUNK, model, "AA:BB:CC:DD:EE:01", rate_hz)


def rsc_pod(battery: bytes | None) -> ScriptedGatt:
    services = [service(RSC_SERVICE_UUID, (RSC_MEASUREMENT_UUID, "notify"))]
    values = {}
    if battery is not None:
        services.append(
            service("0000180f-0000-1000-8000-00805f9b34fb", (BATTERY_LEVEL_UUID, "read"))
        )
        values[BATTERY_LEVEL_UUID] = battery
    return ScriptedGatt(tuple(services), values)


@pytest.mark.parametrize(("battery", "expected"), [(b"\x2a", 42), (b"\xff", None), (None, None)])
async def test_battery_level_is_read_after_connect_when_offered(
    battery: bytes | None, expected: int | None
) -> None:
    pod = rsc_pod(battery)
    source = RscBleSource(info("rsc", 1.0), pod, clock=SessionClock(0), timings=FAST)
    task = asyncio.create_task(source.run(Collect()))
    await wait_until(lambda: RSC_MEASUREMENT_UUID in pod.callbacks, 1.0, "subscribed")
    pod.push(RSC_MEASUREMENT_UUID, bytes([0x04, 0x00, 0x03, 0xAC]))  # 3.0 m/s, 172 /min
    await wait_until(lambda: source.latest_reading() is not None, 1.0, "a reading")
    await stop(task)
    assert source.stats.battery_pct == expected
    reading = source.latest_reading()
    assert reading is not None and (reading.speed_m_s, reading.cadence_per_min) == (3.0, 172)
    assert source.stats.state is PodState.STOPPED and not pod.connected


def polar_pod(*, already_running: bool = False) -> ScriptedGatt:
    pmd = service(PMD_SERVICE_UUID, (PMD_CONTROL_POINT_UUID, "indicate"), (PMD_DATA_UUID, "notify"))
    pod = ScriptedGatt((pmd,), {PMD_CONTROL_POINT_UUID: bytes([0x0F, 0x04, 0x00])})  # ACC only
    running = {already_running}

    def respond(gatt: ScriptedGatt, _uuid: str, data: bytes) -> None:
        status = 0
        if data[0] == 0x02:
            status = 6 if running.pop() else 0
            running.add(True)
        elif data[0] == 0x03:
            running.clear()
            running.add(False)
        params = bytes.fromhex("00 01 c8 00 01 01 10 00 02 01 08 00") if data[0] == 1 else b""
        gatt.push(PMD_CONTROL_POINT_UUID, bytes([0xF0, data[0], data[1], status, 0]) + params)

    pod.responder = respond
    return pod


async def test_polar_restarts_a_stream_left_running_and_stops_it_on_close() -> None:
    pod = polar_pod(already_running=True)
    source = PolarBleSource(info("polar", 200.0), pod, clock=SessionClock(0), timings=FAST)
    task = asyncio.create_task(source.run(Collect()))
    await wait_until(lambda: source.connection_state.value == "streaming", 1.0, "streaming")
    await stop(task)
    start = bytes.fromhex("02 02 00 01 c8 00 01 01 10 00 02 01 08 00 04 01 03")
    assert pod.writes == [b"\x01\x02", start, b"\x03\x02", start, b"\x03\x02"]
    assert not source.decoder.gyro and not pod.connected


async def test_polar_stream_stopped_by_the_pod_ends_the_session_and_reconnects() -> None:
    pod = polar_pod()
    source = PolarBleSource(
        info("polar", 200.0), pod, clock=SessionClock(0), timings=FAST, backoff=QUICK
    )
    task = asyncio.create_task(source.run(Collect()))
    await wait_until(lambda: source.connection_state.value == "streaming", 1.0, "streaming")
    pod.push(PMD_CONTROL_POINT_UUID, b"\x01\x02")
    await wait_until(lambda: pod.connects == 2, 1.0, "a reconnect")
    await stop(task)
    assert "stopped its ACC stream" in " ".join(source.stats.notes)


async def test_pmd_control_joins_continuations_and_ignores_stale_answers() -> None:
    pod = ScriptedGatt((), {})

    def respond(gatt: ScriptedGatt, _uuid: str, data: bytes) -> None:
        gatt.push(PMD_CONTROL_POINT_UUID, bytes.fromhex("f0 02 02 00 00"))  # stale: op 2
        gatt.push(PMD_CONTROL_POINT_UUID, bytes.fromhex("f0 01 02 00 01 00 01"))
        gatt.push(PMD_CONTROL_POINT_UUID, bytes.fromhex("f0 01 02 00 00 34 00"))

    pod.responder = respond
    control = PmdControl(pod, timeout_s=0.5)
    await pod.start_notify(PMD_CONTROL_POINT_UUID, control.on_indication)
    response = await control.request(b"\x01\x02")
    assert response.ok and response.parameters == bytes.fromhex("00 01 34 00")
    pod.responder = None
    with pytest.raises(GattError, match="no PMD answer"):
        await PmdControl(pod, timeout_s=0.05).request(b"\x01\x05")


async def test_factory_builds_each_model_and_knows_default_rates() -> None:
    pod = ScriptedGatt((), {})
    kinds = {
        "witmotion": WitMotionBleSource, "polar": PolarBleSource,
        "metamotion": MetaMotionBleSource, "rsc": RscBleSource,
    }  # fmt: skip
    assert set(supported_models()) == set(kinds)
    for key, cls in kinds.items():
        source = make_source(key, info(key, default_rate_hz(key)), pod, clock=SessionClock(0))
        assert type(source) is cls and source.transport is pod
    assert default_rate_hz("polar", name="Polar H10 1234") == 200.0
    with pytest.raises(KeyError):
        make_source("movesense", info("movesense", 100.0), pod)
    with pytest.raises(GaitdeckError, match="416 Hz"):
        make_source("metamotion", info("metamotion", 416.0), pod)
