"""``gaitdeck``'s options about the program itself rather than a session: ``--version``,
``--verbose`` and the desktop launcher (``--install-launcher``, ``--uninstall-launcher``).
No Qt here."""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version

from desktop.launcher import data_home, install_launcher, uninstall_launcher
from desktop.qt_messages import configure_output


def installed_version() -> str:
    """gaitdeck's version from the installed package's metadata."""
    try:
        return version("gaitdeck")
    except PackageNotFoundError:
        return "(version unknown: not installed, run bash .ci/bootstrap)"


def add_general_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"gaitdeck {installed_version()}",
                        help="print gaitdeck's version and exit")  # fmt: skip
    parser.add_argument("--verbose", action="store_true",
                        help="also show Qt's and the sound system's messages and gaitdeck's "
                        "debug log on stderr")  # fmt: skip
    launcher = parser.add_mutually_exclusive_group()
    launcher.add_argument("--install-launcher", action="store_true",
                          help="add gaitdeck to your desktop's application menu (a .desktop "
                          "entry opening the pod manager, with a Simulated pods action, and "
                          "an icon, in $XDG_DATA_HOME or ~/.local/share) and exit")  # fmt: skip
    launcher.add_argument("--uninstall-launcher", action="store_true",
                          help="remove that menu entry and icon and exit")  # fmt: skip


def run_general_options(args: argparse.Namespace) -> int | None:
    """Apply ``--verbose``; run a launcher option (its exit code), else None: go on."""
    configure_output(verbose=args.verbose)
    if args.install_launcher:
        for path in install_launcher():
            print(f"wrote {path}")
        return 0
    if args.uninstall_launcher:
        removed = uninstall_launcher()
        for path in removed:
            print(f"removed {path}")
        if not removed:
            print(f"no gaitdeck launcher in {data_home()}: nothing to remove")
        return 0
    return None
