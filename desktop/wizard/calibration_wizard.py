"""The calibration wizard (Session → Calibrate…): stand still, walk or run, see the result.

A non-modal dialog over the dashboard, so the live panels keep running behind it. It polls
its ``CalibrationFlow`` at ``POLL_HZ`` and moves on by itself when a step is done: the
clinician's hands stay free. Skip leaves the optional walking step; Start again asks for a
new calibration. With simulated pods the simulated runner is asked to stand for the
stillness step (it runs on afterwards); after 10 s without stillness a hint line says what
to do. On the result page **Done** is the default button (Enter accepts the wizard); before
it, Enter does nothing, and no button but Done is ever pressed by Enter (Start again is
clicked, never pressed by accident).
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import palette
from desktop.widgets.panel import label, set_text
from desktop.wizard.flow import CalibrationFlow, Step
from desktop.wizard.pod_rows import PodRows
from desktop.wizard.style import busy_colour, dialog_style, idle_colour, ok_colour, problem_colour
from processing.calibration_check import alignment_words, confidence_words
from processing.stages.alignment import AlignmentStatus
from processing.stages.segment import CONFIRMED_NOTE

POLL_HZ = 10.0
STEP_TITLES = ("1  Stand still", "2  Walk or run", "3  Result")
STAND_TEXT = (
    "Stand upright on the treadmill belt (stopped), feet flat and hip-width apart, arms "
    "relaxed, looking ahead. Hold still for 3 seconds: this posture becomes the neutral "
    "every angle is measured from."
)
MOVE_TEXT = (
    "Now walk or run at an easy pace for about 10 seconds. gaitdeck finds which way each "
    "pod faces from the movement. This step is optional: Skip if the runner will run anyway."
)
LEAN_TEXT = (
    "A pod's forward direction is ambiguous: its cues disagree, and gaitdeck will not guess. "
    "Ask the runner to stand tall, then lean the trunk forward from the hips (about 15°) and "
    "hold still for 3 seconds: the lean shows which way is forward."
)
AXES_NOTE = (
    "x, y, z are the pod's own axes (marked on most pod cases). Quality 0–1 says how well "
    "the walking or running fitted those axes."
)
STEP_STYLE = "font-size: 13px; font-weight: 600; padding: 4px 10px; border-radius: 10px;"
BIG_STYLE = "font-size: 56px; font-weight: 700;"
HINT_STYLE = "font-size: 13px; font-weight: 600;"


def hint_label() -> QLabel:
    """The stillness step's hint line (hidden while there is none)."""
    hint = QLabel("")
    hint.setWordWrap(True)
    hint.setVisible(False)
    return hint


def show_hint(hint: QLabel, text: str) -> None:
    set_text(hint, text)
    style = f"{HINT_STYLE} color: {busy_colour()};"
    if hint.styleSheet() != style:
        hint.setStyleSheet(style)
    hint.setVisible(bool(text))


def _page(text: str) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 6, 0, 0)
    layout.setSpacing(10)
    intro = QLabel(text)
    intro.setWordWrap(True)
    layout.addWidget(intro)
    return page, layout


