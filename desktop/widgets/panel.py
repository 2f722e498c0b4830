"""A titled, rounded panel: the frame every block of the window sits in."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget


def label(text: str = "", role: str | None = None, parent: QWidget | None = None) -> QLabel:
    """A QLabel styled by the theme's ``role`` property (heading, muted, value)."""
    widget = QLabel(text, parent)
    if role:
        widget.setProperty("role", role)
    return widget


def ignore_text_width(widget: QLabel) -> QLabel:
    """Keep a label's changing text from changing the window's minimum size (and relayout).

    The label then gets only the space its layout gives it: add it with a stretch factor.
    """
    widget.setSizePolicy(QSizePolicy.Policy.Ignored, widget.sizePolicy().verticalPolicy())
    return widget


def set_text(widget: QLabel, text: str) -> None:
    """Set a label's text only when it changed (avoids relayout every frame)."""
    if widget.text() != text:
        widget.setText(text)


class Panel(QFrame):
    """A panel with an upper-case heading and a vertical body layout in ``body``."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("panel", True)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 10, 14, 12)
        self.body.setSpacing(6)
        self.heading = label(title.upper(), "heading")
        if title:
            self.body.addWidget(self.heading)
