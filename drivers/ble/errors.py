"""Typed errors of the BLE path; ``drivers.ble.transport`` maps bleak's exceptions onto them.

Each class is also an error *class* for reconnect backoff (see ``drivers.ble.backoff``).
"""

from __future__ import annotations

from drivers.errors import GaitdeckError


class BleError(GaitdeckError):
    """Base class of everything that can go wrong on a BLE link."""


class BluetoothUnavailable(BleError):
    """No adapter, adapter powered off, or BlueZ unreachable on the system D-Bus."""


class NotFound(BleError):
    """The pod was not seen advertising (or BlueZ forgot it)."""


class ConnectFailed(BleError):
    """Connecting (including service discovery) failed or timed out."""


class LinkLost(BleError):
    """An established link went down: supervision timeout, pod off, out of range."""


class GattError(BleError):
    """A GATT operation failed on a live link (missing characteristic, refused, ATT error)."""


class ConfigRefused(BleError):
    """The pod did not accept a setting; ``setting`` names it (e.g. ``output rate 200 Hz``)."""

    def __init__(self, setting: str, reason: str = "") -> None:
        self.setting = setting
        detail = f": {reason}" if reason else ""
        super().__init__(f"pod refused {setting}{detail}")
