"""``gaitdeck --install-launcher`` / ``--uninstall-launcher``: the menu entry and icon, written
by the console script into a temporary ``XDG_DATA_HOME`` and read back as a desktop
environment would."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop.launcher import exec_argument

GAITDECK = Path(sys.executable).with_name("gaitdeck")
ENTRY = Path("applications/gaitdeck.desktop")
ICON = Path("icons/hicolor/scalable/apps/gaitdeck.svg")


def gaitdeck(data_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not GAITDECK.exists():
        pytest.fail(f"console script missing at {GAITDECK}: pip install -e '.[test]'")
    env = {**os.environ, "XDG_DATA_HOME": str(data_home)}
    return subprocess.run([str(GAITDECK), *args], capture_output=True, text=True, timeout=60,
                          env=env)  # fmt: skip


def read_entry(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def command(exec_line: str) -> list[str]:
    """An Exec line split as the spec says (its quoting is a subset of the shell's)."""
    assert "%" not in exec_line.replace("%%", "")  # no field codes: gaitdeck takes no files
    return shlex.split(exec_line)


def test_install_writes_an_entry_that_opens_the_pod_manager_and_an_icon(tmp_path: Path) -> None:
    result = gaitdeck(tmp_path, "--install-launcher")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"wrote {tmp_path / ENTRY}", f"wrote {tmp_path / ICON}"]
    entry = read_entry(tmp_path / ENTRY)
    main = entry["Desktop Entry"]
    assert (main["Type"], main["Name"], main["Terminal"]) == ("Application", "gaitdeck", "false")
    program, *args = command(main["Exec"])
    assert Path(program) == GAITDECK.absolute() and os.access(program, os.X_OK)
    assert args == ["--pods"]
    icon = Path(main["Icon"])
    assert icon == tmp_path / ICON
    assert ET.parse(icon).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert main["Actions"].rstrip(";").split(";") == ["simulated-pods"]
    action = entry["Desktop Action simulated-pods"]
    assert action["Name"] == "Simulated pods"
    assert command(action["Exec"]) == [program, "--simulate"]
    assert main["StartupWMClass"] == "gaitdeck"  # the window's WM_CLASS (test_x11_launch)


def test_the_entrys_command_runs(tmp_path: Path) -> None:
    gaitdeck(tmp_path, "--install-launcher")
    exec_line = read_entry(tmp_path / ENTRY)["Desktop Entry"]["Exec"]
    program = command(exec_line)[0]
    result = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("gaitdeck ")


def test_install_again_overwrites_and_uninstall_removes_both(tmp_path: Path) -> None:
    assert gaitdeck(tmp_path, "--install-launcher").returncode == 0
    assert gaitdeck(tmp_path, "--install-launcher").returncode == 0
    removed = gaitdeck(tmp_path, "--uninstall-launcher")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.splitlines() == [f"removed {tmp_path / ENTRY}",
                                           f"removed {tmp_path / ICON}"]  # fmt: skip
    assert not (tmp_path / ENTRY).exists() and not (tmp_path / ICON).exists()
    again = gaitdeck(tmp_path, "--uninstall-launcher")
    assert again.returncode == 0
    assert again.stdout == f"no gaitdeck launcher in {tmp_path}: nothing to remove\n"


def test_an_unwritable_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "applications").write_text("a file where the folder should be")
    result = gaitdeck(tmp_path, "--install-launcher")
    assert result.returncode == 2
    assert result.stderr == (
        f"gaitdeck: cannot write the launcher to {tmp_path / 'applications'}: File exists\n"
    )


@pytest.mark.parametrize(
    ("argument", "written"),
    [
        ("/opt/gaitdeck/bin/gaitdeck", "/opt/gaitdeck/bin/gaitdeck"),
        ("/opt/a b/.venv/bin/gaitdeck", '"/opt/a b/.venv/bin/gaitdeck"'),
        ("/srv/$x/100%/gaitdeck", '"/srv/\\$x/100%%/gaitdeck"'),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(argument: str, written: str) -> None:
    assert exec_argument(argument) == written
