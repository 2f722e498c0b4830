"""Pytest fixtures for tests that run bleak against the fake BlueZ: a private system bus
for the session and a fresh fake BlueZ per test. Conftests import them by name."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from bleak.backends.bluezdbus.version import BlueZFeatures

from fakebluez.bus import PrivateBus
from fakebluez.server import FakeBlueZThread


@pytest.fixture(scope="session")
def system_bus() -> Iterator[str]:
    """A private dbus-daemon posing as the system bus, for bleak and the fake."""
    saved = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    saved_checked = BlueZFeatures.checked_bluez_version
    with PrivateBus() as bus:
        os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = bus.address
        BlueZFeatures.checked_bluez_version = True  # no bluetoothctl --version probe
        try:
            yield bus.address
        finally:
            BlueZFeatures.checked_bluez_version = saved_checked
            if saved is None:
                os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
            else:
                os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = saved


@pytest.fixture
def fake_bluez(system_bus: str) -> Iterator[FakeBlueZThread]:
    """A fresh fake BlueZ with no devices yet; add them with ``fake.call(fake.fake.add_pod, …)``."""
    fake = FakeBlueZThread(system_bus).start()
    try:
        yield fake
    finally:
        fake.stop()
