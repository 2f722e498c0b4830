"""gaitdeck in the desktop's application menu: a freedesktop ``.desktop`` entry and an icon.

``gaitdeck --install-launcher`` writes, for the user running it,
``$XDG_DATA_HOME/applications/gaitdeck.desktop`` and
``$XDG_DATA_HOME/icons/hicolor/scalable/apps/gaitdeck.svg`` (``XDG_DATA_HOME`` defaults to
``~/.local/share``). The entry starts this installation's ``gaitdeck`` with the pod manager
open (``--pods``: scan, place and connect real pods); its second action, *Simulated pods*,
starts the dashboard on simulated pods. ``--uninstall-launcher`` removes both files.
No Qt here.
"""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

from drivers.errors import GaitdeckError

APP_ID = "gaitdeck"
ICON_RESOURCE = "gaitdeck.svg"  # desktop/gaitdeck.svg, package data
# Characters that make an Exec argument need quotes, and those escaped inside the quotes
# (the Desktop Entry Specification's "Exec key").
EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
EXEC_ESCAPED = set('"`$\\')


def data_home() -> Path:
    """``$XDG_DATA_HOME`` if it is set to an absolute path, else ``~/.local/share``."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path.home() / ".local" / "share"


def entry_path(home: Path) -> Path:
    return home / "applications" / f"{APP_ID}.desktop"


def icon_path(home: Path) -> Path:
    return home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def gaitdeck_executable() -> Path:
    """This installation's ``gaitdeck`` console script, beside the running Python."""
    script = Path(sys.executable).absolute().with_name("gaitdeck")
    if not os.access(script, os.X_OK):
        raise GaitdeckError(f"no gaitdeck command at {script}: install gaitdeck first "
                            "(bash .ci/bootstrap)")  # fmt: skip
    return script


def exec_argument(text: str) -> str:
    """One argument of an Exec line: quoted and escaped when it needs to be."""
    text = text.replace("%", "%%")
    if not set(text) & EXEC_RESERVED:
        return text
    escaped = "".join(f"\\{c}" if c in EXEC_ESCAPED else c for c in text)
    return f'"{escaped}"'


def desktop_entry(executable: Path, icon: Path) -> str:
    """The ``.desktop`` file's text: the pod manager, plus a *Simulated pods* action."""
    run = exec_argument(str(executable))
    # In a desktop file's string values a backslash is itself written as \\.
    run = run.replace("\\", "\\\\")
    return f"""[Desktop Entry]
Type=Application
Version=1.5
Name=gaitdeck
GenericName=Running gait analysis
Comment=Live foot strike type and trunk bend and twist from IMU pods
Exec={run} --pods
Icon={icon}
Terminal=false
Categories=Science;MedicalSoftware;
Keywords=running;gait;foot strike;IMU;treadmill;biomechanics;
StartupWMClass={APP_ID}
Actions=simulated-pods;

[Desktop Action simulated-pods]
Name=Simulated pods
Exec={run} --simulate
"""


def install_launcher() -> list[Path]:
    """Write the menu entry and the icon for this user; the files written."""
    home = data_home()
    entry, icon = entry_path(home), icon_path(home)
    text = desktop_entry(gaitdeck_executable(), icon)
    try:
        icon.parent.mkdir(parents=True, exist_ok=True)
        icon.write_bytes(files("desktop").joinpath(ICON_RESOURCE).read_bytes())
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(text, encoding="utf-8")
    except OSError as exc:
        where = f" to {exc.filename}" if exc.filename else ""
        raise GaitdeckError(f"cannot write the launcher{where}: {exc.strerror or exc}") from None
    return [entry, icon]


def uninstall_launcher() -> list[Path]:
    """Remove the menu entry and icon if they are there; the files removed."""
    home = data_home()
    removed = []
    for path in (entry_path(home), icon_path(home)):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise GaitdeckError(f"cannot remove {path}: {exc.strerror or exc}") from None
        removed.append(path)
    return removed
