"""Desktop tests run headless: the offscreen platform is chosen before Qt is imported.

The pod manager tests run bleak's real BlueZ backend against the fake ``org.bluez`` of
``tests/ble/fakebluez`` on a private D-Bus (the same recipe as ``tests/ble/conftest.py``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Cues play their tone through QtMultimedia: keep the tests silent on a machine with a sound
# server (tests/desktop/test_cue_sound.py starts and names its own).
os.environ["PULSE_SERVER"] = "unix:/nonexistent/gaitdeck-tests"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ble"))  # fakebluez, ble_helpers

import pytest
from desktop_fakes import FakeSession, full_status
from fakebluez.fixtures import fake_bluez, system_bus  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def settings_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """gaitdeck's settings (layout, theme, feedback, session setup, remembered pods) go to a
    fresh temporary folder, never the user's, by ``GAITDECK_CONFIG_DIR`` and by QSettings'
    own path; the palette is dark again afterwards."""
    from PySide6.QtCore import QSettings

    from desktop import palette

    folder = tmp_path_factory.mktemp("qsettings")
    monkeypatch.setenv("GAITDECK_CONFIG_DIR", str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder
    palette.use(palette.DARK)


@pytest.fixture
def session() -> FakeSession:
    """A session whose board the test feeds by hand, with four streaming pods."""
    return FakeSession(full_status())
