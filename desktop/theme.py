"""Applies the light or dark theme to the application, its windows and pyqtgraph.

``apply_theme(app)`` uses the saved theme (View → Theme, persisted in QSettings) unless told
one; ``restyle(window)`` re-applies what was styled once — the window's style sheet, plot
backgrounds and axes, and every widget with a ``restyle()`` method — after a switch.
Sizes are in points or font-relative where Qt scales them; the few pixel sizes left are
device-independent pixels, which Qt scales by the device pixel ratio (high-DPI).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from desktop import palette
from desktop.layout import app_settings

THEME_KEY = "view/theme"


def stylesheet() -> str:
    """The application style sheet in the current palette."""
    p = palette
    return f"""
QMainWindow, QWidget#central {{ background: {p.BACKGROUND}; }}
QWidget {{ color: {p.TEXT}; }}
QFrame[panel="true"] {{
    background: {p.PANEL}; border: 1px solid {p.PANEL_BORDER}; border-radius: 8px;
}}
QLabel {{ background: transparent; border: none; }}
QLabel[role="heading"] {{
    color: {p.TEXT_MUTED}; font-size: 12px; font-weight: 600; letter-spacing: 1px;
}}
QLabel[role="muted"] {{ color: {p.TEXT_MUTED}; font-size: 12px; }}
QLabel[role="value"] {{ font-size: {p.METRIC_VALUE_PX}px; font-weight: 600; }}
QToolBar {{ background: transparent; border: none; spacing: 6px; padding: 0; }}
QToolButton {{
    color: {p.TEXT}; background: {p.PANEL}; border: 1px solid {p.PANEL_BORDER};
    border-radius: 8px; padding: 6px 18px; font-size: 14px; font-weight: 600;
}}
QToolButton:hover {{ background: {p.GRID}; }}
QToolButton:pressed {{ background: {p.TEXT_DIM}; }}
QToolButton:checked {{
    background: {p.RECORDING_COLOUR}; border-color: {p.RECORDING_COLOUR}; color: {p.BACKGROUND};
}}
QToolButton:disabled {{ color: {p.TEXT_DIM}; }}
QPushButton, QComboBox {{
    color: {p.TEXT}; background: {p.PANEL}; border: 1px solid {p.GRID};
    border-radius: 6px; padding: 4px 12px; font-size: 13px; font-weight: 600;
}}
QPushButton:hover, QComboBox:hover {{ background: {p.GRID}; }}
QPushButton:pressed {{ background: {p.TEXT_DIM}; }}
QPushButton:checked {{ background: {p.BAND_COLOUR}; color: {p.PANEL}; }}
QPushButton:disabled {{ color: {p.TEXT_DIM}; border-color: {p.PANEL_BORDER}; }}
QComboBox QAbstractItemView {{
    background: {p.PANEL}; color: {p.TEXT}; selection-background-color: {p.GRID};
}}
QMenuBar {{ background: {p.BACKGROUND}; color: {p.TEXT}; }}
QMenuBar::item:selected, QMenu::item:selected {{ background: {p.GRID}; }}
QMenu {{ background: {p.PANEL}; color: {p.TEXT}; border: 1px solid {p.GRID}; }}
QMenu::item:disabled {{ color: {p.TEXT_DIM}; }}
QStatusBar {{ background: {p.PANEL}; color: {p.TEXT_MUTED}; font-size: 12px; }}
QStatusBar QLabel {{ color: {p.TEXT_MUTED}; padding: 0 8px; }}
QToolTip {{ background: {p.PANEL}; color: {p.TEXT}; border: 1px solid {p.GRID}; }}
"""


STYLESHEET = stylesheet()  # the dark one, for code that styles before a theme is chosen


def saved_theme() -> str:
    name = str(app_settings().value(THEME_KEY, palette.DARK))
    return name if name in palette.THEMES else palette.DARK


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options; call before any plot is created."""
    pg.setConfigOptions(
        antialias=False, background=palette.PLOT_BACKGROUND, foreground=palette.TEXT_MUTED
    )


def apply_theme(app: QApplication, name: str | None = None) -> str:
    """Switch the palette to ``name`` (default: the saved theme) and style ``app``;
    returns the theme applied."""
    name = name or saved_theme()
    palette.use(name)
    configure_pyqtgraph()
    qpalette = app.palette()
    for role, colour in (
        (QPalette.ColorRole.Window, palette.BACKGROUND),
        (QPalette.ColorRole.WindowText, palette.TEXT),
        (QPalette.ColorRole.Base, palette.PANEL),
        (QPalette.ColorRole.Text, palette.TEXT),
        (QPalette.ColorRole.Button, palette.PANEL),
        (QPalette.ColorRole.ButtonText, palette.TEXT),
        (QPalette.ColorRole.ToolTipBase, palette.PANEL),
        (QPalette.ColorRole.ToolTipText, palette.TEXT),
    ):
        qpalette.setColor(role, QColor(colour))
    app.setPalette(qpalette)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(10.0)
    app.setFont(font)
    return name


def save_theme(name: str) -> None:
    app_settings().setValue(THEME_KEY, name)


def restyle_plots(root: QWidget) -> None:
    """Backgrounds, axes and text of every pyqtgraph view under ``root``."""
    for view in root.findChildren(pg.GraphicsView):
        view.setBackground(palette.PLOT_BACKGROUND)
        for item in view.scene().items():
            if isinstance(item, pg.AxisItem):
                item.setPen(pg.mkPen(palette.TEXT_MUTED))
                item.setTextPen(pg.mkPen(palette.TEXT_MUTED))


def restyle(window: QWidget) -> None:
    """Re-apply the current palette to ``window`` and everything in it."""
    window.setStyleSheet(stylesheet())
    restyle_plots(window)
    for widget in [window, *window.findChildren(QWidget)]:
        hook = getattr(widget, "restyle", None)
        if callable(hook):
            hook()
        widget.update()
