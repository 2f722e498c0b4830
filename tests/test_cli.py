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
