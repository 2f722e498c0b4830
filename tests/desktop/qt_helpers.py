"""Qt test helpers for windows that must take keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def end_app_closing() -> None:
    """``QApplication.quit()`` (how ``run_app`` ends) leaves Qt "closing" until the next
    ``exec()``, and no window can be activated meanwhile: run one empty ``exec()``."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    QTimer.singleShot(0, lambda: app.exit(0))
    app.exec()


def show_active(qtbot, window: QWidget) -> None:
    """Show ``window`` and make it the active window: shortcuts only reach that one."""
    end_app_closing()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
