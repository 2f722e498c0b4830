"""Saves what a window shows to a PNG (``gaitdeck --screenshot FILE.png``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget


def render_to_png(window: QWidget, path: str | Path) -> Path:
    """Grab ``window`` (rendered off-screen if need be) and write it as PNG; returns the path.

    Raises OSError if the image cannot be written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()  # let pending layout and paints land first
    pixmap = window.grab()
    if pixmap.isNull() or not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not write screenshot to {path}")
    return path
