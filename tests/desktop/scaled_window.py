"""Run by tests/desktop/test_screen_fit.py in a subprocess on a virtual screen (the
offscreen platform's configfile, QT_SCALE_FACTOR): opens the live window as ``gaitdeck``
does on a real screen, fitted to it, and prints ``layout_checks.report`` as JSON."""

from __future__ import annotations

import json
import sys

from desktop_fakes import FakeSession, SyntheticRunner, full_status
from layout_checks import report
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.main_window import MainWindow
from desktop.screen_fit import fit_to_screen
from desktop.theme import apply_theme
from desktop.view_menu import FRAME_SETTLE_MS


def main() -> int:
    app = QApplication(sys.argv[:1])
    apply_theme(app)
    session = FakeSession(full_status())
    window = MainWindow(session)
    window.timer.stop()
    fit_to_screen(window)
    window.view_menu.fit_screen = True  # as on a real screen: clamped once framed
    window.show()
    QTest.qWait(FRAME_SETTLE_MS + 200)
    SyntheticRunner(session.board).run(6.0)
    window.on_frame()
    app.processEvents()
    print(json.dumps(report(window)))
    window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
