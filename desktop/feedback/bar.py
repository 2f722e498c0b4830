"""The compact feedback bar: cues on/off with their thresholds, the schedule, Start/Stop,
and the running block with its given/due counts, in one row."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop import palette
from desktop.widgets.panel import ignore_text_width, label, set_text
from processing.feedback import FeedbackSettings, FeedbackStatus

SCHEDULE_LABELS = {"constant": "Constant", "faded": "Faded"}
GAP_TIP = (
    "Least time between two cues; the same cue waits twice as long. A cue is due only when "
    "most of the runner's last 5 steps or strides on that side are outside the band"
)
SCHEDULE_TIPS = {
    "constant": "Every due cue is given (100%)",
    "faded": "Every due cue, then every other one, then none: 100% → 50% → 0% per block",
}


def _spin(low: float, high: float, step: float, suffix: str, tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setDecimals(1)
    spin.setSuffix(suffix)
    spin.setToolTip(tip)
    spin.setKeyboardTracking(False)  # one change per edit, not per key
    widest = spin.fontMetrics().horizontalAdvance(f"−{high:.1f}{suffix}")
    spin.setMaximumWidth(widest + 4 * spin.fontMetrics().height())  # room for the arrows
    return spin


def format_clock(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "∞"
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def status_text(status: FeedbackStatus | None, running: bool) -> str:
    """``faded 50% · 2:13 left · given 12 of 24 due`` (the running block's tally), or
    ``stopped in faded 50% · given 30 of 42 due over the run`` once stopped."""
    if status is None:
        return "off · press Start to begin a feedback block"
    tally = f"given {status.given} of {status.due} due"
    if not running:
        return f"stopped in {status.block} · given {status.run_given} of {status.run_due} due" + (
            " over the run" if status.index > 0 else ""
        )
    if status.finished:
        return f"schedule complete ({status.block}) · {tally}"
    step = f"block {status.index + 1}/{status.blocks}" if status.blocks > 1 else ""
    left = f"{format_clock(status.left_s)} left" if math.isfinite(status.left_s) else ""
    return " · ".join(p for p in (status.block, step, left, tally) if p)


class FeedbackBar(QWidget):
    """Emits ``settings_changed`` with new settings and ``start_toggled`` on Start/Stop."""

    settings_changed = Signal(object)
    start_toggled = Signal(bool)

    def __init__(self, settings: FeedbackSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackBar")
        self.setProperty("panel", True)
        self.heading = label("FEEDBACK", "heading")
        self.start_button = QPushButton("▶ Start")
        self.start_button.setCheckable(True)
        self.start_button.setToolTip("Start / stop a feedback block (Ctrl+F)")
        self.start_button.toggled.connect(self._toggled)
        self.rearfoot = QCheckBox("Rearfoot")
        self.rearfoot.setToolTip("Cue when most recent strikes on a side are rearfoot (foot "
                                 "strike angle above 8°)")  # fmt: skip
        self.twist = QCheckBox("Twist ≥")
        self.twist_min = _spin(1.0, 40.0, 0.5, "°", "Cue when trunk rotation range falls below")
        self.lean = QCheckBox("Lean")
        self.lean_low = _spin(-10.0, 40.0, 0.5, "°", "Cue when mean trunk flexion is below")
        self.lean_high = _spin(-10.0, 45.0, 0.5, "°", "Cue when mean trunk flexion is above")
        self.schedule = QComboBox()
        for i, (key, text) in enumerate(SCHEDULE_LABELS.items()):
            self.schedule.addItem(text, key)
            self.schedule.setItemData(i, SCHEDULE_TIPS[key], Qt.ItemDataRole.ToolTipRole)
        self.schedule.setToolTip(SCHEDULE_TIPS["faded"])
        self.block_min = _spin(0.5, 60.0, 0.5, " min", "Length of each block")
        self.retention = QCheckBox("Retention")
        self.retention.setToolTip("End with a block of the same length with feedback off")
        self.cue_gap = _spin(0.0, 30.0, 0.5, " s", GAP_TIP)
        self.status = ignore_text_width(label("", None))
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._build()
        self.set_settings(settings)
        for box in (self.rearfoot, self.twist, self.lean, self.retention):
            box.toggled.connect(self._emit)
        for spin in (self.twist_min, self.lean_low, self.lean_high, self.block_min,
                     self.cue_gap):  # fmt: skip
            spin.valueChanged.connect(self._emit)
        self.schedule.currentIndexChanged.connect(self._emit)
        self.restyle()

    def _build(self) -> None:
        """Three short rows, so the bar fits one column of the window."""
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.setSpacing(4)
        rows = (
            (self.heading, self.rearfoot, self.twist, self.twist_min, self.lean,
             self.lean_low, label("–", None), self.lean_high),
            (self.start_button, label("Schedule", "muted"), self.schedule,
             label("blocks of", "muted"), self.block_min, self.retention,
             label("gap ≥", "muted"), self.cue_gap),
        )  # fmt: skip
        for widgets in rows:
            row = QHBoxLayout()
            row.setSpacing(6)
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch(1)
            column.addLayout(row)
        column.addWidget(self.status)

    def settings(self) -> FeedbackSettings:
        low, high = self.lean_low.value(), self.lean_high.value()
        if low >= high:
            low, high = high - 0.5, low + 0.5  # keep a valid band while the user edits
        return FeedbackSettings(
            rearfoot=self.rearfoot.isChecked(),
            twist=self.twist.isChecked(),
            twist_min_deg=self.twist_min.value(),
            lean=self.lean.isChecked(),
            lean_low_deg=low,
            lean_high_deg=high,
            schedule=str(self.schedule.currentData()),
            block_min=self.block_min.value(),
            retention=self.retention.isChecked(),
            cue_gap_s=self.cue_gap.value(),
        )

    def set_settings(self, s: FeedbackSettings) -> None:
        """Show ``s`` without emitting ``settings_changed``."""
        widgets: list[QWidget] = [self.rearfoot, self.twist, self.lean, self.retention,
                                  self.twist_min, self.lean_low, self.lean_high,
                                  self.block_min, self.schedule, self.cue_gap]  # fmt: skip
        for widget in widgets:
            widget.blockSignals(True)
        self.rearfoot.setChecked(s.rearfoot)
        self.twist.setChecked(s.twist)
        self.twist_min.setValue(s.twist_min_deg)
        self.lean.setChecked(s.lean)
        self.lean_low.setValue(s.lean_low_deg)
        self.lean_high.setValue(s.lean_high_deg)
        self.schedule.setCurrentIndex(max(0, self.schedule.findData(s.schedule)))
        self.block_min.setValue(s.block_min)
        self.retention.setChecked(s.retention)
        self.cue_gap.setValue(s.cue_gap_s)
        for widget in widgets:
            widget.blockSignals(False)
        self.twist_min.setEnabled(s.twist)
        self.lean_low.setEnabled(s.lean)
        self.lean_high.setEnabled(s.lean)

    def set_running(self, running: bool) -> None:
        self.start_button.blockSignals(True)
        self.start_button.setChecked(running)
        self.start_button.blockSignals(False)
        self.start_button.setText("■ Stop" if running else "▶ Start")
        for widget in (self.schedule, self.block_min, self.retention):
            widget.setEnabled(not running)  # a schedule is fixed for a run

    def show_status(self, status: FeedbackStatus | None, running: bool) -> None:
        set_text(self.status, status_text(status, running))

    def restyle(self) -> None:
        self.status.setStyleSheet(f"color: {palette.TEXT}; font-size: 15px; font-weight: 600;")

    def _emit(self, *_: object) -> None:
        settings = self.settings()
        self.twist_min.setEnabled(settings.twist)
        self.lean_low.setEnabled(settings.lean)
        self.lean_high.setEnabled(settings.lean)
        self.settings_changed.emit(settings)

    def _toggled(self, on: bool) -> None:
        self.start_toggled.emit(on)
