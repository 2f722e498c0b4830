"""Style sheets and state colours of the setup, wizard and re-check dialogs, read from the
palette when called, so a dialog styled after a theme switch gets the new theme."""

from __future__ import annotations

from desktop import palette
from desktop.theme import stylesheet
from drivers.types import PodState


def ok_colour() -> str:
    return palette.STATE_COLOURS[PodState.STREAMING]


def busy_colour() -> str:
    return palette.WARNING_COLOUR


def problem_colour() -> str:
    return palette.RECORDING_COLOUR


def idle_colour() -> str:
    return palette.TEXT_DIM


def dialog_style() -> str:
    """The app's style sheet plus dialog, table, button and input styling."""
    p = palette
    return stylesheet() + f"""
QDialog {{ background: {p.BACKGROUND}; }}
QTableWidget {{ background: {p.PANEL}; gridline-color: {p.PANEL_BORDER};
               border: 1px solid {p.PANEL_BORDER}; border-radius: 8px; font-size: 13px; }}
QHeaderView::section {{ background: {p.PANEL}; color: {p.TEXT_MUTED}; border: none;
                       border-bottom: 1px solid {p.PANEL_BORDER}; padding: 4px 6px;
                       font-weight: 600; }}
QPushButton {{ background: {p.PANEL_BORDER}; border: 1px solid {p.ABSENT_COLOUR};
              border-radius: 6px; padding: 4px 14px; font-weight: 600; }}
QPushButton:disabled {{ color: {p.TEXT_DIM}; }}
QLineEdit, QPlainTextEdit {{
    background: {p.PLOT_BACKGROUND}; border: 1px solid {p.ABSENT_COLOUR};
    border-radius: 4px; padding: 3px 6px; font-size: 13px;
}}
QTableWidget QLineEdit {{ padding: 0 4px; }}
QDoubleSpinBox {{
    background: {p.PLOT_BACKGROUND}; border: 1px solid {p.ABSENT_COLOUR};
    border-radius: 4px; padding: 3px 20px 3px 6px; font-size: 13px;
}}
QDoubleSpinBox::up-button, QDoubleSpinBox::down-button {{
    subcontrol-origin: border; width: 16px; border: none; background: {p.PANEL_BORDER};
}}
QDoubleSpinBox::up-button {{ subcontrol-position: top right; border-top-right-radius: 4px; }}
QDoubleSpinBox::down-button {{
    subcontrol-position: bottom right; border-bottom-right-radius: 4px;
    border-top: 1px solid {p.PLOT_BACKGROUND};
}}
"""  # fmt: skip
