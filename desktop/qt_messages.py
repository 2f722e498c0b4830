"""Qt's own messages on stderr: its noise hidden unless ``--verbose``, its errors always shown.

A normal run prints warnings a user can do nothing about, such as
``PulseAudioService: pa_context_connect() failed`` (no sound server: the cue falls back to the
beep, which the Feedback menu says) or ``This plugin does not support propagateSizeHints()``
(off-screen). Qt's debug, info and warning messages therefore go to the ``qt`` logger at
debug level, and reach stderr only with ``--verbose``. Critical and fatal messages always
reach stderr; before a fatal one, the hidden messages that led to it are shown too (they
say why, e.g. ``could not connect to display``), and when the X11 plugin could not load, the
libraries it is missing are named. A fatal message ends the process with exit code 1
instead of Qt's abort.

Qt is imported only when the filter is installed, so the command line can configure this
module without loading Qt.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import deque
from typing import Any

log = logging.getLogger("qt")

RECENT_HIDDEN = 20  # hidden messages kept to explain a fatal one
_state = {"verbose": False}
_recent: deque[str] = deque(maxlen=RECENT_HIDDEN)


def configure_output(*, verbose: bool) -> None:
    """Set by the command line for this process: with ``verbose``, Qt's messages and
    gaitdeck's info and debug logging are shown on stderr."""
    _state["verbose"] = verbose
    if verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")


def install_message_filter() -> None:
    """Route Qt's messages through ``handle_message``; call before the QApplication exists."""
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(handle_message)


def handle_message(mode: Any, context: Any, message: str) -> None:
    """Qt's message handler: see the module's docstring."""
    from PySide6.QtCore import QtMsgType, qFormatLogMessage

    text = qFormatLogMessage(mode, context, message)
    if mode == QtMsgType.QtFatalMsg:
        _report_fatal(text)
    elif _state["verbose"] or mode == QtMsgType.QtCriticalMsg:
        _write(text)
    else:
        log.debug("%s", text)
        _recent.append(text)


def _report_fatal(text: str) -> None:
    if not _state["verbose"]:
        for hidden in _recent:
            _write(hidden)
    _write(text)
    if "platform plugin" in text:
        from desktop.qt_libs import describe, missing_libraries, xcb_plugin

        plugin = xcb_plugin()
        missing = missing_libraries(plugin) if plugin is not None else []
        if missing:
            _write(f"gaitdeck: {describe(missing)}")
    sys.stderr.flush()
    os._exit(1)


def _write(text: str) -> None:
    sys.stderr.write(text.rstrip("\n") + "\n")
    sys.stderr.flush()
