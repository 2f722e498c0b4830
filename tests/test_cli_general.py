"""``gaitdeck --version`` and ``--verbose``: the console script run for real.

Without ``--verbose`` Qt's noise (no sound server, the off-screen plugin's limits) stays off
stderr; with it, it shows. Qt's real errors reach the user either way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

GAITDECK = Path(sys.executable).with_name("gaitdeck")
# Qt's warnings on a run with no sound server, off-screen (they are what users saw).
NOISE = ("PulseAudioService: pa_context_connect() failed",
         "This plugin does not support propagateSizeHints()")  # fmt: skip
UNUSED_DISPLAY = 65_123


def gaitdeck(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    if not GAITDECK.exists():
        pytest.fail(f"console script missing at {GAITDECK}: pip install -e '.[test]'")
    return subprocess.run([str(GAITDECK), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})  # fmt: skip


def quiet_run(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return gaitdeck(*options, "--simulate", "--exit-after", "1", QT_QPA_PLATFORM="offscreen",
                    PULSE_SERVER="unix:/nonexistent/gaitdeck-tests",
                    GAITDECK_CONFIG_DIR=str(tmp_path))  # fmt: skip


def test_version_is_the_installed_packages() -> None:
    result = gaitdeck("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"gaitdeck {version('gaitdeck')}\n"


def test_qt_noise_is_hidden_unless_verbose(tmp_path: Path) -> None:
    quiet = quiet_run(tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    verbose = quiet_run(tmp_path, "--verbose")
    assert verbose.returncode == 0, verbose.stderr
    for noise in NOISE:
        assert noise in verbose.stderr


def test_a_window_that_cannot_open_still_says_why(tmp_path: Path) -> None:
    if Path(f"/tmp/.X11-unix/X{UNUSED_DISPLAY}").exists():
        pytest.skip(f"display :{UNUSED_DISPLAY} is in use")
    result = gaitdeck("--simulate", "--exit-after", "1", QT_QPA_PLATFORM="xcb",
                      DISPLAY=f":{UNUSED_DISPLAY}", GAITDECK_CONFIG_DIR=str(tmp_path))  # fmt: skip
    assert result.returncode == 1  # not Qt's abort (134)
    assert f"could not connect to display :{UNUSED_DISPLAY}" in result.stderr
    assert "no Qt platform plugin could be initialized" in result.stderr
    assert "Traceback" not in result.stderr
