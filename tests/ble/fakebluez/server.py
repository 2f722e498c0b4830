"""The fake ``org.bluez`` service, its test controls, and a thread to run it on."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from dbus_fast import Message
from dbus_fast.aio import MessageBus

from drivers.models.metamotion.profile import Chip
from drivers.registry import METAMOTION_MODEL, POLAR_MODEL, RSC_MODEL
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.types import Placement
from fakebluez.adapter import FakeAdapter
from fakebluez.device import FakeDevice, Peripheral
from fakebluez.metamotion import MetaMotionPeripheral
from fakebluez.patient_socket import make_patient
from fakebluez.polar import PolarPeripheral
from fakebluez.rsc import RscPeripheral
from fakebluez.witmotion import AdvertiserPeripheral, WitMotionPeripheral

ADAPTER_PATH = "/org/bluez/hci0"
T = TypeVar("T")
P = TypeVar("P", bound=Peripheral)
ADVERTISED = {
    "polar": tuple(POLAR_MODEL.service_uuids),
    "metamotion": tuple(METAMOTION_MODEL.service_uuids),
    "rsc": tuple(RSC_MODEL.service_uuids),
    "other": ("0000180f-0000-1000-8000-00805f9b34fb",),
}


@dataclass(frozen=True)
class PodSpec:
    """``kind``: witmotion (streams), or polar / metamotion / rsc / other (advertise only)."""

    address: str
    name: str
    kind: str = "witmotion"
    placement: Placement = Placement.TRUNK
    rssi_dbm: int = -60
    seed: int = 0
    frames_per_notification: int = 4


class FakeBlueZ:
    """Owns ``org.bluez`` on the bus at ``bus_address``; runs on the calling loop."""

    def __init__(self, bus_address: str, runner: str = "heel-striker-guarded") -> None:
        self.bus_address = bus_address
        self.runner = runner
        self.devices: dict[str, FakeDevice] = {}
        self.bus: MessageBus | None = None
        self.adapter: FakeAdapter | None = None
        self._sender = ""

    async def start(self) -> None:
        self.bus = await MessageBus(bus_address=self.bus_address, negotiate_unix_fd=True).connect()
        make_patient(self.bus)
        self.bus.add_message_handler(self._track_sender)
        self.adapter = FakeAdapter(
            ADAPTER_PATH, "00:1A:7D:DA:71:00", lambda: self._sender, self._advertise
        )
        self.bus.export(ADAPTER_PATH, self.adapter)
        await self.bus.request_name("org.bluez")

    async def stop(self) -> None:
        for device in self.devices.values():
            device.drop_link("shutdown")
        if self.bus is not None:
            self.bus.disconnect()
            await self.bus.wait_for_disconnect()
            self.bus = None

    def add_pod(self, spec: PodSpec) -> FakeDevice:
        assert self.bus is not None, "start() first"
        device = FakeDevice(
            self.bus, ADAPTER_PATH, spec.address, spec.name, self._peripheral(spec), spec.rssi_dbm
        )
        self.bus.export(device.path, device)
        self.devices[spec.address] = device
        return device

    def witmotion(self, address: str) -> WitMotionPeripheral:
        peripheral = self.devices[address].peripheral
        assert isinstance(peripheral, WitMotionPeripheral)
        return peripheral

    def drop_link(self, address: str) -> None:
        self.devices[address].drop_link()
        self.devices[address].log.drops += 1

    def fail_connects(self, address: str, count: int) -> None:
        self.devices[address].fail_connects = count

    def stall_discovery(self, address: str, stall: bool = True) -> None:
        self.devices[address].stall_discovery = stall

    def refuse_config(self, address: str, refuse: bool = True) -> None:
        """WitMotion, MetaMotion: config writes fail; Polar: starts answer INVALID_PARAMETER."""
        peripheral = self.devices[address].peripheral
        assert hasattr(peripheral, "refuse_config")
        peripheral.refuse_config = refuse

    def peripheral(self, address: str, kind: type[P]) -> P:
        peripheral = self.devices[address].peripheral
        assert isinstance(peripheral, kind)
        return peripheral

    def _peripheral(self, spec: PodSpec) -> Peripheral:
        if spec.kind == "witmotion":
            model = RunnerModel(get_profile(self.runner), seed=spec.seed, standing_s=0.5)
            return WitMotionPeripheral(model, spec.placement, spec.frames_per_notification)
        if spec.kind == "polar":
            h10 = spec.name.startswith("Polar H10")
            return PolarPeripheral(self._model(spec), spec.placement, h10=h10)
        if spec.kind == "metamotion":
            chip = Chip.BMI270 if "MMS" in spec.name else Chip.BMI160
            return MetaMotionPeripheral(self._model(spec), spec.placement, chip)
        if spec.kind == "rsc":
            return RscPeripheral(get_profile(self.runner))
        return AdvertiserPeripheral(ADVERTISED[spec.kind])

    def _model(self, spec: PodSpec) -> RunnerModel:
        return RunnerModel(get_profile(self.runner), seed=spec.seed, standing_s=0.5)

    def _advertise(self) -> None:
        for device in self.devices.values():
            if not device.connected:
                device.nudge_rssi()

    def _track_sender(self, msg: Message) -> None:
        self._sender = msg.sender or ""


class FakeBlueZThread:
    """A ``FakeBlueZ`` on its own loop thread; ``call`` runs a function on that loop."""

    def __init__(self, bus_address: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.fake = FakeBlueZ(bus_address)
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="fake-bluez", daemon=True
        )

    def start(self) -> FakeBlueZThread:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.start(), self.loop).result(5)
        return self

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        if threading.current_thread() is self._thread:  # nested: already on the fake's loop
            return fn(*args)

        async def run() -> T:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(5)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()
