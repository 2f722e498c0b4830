"""The ``gaitdeck`` console script, run for real in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GAITDECK = Path(sys.executable).with_name("gaitdeck")


def gaitdeck(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    if not GAITDECK.exists():
        pytest.fail(f"console script missing at {GAITDECK}: pip install -e '.[test]'")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(GAITDECK), *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def test_help_lists_the_options() -> None:
    result = gaitdeck("--help")
    assert result.returncode == 0
    for option in ("--simulate", "--runner", "--screenshot", "--exit-after"):
        assert option in result.stdout


def test_without_pods_says_what_to_do_in_one_line() -> None:
    result = gaitdeck()
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "--simulate" in result.stderr and "Traceback" not in result.stderr


def test_unknown_runner_is_a_usage_error() -> None:
    result = gaitdeck("--simulate", "--runner", "sprinter")
    assert result.returncode == 2
    assert "heel-striker-guarded" in result.stderr and "Traceback" not in result.stderr


def test_impossible_packet_loss_is_refused_in_one_line() -> None:
    result = gaitdeck("--simulate", "--packet-loss", "150")
    assert result.returncode == 2
    assert result.stderr.strip() == "gaitdeck: --packet-loss must be between 0 and 100, not 150"


def test_screenshot_of_the_live_dashboard(tmp_path: Path) -> None:
    png = tmp_path / "dash.png"
    result = gaitdeck("--simulate", "--runner", "mixed", "--screenshot", str(png),
                      "--exit-after", "6")  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 1200 and height >= 700
    assert len(data) > 50_000  # a rendered dashboard, not a blank frame


NO_BLUEZ = "unix:path=/nonexistent/gaitdeck-no-bus"


def pods_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``gaitdeck`` with no BlueZ to talk to and a private config folder."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DBUS_SYSTEM_BUS_ADDRESS": NO_BLUEZ,
           "GAITDECK_CONFIG_DIR": str(tmp_path / "config")}  # fmt: skip
    return subprocess.run(
        [str(GAITDECK), *args], capture_output=True, text=True, timeout=120, env=env
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("gaitdeck: ") and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    for needle in needles:
        assert needle in result.stderr


def test_pods_and_simulate_do_not_mix(tmp_path: Path) -> None:
    result = pods_cli(tmp_path, "--pods", "--simulate")
    assert_one_line_error(result, "--simulate cannot be combined with --pods or --pod")


def test_pod_with_an_unknown_placement_is_a_usage_error(tmp_path: Path) -> None:
    result = gaitdeck("--pod", "C0:FF:EE:00:00:01=elbow")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unknown placement 'elbow'" in result.stderr and "left_shoe" in result.stderr


def test_pod_without_bluetooth_fails_in_one_line(tmp_path: Path) -> None:
    result = pods_cli(tmp_path, "--pod", "C0:FF:EE:00:00:01=trunk", "--scan-timeout", "0.5")
    assert_one_line_error(result, "BlueZ")


def test_pod_scan_timeout_is_checked(tmp_path: Path) -> None:
    result = pods_cli(tmp_path, "--pod", "C0:FF:EE:00:00:01=trunk", "--scan-timeout", "0")
    assert_one_line_error(result, "--scan-timeout must be more than 0 s and at most 60 s")


def test_pod_manager_without_bluetooth_says_so_in_the_window(tmp_path: Path) -> None:
    shot = tmp_path / "run.png"
    result = pods_cli(tmp_path, "--pods", "--screenshot", str(shot), "--exit-after", "3")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert shot.exists() and (tmp_path / "run-pods.png").exists()
