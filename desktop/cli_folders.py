"""Where gaitdeck keeps files, said in ``gaitdeck --help``.

- recordings: the dashboard's Record button saves into ``sessions_dir()``
  (``desktop.recording_control``); ``record`` and ``import`` write where ``--out`` says;
- reports: the dashboard suggests ``NAME-report.pdf`` beside the recording
  (``desktop.report_action``); ``report`` writes where ``--out`` says;
- settings: pods.json (``drivers.pod_memory``), session.ini (``desktop.session_setup``) and
  gaitdeck.ini (``desktop.layout``), in gaitdeck's configuration folder, which
  ``$GAITDECK_CONFIG_DIR`` replaces.

Light on purpose (platformdirs only): the parser is built on every run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from drivers.pod_memory import CONFIG_ENV, config_dir


def sessions_dir() -> Path:
    """The folder the dashboard records into (the same as ``recording_control``'s)."""
    return Path(platformdirs.user_data_dir("gaitdeck")) / "sessions"


def folders_epilog() -> str:
    """The ``where files go`` paragraph of ``gaitdeck --help``."""
    settings = config_dir()
    layout = "" if _layout_beside(settings) else "; gaitdeck.ini in Qt's user settings folder"
    ini = "gaitdeck.ini, " if not layout else ""
    return "\n".join([
        "where files go:",
        f"  recordings  the dashboard's Record saves into {sessions_dir()};",
        "              record and import write to --out FILE",
        "  reports     the dashboard suggests NAME-report.pdf beside the recording;",
        "              report writes to --out FILE.html|FILE.pdf",
        f"  settings    {settings} ({ini}pods.json, session.ini{layout});",
        f"              set {CONFIG_ENV} to use another folder",
        "",
        "No command replaces an existing file unless given --overwrite.",
        "Run 'gaitdeck COMMAND --help' for a command's options.",
    ])  # fmt: skip


def _layout_beside(settings: Path) -> bool:
    """Whether Qt keeps gaitdeck.ini in ``settings`` too: with ``$GAITDECK_CONFIG_DIR``, and
    on Linux, where Qt and platformdirs both follow XDG_CONFIG_HOME."""
    return bool(os.environ.get(CONFIG_ENV)) or sys.platform.startswith("linux")
