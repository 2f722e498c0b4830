"""``BleakTransport``: the one place in gaitdeck that imports bleak.

It turns bleak's objects into the plain types of ``drivers.ble.link`` and bleak's exceptions
into the typed errors of ``drivers.ble.errors``. One instance drives one pod link; the
``BleakClient`` is kept across reconnects (BlueZ keeps the device object) and rebuilt only
when BlueZ no longer knows the device.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Iterator
from typing import Literal

from bleak import BleakClient, BleakScanner
from bleak.args.bluez import BlueZClientArgs, BlueZScannerArgs
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakCharacteristicNotFoundError,
    BleakDBusError,
    BleakDeviceNotFoundError,
    BleakError,
    BleakGATTProtocolError,
)

from drivers.ble.errors import (
    BleError,
    BluetoothUnavailable,
    ConnectFailed,
    GattError,
    LinkLost,
    NotFound,
)
from drivers.ble.link import (
    Advertisement,
    DisconnectCallback,
    GattCharacteristic,
    GattService,
    NotifyCallback,
)

log = logging.getLogger(__name__)
Step = Literal["scan", "connect", "gatt"]
_UNAVAILABLE_DBUS = ("org.bluez.Error.NotReady", "org.freedesktop.DBus.Error.ServiceUnknown")
_LINK_GONE_DBUS = ("org.freedesktop.DBus.Error.UnknownObject", "org.bluez.Error.NotConnected")
_SCAN_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def scan_lock() -> asyncio.Lock:
    """One discovery at a time per loop: BlueZ answers a second StartDiscovery from the same
    D-Bus client with ``InProgress``, and bleak shares one client per loop."""
    loop = asyncio.get_running_loop()
    lock = _SCAN_LOCKS.get(loop)
    if lock is None:
        lock = _SCAN_LOCKS[loop] = asyncio.Lock()
    return lock


def advertisement(device: BLEDevice, adv: AdvertisementData) -> Advertisement:
    return Advertisement(
        address=device.address,
        name=adv.local_name or device.name,
        rssi_dbm=adv.rssi,
        service_uuids=tuple(u.lower() for u in adv.service_uuids),
        manufacturer_data=dict(adv.manufacturer_data),
    )


def map_error(exc: BaseException, step: Step) -> BleError:
    """The typed error for a bleak/D-Bus/OS exception raised during ``step``."""
    if isinstance(exc, TimeoutError):  # before OSError: TimeoutError is one
        return ConnectFailed("timed out") if step == "connect" else GattError("timed out")
    if isinstance(exc, BleakBluetoothNotAvailableError):
        return BluetoothUnavailable(f"Bluetooth is not available: {exc}")
    if isinstance(exc, OSError | EOFError) or (
        isinstance(exc, BleakDBusError) and exc.dbus_error in _UNAVAILABLE_DBUS
    ):
        return BluetoothUnavailable(
            f"cannot reach BlueZ on the system D-Bus (is bluetoothd running?): {exc}"
        )
    if isinstance(exc, BleakDeviceNotFoundError):
        return NotFound(f"pod {exc.identifier} not found")
    if step == "connect":
        return ConnectFailed(str(exc) or type(exc).__name__)
    if isinstance(exc, BleakCharacteristicNotFoundError | BleakGATTProtocolError):
        return GattError(str(exc))
    if isinstance(exc, BleakDBusError) and exc.dbus_error in _LINK_GONE_DBUS:
        return LinkLost(f"link is down: {exc}")
    if isinstance(exc, BleakError) and "not connected" in str(exc).lower():
        return LinkLost("link is down")
    return GattError(str(exc) or type(exc).__name__)


@contextlib.contextmanager
def translated(step: Step) -> Iterator[None]:
    """Re-raise anything bleak, dbus-fast or the OS raise inside as a ``BleError``."""
    try:
        yield
    except BleError:
        raise
    except (BleakError, OSError, EOFError, TimeoutError) as exc:
        raise map_error(exc, step) from exc


class BleakTransport:
    """A ``drivers.ble.link.BleTransport`` over bleak (BlueZ on Linux)."""

    def __init__(self, adapter: str | None = None) -> None:
        self.adapter = adapter
        self.on_disconnect: DisconnectCallback | None = None
        self._client: BleakClient | None = None
        self._address: str | None = None
        self._rssi_dbm: int | None = None
        self._closing = False

    @property
    def is_connected(self) -> bool:
        return self._client is not None and self._client.is_connected

    @property
    def rssi_dbm(self) -> int | None:
        return self._rssi_dbm

    async def scan(self, timeout_s: float) -> list[Advertisement]:
        with translated("scan"):
            async with scan_lock():
                found = await BleakScanner.discover(
                    timeout_s, return_adv=True, bluez=self._scan_args()
                )
        return [advertisement(device, adv) for device, adv in found.values()]

    async def connect(self, address: str, timeout_s: float) -> None:
        if self.is_connected:
            return
        deadline = time.monotonic() + timeout_s
        with translated("connect"):
            client = await self._client_for(address, timeout_s)
            remaining_s = max(deadline - time.monotonic(), 0.1)
            self._closing = False
            try:
                await client.connect(timeout=remaining_s)
            except BleakDeviceNotFoundError:
                self._client = None  # BlueZ forgot the device: find it again next time
                raise

    async def services(self) -> tuple[GattService, ...]:
        client = self._connected_client()
        return tuple(
            GattService(s.uuid.lower(), tuple(_characteristic(c) for c in s.characteristics))
            for s in client.services
        )

    async def write(self, char_uuid: str, data: bytes, *, response: bool = True) -> None:
        client = self._connected_client()
        with translated("gatt"):
            await client.write_gatt_char(char_uuid, data, response=response)

    async def read(self, char_uuid: str) -> bytes:
        client = self._connected_client()
        with translated("gatt"):
            return bytes(await client.read_gatt_char(char_uuid))

    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None:
        def on_value(_char: BleakGATTCharacteristic, data: bytearray) -> None:
            callback(bytes(data), time.monotonic_ns())

        client = self._connected_client()
        with translated("gatt"):
            await client.start_notify(char_uuid, on_value)

    async def stop_notify(self, char_uuid: str) -> None:
        client = self._connected_client()
        with translated("gatt"):
            await client.stop_notify(char_uuid)

    async def disconnect(self) -> None:
        client = self._client
        if client is None or not client.is_connected:
            return
        self._closing = True
        try:
            await asyncio.shield(client.disconnect())
        except (BleakError, OSError, EOFError, TimeoutError) as exc:
            log.debug("disconnect from %s failed: %s", self._address, exc)

    async def _client_for(self, address: str, timeout_s: float) -> BleakClient:
        if self._client is not None and self._address == address:
            return self._client
        device, adv = await self._find(address, timeout_s)
        self._rssi_dbm = adv.rssi
        self._address = address
        self._client = BleakClient(
            device, disconnected_callback=self._on_bleak_disconnect, bluez=self._client_args()
        )
        return self._client

    async def _find(self, address: str, timeout_s: float) -> tuple[BLEDevice, AdvertisementData]:
        seen: list[AdvertisementData] = []

        def matches(device: BLEDevice, adv: AdvertisementData) -> bool:
            if device.address.upper() != address.upper():
                return False
            seen.append(adv)
            return True

        async with scan_lock():
            device = await BleakScanner.find_device_by_filter(
                matches, timeout_s, bluez=self._scan_args()
            )
        if device is None or not seen:
            raise NotFound(f"pod {address} not found (not advertising within {timeout_s:g} s)")
        return device, seen[-1]

    def _connected_client(self) -> BleakClient:
        if self._client is None or not self._client.is_connected:
            raise LinkLost("not connected")
        return self._client

    def _on_bleak_disconnect(self, _client: BleakClient) -> None:
        if self._closing:
            return
        log.info("link to %s lost", self._address)
        if self.on_disconnect is not None:
            self.on_disconnect()

    def _scan_args(self) -> BlueZScannerArgs:
        return {} if self.adapter is None else {"adapter": self.adapter}

    def _client_args(self) -> BlueZClientArgs:
        return {} if self.adapter is None else {"adapter": self.adapter}


def _characteristic(char: BleakGATTCharacteristic) -> GattCharacteristic:
    return GattCharacteristic(char.uuid.lower(), char.handle, frozenset(char.properties))
