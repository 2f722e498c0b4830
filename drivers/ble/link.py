"""What a BLE transport offers, as plain types: no bleak here, so fakes need no radio.

``BleakTransport`` (``drivers.ble.transport``) implements ``BleTransport`` over bleak; the
unit tests implement it with scripted notifications and disconnects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

NotifyCallback = Callable[[bytes, int], None]
"""Called with (payload bytes, host arrival time in ``time.monotonic_ns()``) per notification."""

DisconnectCallback = Callable[[], None]


@dataclass(frozen=True)
class Advertisement:
    """One device as last seen advertising. UUIDs are lower-case 128-bit strings."""

    address: str
    name: str | None
    rssi_dbm: int | None
    service_uuids: tuple[str, ...] = ()
    manufacturer_data: Mapping[int, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class GattCharacteristic:
    uuid: str
    handle: int
    properties: frozenset[str]  # "notify", "write", "write-without-response", "read", …


@dataclass(frozen=True)
class GattService:
    uuid: str
    characteristics: tuple[GattCharacteristic, ...]

    def characteristic(self, uuid: str) -> GattCharacteristic | None:
        return next((c for c in self.characteristics if c.uuid == uuid.lower()), None)


def find_characteristic(services: tuple[GattService, ...], uuid: str) -> GattCharacteristic | None:
    """The first characteristic with ``uuid`` in any service."""
    for service in services:
        found = service.characteristic(uuid)
        if found is not None:
            return found
    return None


class BleTransport(Protocol):
    """One BLE central link to one pod at a time, plus scanning.

    Every method raises only ``drivers.ble.errors.BleError`` subclasses. ``on_disconnect``
    is called when an established link goes down without ``disconnect`` being called.
    """

    on_disconnect: DisconnectCallback | None

    @property
    def is_connected(self) -> bool: ...

    @property
    def rssi_dbm(self) -> int | None:
        """Signal strength last seen for the connected pod, if known."""
        ...

    async def scan(self, timeout_s: float) -> list[Advertisement]: ...

    async def connect(self, address: str, timeout_s: float) -> None: ...

    async def services(self) -> tuple[GattService, ...]: ...

    async def write(self, char_uuid: str, data: bytes, *, response: bool = True) -> None: ...

    async def read(self, char_uuid: str) -> bytes: ...

    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None: ...

    async def stop_notify(self, char_uuid: str) -> None: ...

    async def disconnect(self) -> None:
        """Close the link if up; never raises, idempotent."""
        ...
