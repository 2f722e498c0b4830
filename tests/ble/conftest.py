"""Fixtures for the BLE tests: a private system bus for the session, a fresh fake BlueZ each
(``fakebluez.fixtures``)."""

from __future__ import annotations

from fakebluez.fixtures import fake_bluez, system_bus  # noqa: F401 (fixtures)