class CalibrationWizard(QDialog):
    """Renders a ``CalibrationFlow`` on ``session``."""

    def __init__(self, session: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = CalibrationFlow(session)
        self.setWindowTitle("gaitdeck · calibration")
        self.setStyleSheet(dialog_style())
        self.setModal(False)
        self.resize(640, 460)
        self._build()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(int(1000 / POLL_HZ))
        self.refresh()

    def _build(self) -> None:
        steps = QHBoxLayout()
        self.step_labels = [QLabel(title) for title in STEP_TITLES]
        for step_label in self.step_labels:
            steps.addWidget(step_label)
        steps.addStretch(1)

        stand, stand_layout = _page(STAND_TEXT)
        self.countdown = QLabel("3")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setStyleSheet(BIG_STYLE)
        self.stand_rows = PodRows()
        self.hint = hint_label()
        stand_layout.addWidget(self.countdown)
        stand_layout.addWidget(self.stand_rows)
        stand_layout.addWidget(self.hint)
        stand_layout.addStretch(1)
        move, move_layout = _page(MOVE_TEXT)
        self.move_rows = PodRows()
        move_layout.addWidget(self.move_rows)
        move_layout.addStretch(1)
        summary, summary_layout = _page("What gaitdeck found, pod by pod:")
        self.summary_rows = PodRows()
        summary_layout.addWidget(self.summary_rows)
        note = label(AXES_NOTE, "muted")
        note.setWordWrap(True)
        summary_layout.addWidget(note)
        summary_layout.addStretch(1)
        lean, lean_layout = _page(LEAN_TEXT)
        self.lean_rows = PodRows()
        lean_layout.addWidget(self.lean_rows)
        lean_layout.addStretch(1)
        self.pages = QStackedWidget()
        for page in (stand, move, summary, lean):
            self.pages.addWidget(page)

        self.message = label("", None)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 14px; font-weight: 600;")
        self.again_button = QPushButton("Start again")
        self.again_button.setToolTip("Ask for a new calibration from the next quiet standing")
        self.again_button.clicked.connect(self.start_again)
        self.skip_button = QPushButton("Skip")
        self.skip_button.setToolTip("Leave the walking step out")
        self.skip_button.clicked.connect(self.skip)
        self.lean_button = QPushButton("Confirm by leaning")
        self.lean_button.setToolTip("The runner leans forward briefly: that shows forward")
        self.lean_button.clicked.connect(self.ask_lean)
        self.close_button = QPushButton("Cancel")
        self.close_button.clicked.connect(self._finish)
        for button in (self.again_button, self.skip_button, self.lean_button, self.close_button):
            button.setAutoDefault(False)  # Enter presses the default button only
        buttons = QHBoxLayout()
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        buttons.addWidget(self.lean_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.close_button)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 14)
        outer.setSpacing(12)
        outer.addLayout(steps)
        outer.addWidget(self.pages, 1)
        outer.addWidget(self.message)
        outer.addLayout(buttons)

    # ------------------------------------------------------------------------ actions
    def start_again(self) -> None:
        self.flow.restart()
        self.refresh()

    def skip(self) -> None:
        self.flow.skip()
        self.refresh()

    def ask_lean(self) -> None:
        self.flow.ask_lean()
        self.refresh()

    def _finish(self) -> None:
        """Done on the result page accepts the calibration; Cancel before it rejects."""
        if self.flow.step is Step.SUMMARY:
            self.accept()
        else:
            self.reject()

    @property
    def step(self) -> Step:
        return self.flow.step

    # ------------------------------------------------------------------------ drawing
    def refresh(self) -> None:
        """Poll the flow and redraw (the timer's slot; safe to call by hand)."""
        self.flow.tick()
        page = {Step.STAND: 0, Step.MOVE: 1, Step.SUMMARY: 2, Step.LEAN: 3}[self.flow.step]
        self.pages.setCurrentIndex(page)
        index = min(page, 2)  # the lean is part of the result
        for i, step_label in enumerate(self.step_labels):
            colour, background = (
                (palette.BACKGROUND, palette.TRUNK_COLOUR) if i == index
                else (palette.TEXT if i < index else palette.TEXT_DIM, palette.PANEL)
            )  # fmt: skip
            step_label.setStyleSheet(f"{STEP_STYLE} color: {colour}; background: {background};")
        set_text(self.message, self.flow.message)
        self.skip_button.setVisible(self.flow.step is Step.MOVE)
        asking = self.flow.step in (Step.MOVE, Step.SUMMARY) and bool(self.flow.in_doubt())
        self.lean_button.setVisible(asking)
        summary = self.flow.step is Step.SUMMARY
        self.close_button.setText("Done" if summary else "Cancel")
        if self.close_button.isDefault() != summary:
            self.close_button.setDefault(summary)
        [self._draw_stand, self._draw_move, self._draw_summary, self._draw_lean][page]()

    def _draw_stand(self) -> None:
        flow = self.flow
        remaining = flow.countdown.remaining_s
        text = "✓" if flow.countdown.done else str(max(1, math.ceil(remaining - 1e-9)))
        set_text(self.countdown, text if flow.latest_t_s() is not None else "–")
        colour = (
            ok_colour()
            if flow.countdown.done
            else (busy_colour() if flow.countdown.still_since_s else idle_colour())
        )
        self.countdown.setStyleSheet(f"{BIG_STYLE} color: {colour};")
        rows = {}
        for placement, words in flow.pod_words().items():
            still = flow.stillness[placement].still and placement not in flow.stale
            if placement in flow.calibrated:
                rows[placement] = ("calibrated ✓", ok_colour())
            else:
                rows[placement] = (words, ok_colour() if still else busy_colour())
        self.stand_rows.show_rows(rows)
        show_hint(self.hint, flow.hint)

    def _draw_move(self) -> None:
        colours = {
            AlignmentStatus.DECIDED: ok_colour(),
            AlignmentStatus.AMBIGUOUS: problem_colour(),
        }
        words = self.flow.move_words()
        cals = self.flow.calibrations
        self.move_rows.show_rows(
            {p: (words[p], colours.get(c.status, busy_colour())) for p, c in cals.items()}
        )

    def _draw_lean(self) -> None:
        rows = {
            p: (words, ok_colour() if "hold still" in words else busy_colour())
            for p, words in self.flow.lean_words().items()
        }
        self.lean_rows.show_rows(rows)

    def _draw_summary(self) -> None:
        rows = {}
        doubtful = self.flow.in_doubt()
        for placement, cal in self.flow.calibrations.items():
            sure = cal.status is AlignmentStatus.DECIDED
            good = sure and (confidence_words(cal.quality) == "confident" or
                             cal.note == CONFIRMED_NOTE)  # fmt: skip
            text = alignment_words(cal).split(": ", 1)[1]
            bad = placement in doubtful or not cal.calibrated
            rows[placement] = (text, ok_colour() if good else problem_colour() if bad
                               else busy_colour())  # fmt: skip
        self.summary_rows.show_rows(rows)

    def summary_lines(self) -> list[str]:
        """The summary in words, one line per pod (as shown)."""
        return [alignment_words(cal) for cal in self.flow.calibrations.values()]

    def restyle(self) -> None:
        """After a theme switch."""
        self.setStyleSheet(dialog_style())
        self.refresh()

    def done(self, result: int) -> None:
        """Accept or reject (Done, Cancel, Enter, Escape): stop polling, then hide."""
        self.timer.stop()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        super().closeEvent(event)
