"""Desktop tests run headless: the offscreen platform is chosen before Qt is imported.

The pod manager tests run bleak's real BlueZ backend against the fake ``org.bluez`` of
``tests/ble/fakebluez`` on a private D-Bus (the same recipe as ``tests/ble/conftest.py``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ble"))  # fakebluez, ble_helpers

import pytest
from desktop_fakes import FakeSession, full_status
from fakebluez.fixtures import fake_bluez, system_bus  # noqa: F401 (fixtures)


@pytest.fixture
def session() -> FakeSession:
    """A session whose board the test feeds by hand, with four streaming pods."""
    return FakeSession(full_status())
