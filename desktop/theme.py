"""Applies the dark clinical theme to the application and to pyqtgraph."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from desktop import palette

STYLESHEET = f"""
QMainWindow, QWidget#central {{ background: {palette.BACKGROUND}; }}
QWidget {{ color: {palette.TEXT}; }}
QFrame[panel="true"] {{
    background: {palette.PANEL};
    border: 1px solid {palette.PANEL_BORDER};
    border-radius: 8px;
}}
QLabel {{ background: transparent; border: none; }}
QLabel[role="heading"] {{
    color: {palette.TEXT_MUTED}; font-size: 12px; font-weight: 600; letter-spacing: 1px;
}}
QLabel[role="muted"] {{ color: {palette.TEXT_MUTED}; font-size: 12px; }}
QLabel[role="value"] {{ font-size: {palette.METRIC_VALUE_PX}px; font-weight: 600; }}
QToolBar {{ background: transparent; border: none; spacing: 6px; padding: 0; }}
QToolButton {{
    color: {palette.TEXT}; background: {palette.PANEL}; border: 1px solid {palette.PANEL_BORDER};
    border-radius: 8px; padding: 6px 18px; font-size: 14px; font-weight: 600;
}}
QToolButton:hover {{ background: {palette.GRID}; }}
QToolButton:pressed {{ background: {palette.TEXT_DIM}; }}
QToolButton:checked {{
    background: {palette.RECORDING_COLOUR}; border-color: {palette.RECORDING_COLOUR};
    color: {palette.BACKGROUND};
}}
QToolButton:disabled {{ color: {palette.TEXT_DIM}; }}
QPushButton, QComboBox {{
    color: {palette.TEXT}; background: {palette.PANEL}; border: 1px solid {palette.GRID};
    border-radius: 6px; padding: 4px 12px; font-size: 13px; font-weight: 600;
}}
QPushButton:hover, QComboBox:hover {{ background: {palette.GRID}; }}
QPushButton:pressed {{ background: {palette.TEXT_DIM}; }}
QPushButton:disabled {{ color: {palette.TEXT_DIM}; border-color: {palette.PANEL_BORDER}; }}
QComboBox QAbstractItemView {{
    background: {palette.PANEL}; color: {palette.TEXT}; selection-background-color: {palette.GRID};
}}
QMenuBar {{ background: {palette.BACKGROUND}; color: {palette.TEXT}; }}
QMenuBar::item:selected, QMenu::item:selected {{ background: {palette.GRID}; }}
QMenu {{ background: {palette.PANEL}; color: {palette.TEXT}; border: 1px solid {palette.GRID}; }}
QMenu::item:disabled {{ color: {palette.TEXT_DIM}; }}
QStatusBar {{ background: {palette.PANEL}; color: {palette.TEXT_MUTED}; font-size: 12px; }}
QStatusBar QLabel {{ color: {palette.TEXT_MUTED}; padding: 0 8px; }}
"""


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options; call before any plot is created."""
    pg.setConfigOptions(
        antialias=False, background=palette.PLOT_BACKGROUND, foreground=palette.TEXT_MUTED
    )


def apply_theme(app: QApplication) -> None:
    configure_pyqtgraph()
    qpalette = app.palette()
    qpalette.setColor(QPalette.ColorRole.Window, QColor(palette.BACKGROUND))
    qpalette.setColor(QPalette.ColorRole.WindowText, QColor(palette.TEXT))
    qpalette.setColor(QPalette.ColorRole.Base, QColor(palette.PANEL))
    qpalette.setColor(QPalette.ColorRole.Text, QColor(palette.TEXT))
    qpalette.setColor(QPalette.ColorRole.Button, QColor(palette.PANEL))
    qpalette.setColor(QPalette.ColorRole.ButtonText, QColor(palette.TEXT))
    qpalette.setColor(QPalette.ColorRole.ToolTipBase, QColor(palette.PANEL))
    qpalette.setColor(QPalette.ColorRole.ToolTipText, QColor(palette.TEXT))
    app.setPalette(qpalette)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(10.0)
    app.setFont(font)
