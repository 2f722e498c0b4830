"""Retraining feedback in the live window (see ``desktop.feedback.control``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.feedback.control import FeedbackControl

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def install_feedback(window: MainWindow) -> FeedbackControl:
    """Add the Feedback menu and the feedback bar (in the feedback row, beside the cue
    slot) to ``window`` and pull feedback every frame."""
    control = FeedbackControl(window)
    window.dashboard.add_feedback_bar(control.bar)
    window.add_frame_part("feedback", control.on_frame)
    window.add_frame_part("feedback status", control.refresh_status, status=True)
    return control
