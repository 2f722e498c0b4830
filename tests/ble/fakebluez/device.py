"""Device1: advertisement properties, Connect/Disconnect, and the link-loss routine."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from dbus_fast import DBusError, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method

from fakebluez.dbus_types import Bool, Int16, ManufacturerData, Options, Path, Str, Strs
from fakebluez.gatt import GattObject

DISCOVERY_DELAY_S = 0.01  # Connect -> ServicesResolved, like a short GATT discovery


class Peripheral:
    """What a device does once connected: its GATT objects and its behaviour."""

    service_uuids: tuple[str, ...] = ()
    manufacturer_data: dict[int, bytes] = {}  # noqa: RUF012 — read-only default

    def gatt(self, device_path: str) -> list[GattObject]:
        return []

    def link_up(self) -> None:
        """GATT is exported and resolved."""

    def link_down(self) -> None:
        """Stop whatever runs; GATT is about to disappear."""


@dataclass
class LinkLog:
    """What happened to a device, for tests to assert on."""

    connects: int = 0
    host_disconnects: int = 0  # Disconnect called by the host (bleak)
    drops: int = 0  # link losses the test caused
    refused_connects: int = 0
    events: list[str] = field(default_factory=list)


class FakeDevice(ServiceInterface):
    def __init__(
        self, bus: MessageBus, adapter_path: str, address: str, alias: str,
        peripheral: Peripheral, rssi_dbm: int = -60,
    ) -> None:  # fmt: skip
        super().__init__("org.bluez.Device1")
        self.bus = bus
        self.adapter_path = adapter_path
        self.address = address
        self.alias = alias  # not self.name: that is the D-Bus interface name
        self.peripheral = peripheral
        self.path = f"{adapter_path}/dev_{address.replace(':', '_')}"
        self.base_rssi_dbm = rssi_dbm  # what the pod advertises at; each advert wobbles by 1 dB
        self.rssi_dbm = rssi_dbm
        self.connected = False
        self.resolved = False
        self.exported = False
        self.fail_connects = 0
        self.stall_discovery = False  # Connect succeeds but services never resolve
        self.log = LinkLog()
        self._gatt: list[GattObject] = []
        self._resolve_task: asyncio.Task[None] | None = None

    def nudge_rssi(self) -> None:
        """Another advertisement heard: the RSSI wobbles (what makes bleak report it), within
        1 dB of the advertised level, not a random walk away from it over a long scan."""
        self.rssi_dbm = self.base_rssi_dbm + random.choice((-1, 1))
        self.emit_properties_changed({"RSSI": self.rssi_dbm})

    def drop_link(self, reason: str = "drop") -> None:
        """Link loss as BlueZ reports it: ServicesResolved off, GATT gone, Connected off."""
        if not self.connected:
            return
        self.log.events.append(reason)
        if self._resolve_task is not None:
            self._resolve_task.cancel()
        self.peripheral.link_down()
        if self.resolved:
            self.resolved = False
            self.emit_properties_changed({"ServicesResolved": False})
        for obj in reversed(self._gatt):
            self.bus.unexport(obj.path, obj)
        self._gatt = []
        self.connected = False
        self.emit_properties_changed({"Connected": False})

    async def _resolve(self) -> None:
        await asyncio.sleep(DISCOVERY_DELAY_S)
        if self.stall_discovery:
            return
        self._gatt = self.peripheral.gatt(self.path)
        for obj in self._gatt:
            self.bus.export(obj.path, obj)
        self.resolved = True
        self.emit_properties_changed({"ServicesResolved": True})
        self.peripheral.link_up()

    @method()
    def Connect(self):
        if self.fail_connects > 0:
            self.fail_connects -= 1
            self.log.refused_connects += 1
            raise DBusError("org.bluez.Error.Failed", "le-connection-abort-by-remote")
        if self.connected:
            return
        self.log.connects += 1
        self.log.events.append("connect")
        self.connected = True
        self.emit_properties_changed({"Connected": True})
        self._resolve_task = asyncio.get_running_loop().create_task(self._resolve())

    @method()
    def Disconnect(self):
        if self.connected:
            self.log.host_disconnects += 1
        self.drop_link("host-disconnect")

    @dbus_property(access=PropertyAccess.READ)
    def Address(self) -> Str:
        return self.address

    @dbus_property(access=PropertyAccess.READ)
    def AddressType(self) -> Str:
        return "public"

    @dbus_property(access=PropertyAccess.READ)
    def Name(self) -> Str:
        return self.alias

    @dbus_property(access=PropertyAccess.READ)
    def Alias(self) -> Str:
        return self.alias

    @dbus_property(access=PropertyAccess.READ)
    def Adapter(self) -> Path:
        return self.adapter_path

    @dbus_property(access=PropertyAccess.READ)
    def Connected(self) -> Bool:
        return self.connected

    @dbus_property(access=PropertyAccess.READ)
    def ServicesResolved(self) -> Bool:
        return self.resolved

    @dbus_property(access=PropertyAccess.READ)
    def Paired(self) -> Bool:
        return False

    @dbus_property(access=PropertyAccess.READ)
    def Bonded(self) -> Bool:
        return False

    @dbus_property(access=PropertyAccess.READ)
    def Trusted(self) -> Bool:
        return False

    @dbus_property(access=PropertyAccess.READ)
    def Blocked(self) -> Bool:
        return False

    @dbus_property(access=PropertyAccess.READ)
    def LegacyPairing(self) -> Bool:
        return False

    @dbus_property(access=PropertyAccess.READ)
    def RSSI(self) -> Int16:
        return self.rssi_dbm

    @dbus_property(access=PropertyAccess.READ)
    def UUIDs(self) -> Strs:
        return list(self.peripheral.service_uuids)

    @dbus_property(access=PropertyAccess.READ)
    def ManufacturerData(self) -> ManufacturerData:
        return {k: Variant("ay", v) for k, v in self.peripheral.manufacturer_data.items()}

    @dbus_property(access=PropertyAccess.READ)
    def ServiceData(self) -> Options:
        return {}
