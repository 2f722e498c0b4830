"""Session → Re-check calibration: stand still again; has a pod slipped since calibration?

Counts down 3 s of stillness like the wizard, without recalibrating, then compares each
pod's gravity direction with its calibration standing. A pod that moved more than the
threshold is named in a warning, with Recalibrate… at hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets.panel import label, set_text
from desktop.wizard.calibration_wizard import BIG_STYLE, POLL_HZ, hint_label, show_hint
from desktop.wizard.flow import RecheckFlow, Step
from desktop.wizard.pod_rows import PodRows
from desktop.wizard.style import busy_colour, dialog_style, idle_colour, ok_colour, problem_colour
from processing.calibration_check import POD_NAMES

RECHECK_TEXT = (
    "Stand still the way you stood at calibration (upright, feet flat, looking ahead) for "
    "3 seconds. Each pod's tilt is compared with its tilt at calibration."
)


class RecheckDialog(QDialog):
    """Renders a ``RecheckFlow``; ``recalibrate`` is called by the Recalibrate… button,
    ``threshold_changed`` when the clinician changes the warning threshold."""

    def __init__(
        self,
        session: object,
        threshold_deg: float,
        parent: QWidget | None = None,
        *,
        recalibrate: Callable[[], object] | None = None,
        threshold_changed: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.flow = RecheckFlow(session, threshold_deg)
        self.recalibrate = recalibrate
        self.threshold_changed = threshold_changed
        self.setWindowTitle("gaitdeck · re-check calibration")
        self.setStyleSheet(dialog_style())
        self.setModal(False)
        self.resize(620, 400)
        self._build(threshold_deg)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(int(1000 / POLL_HZ))
        self.refresh()

    def _build(self, threshold_deg: float) -> None:
        intro = QLabel(RECHECK_TEXT)
        intro.setWordWrap(True)
        self.countdown = QLabel("3")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setStyleSheet(BIG_STYLE)
        self.rows = PodRows()
        self.hint = hint_label()
        self.message = label("", None)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 14px; font-weight: 600;")
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(1.0, 30.0)
        self.threshold.setSingleStep(0.5)
        self.threshold.setDecimals(1)
        self.threshold.setSuffix(" °")
        self.threshold.setValue(threshold_deg)
        self.threshold.valueChanged.connect(self._threshold)
        self.again_button = QPushButton("Check again")
        self.again_button.clicked.connect(self.check_again)
        self.recalibrate_button = QPushButton("Recalibrate…")
        self.recalibrate_button.clicked.connect(self._recalibrate)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        for button in (self.again_button, self.recalibrate_button, self.close_button):
            button.setAutoDefault(False)  # Enter presses the default button only
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Warn when a pod moved more than"))
        buttons.addWidget(self.threshold)
        buttons.addStretch(1)
        for button in (self.again_button, self.recalibrate_button, self.close_button):
            buttons.addWidget(button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 14)
        outer.setSpacing(12)
        outer.addWidget(label("RE-CHECK CALIBRATION", "heading"))
        outer.addWidget(intro)
        outer.addWidget(self.countdown)
        outer.addWidget(self.rows)
        outer.addWidget(self.hint)
        outer.addStretch(1)
        outer.addWidget(self.message)
        outer.addLayout(buttons)

    def _threshold(self, value: float) -> None:
        self.flow.threshold_deg = value
        if self.threshold_changed is not None:
            self.threshold_changed(value)

    def _recalibrate(self) -> None:
        self.close()
        if self.recalibrate is not None:
            self.recalibrate()

    def check_again(self) -> None:
        self.flow.restart()
        self.refresh()

    def refresh(self) -> None:
        flow = self.flow
        flow.tick()
        set_text(self.message, flow.message)
        show_hint(self.hint, flow.hint)
        if flow.step is Step.RESULT:
            self.countdown.setVisible(False)
            rows = {}
            for r in flow.results:
                colour = ok_colour() if r.angle_deg is not None else idle_colour()
                text = r.message.removeprefix(POD_NAMES[r.placement]).lstrip(": ")
                rows[r.placement] = (text, problem_colour() if r.moved else colour)
            self.rows.show_rows(rows)
            moved = any(r.moved for r in flow.results)
            (self.recalibrate_button if moved else self.close_button).setDefault(True)
            return
        for button in (self.recalibrate_button, self.close_button):
            button.setDefault(False)  # counting down: Enter does nothing
        self.countdown.setVisible(True)
        remaining = flow.countdown.remaining_s
        set_text(self.countdown, str(max(1, math.ceil(remaining - 1e-9)))
                 if flow.latest_t_s() is not None else "–")  # fmt: skip
        colour = busy_colour() if flow.countdown.still_since_s else idle_colour()
        self.countdown.setStyleSheet(f"{BIG_STYLE} color: {colour};")
        words = flow.pod_words()
        self.rows.show_rows({
            p: (words[p], ok_colour() if s.still and p not in flow.stale else busy_colour())
            for p, s in flow.stillness.items()
        })  # fmt: skip

    def warnings(self) -> list[str]:
        """The warnings shown (pods that moved), one line each."""
        return [r.message for r in self.flow.results if r.moved]

    def restyle(self) -> None:
        """After a theme switch."""
        self.setStyleSheet(dialog_style())
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        super().closeEvent(event)
