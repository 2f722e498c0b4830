"""Retraining feedback in the live window (see ``desktop.feedback.control``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QBoxLayout, QLayout, QWidget

from desktop.feedback.control import FeedbackControl

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def install_feedback(window: MainWindow) -> FeedbackControl:
    """Add the Feedback menu and the feedback bar (atop the traces' column) to ``window``
    and pull feedback every frame."""
    control = FeedbackControl(window)
    trace_panel = window.traces.parentWidget()
    column = _layout_holding(window.centralWidget().layout(), trace_panel)
    if column is not None:
        column.insertWidget(0, control.bar)
    else:  # a window laid out otherwise: under everything else
        window.centralWidget().layout().addWidget(control.bar)
    window.add_frame_part("feedback", control.on_frame)
    window.add_frame_part("feedback status", control.refresh_status, status=True)
    return control


def _layout_holding(layout: QLayout | None, widget: QWidget | None) -> QBoxLayout | None:
    """The box layout under ``layout`` that holds ``widget`` directly."""
    if layout is None or widget is None:
        return None
    if isinstance(layout, QBoxLayout) and layout.indexOf(widget) >= 0:
        return layout
    for i in range(layout.count()):
        found = _layout_holding(layout.itemAt(i).layout(), widget)
        if found is not None:
            return found
    return None
