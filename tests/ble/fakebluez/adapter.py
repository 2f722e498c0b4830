"""Adapter1 at /org/bluez/hci0: discovery (per D-Bus client, as BlueZ does)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from dbus_fast import DBusError
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method

from fakebluez.dbus_types import Bool, Options, Path, Str, Strs

ADVERTISING_INTERVAL_S = 0.1


class FakeAdapter(ServiceInterface):
    """``on_discovering(True)`` makes devices visible; ``sender()`` names the caller."""

    def __init__(
        self, path: str, address: str, sender: Callable[[], str],
        on_advertise: Callable[[], None],
    ) -> None:  # fmt: skip
        super().__init__("org.bluez.Adapter1")
        self.path = path
        self.address = address
        self.sender = sender
        self.on_advertise = on_advertise
        self.clients: set[str] = set()
        self.powered = True
        self._task: asyncio.Task[None] | None = None

    @property
    def discovering(self) -> bool:
        return bool(self.clients)

    async def _advertise(self) -> None:
        while True:
            self.on_advertise()
            await asyncio.sleep(ADVERTISING_INTERVAL_S)

    def _set_discovering(self, was: bool) -> None:
        if was == self.discovering:
            return
        self.emit_properties_changed({"Discovering": self.discovering})
        if self.discovering:
            self._task = asyncio.get_running_loop().create_task(self._advertise())
        elif self._task is not None:
            self._task.cancel()
            self._task = None

    @method()
    def StartDiscovery(self):
        client = self.sender()
        if client in self.clients:  # BlueZ: one discovery per client at a time
            raise DBusError("org.bluez.Error.InProgress", "Operation already in progress")
        was = self.discovering
        self.clients.add(client)
        self._set_discovering(was)

    @method()
    def StopDiscovery(self):
        client = self.sender()
        if client not in self.clients:
            raise DBusError("org.bluez.Error.Failed", "No discovery started")
        self.clients.discard(client)
        self._set_discovering(True)

    def client_gone(self, client: str) -> None:
        if client in self.clients:
            self.clients.discard(client)
            self._set_discovering(True)

    @method()
    def SetDiscoveryFilter(self, properties: Options):
        return None

    @method()
    def GetDiscoveryFilters(self) -> Strs:
        return ["UUIDs", "RSSI", "Pathloss", "Transport", "DuplicateData"]

    @method()
    def RemoveDevice(self, device: Path):
        return None

    @dbus_property(access=PropertyAccess.READ)
    def Address(self) -> Str:
        return self.address

    @dbus_property(access=PropertyAccess.READ)
    def Name(self) -> Str:
        return "gaitdeck-fake"

    @dbus_property(access=PropertyAccess.READ)
    def Alias(self) -> Str:
        return "gaitdeck-fake"

    @dbus_property(access=PropertyAccess.READ)
    def Powered(self) -> Bool:
        return self.powered

    @dbus_property(access=PropertyAccess.READ)
    def Discovering(self) -> Bool:
        return self.discovering

    @dbus_property(access=PropertyAccess.READ)
    def Roles(self) -> Strs:
        return ["central", "peripheral"]
