"""The SIG Battery Service (0x180F) with Battery Level (0x2A19, read + notify), for fakes."""

from __future__ import annotations

from fakebluez.gatt import FakeCharacteristic, FakeGattService, GattObject

BATTERY_SERVICE = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL = "00002a19-0000-1000-8000-00805f9b34fb"


def battery_service(device_path: str, handle: int, percent: int) -> list[GattObject]:
    service = FakeGattService(device_path, handle, BATTERY_SERVICE)
    level = FakeCharacteristic(service, handle + 1, BATTERY_LEVEL, ["read", "notify"])
    level.value = bytes([percent])
    return [service, level]
