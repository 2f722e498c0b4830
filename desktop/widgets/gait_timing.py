"""Cadence and per-foot contact time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from desktop import palette
from desktop.view_models import CadenceContactModel, format_number
from desktop.widgets.panel import Panel, ignore_text_width, label, set_text
from processing.events import Side


class GaitTimingPanel(Panel):
    """Cadence (steps/min) and contact time of each foot (ms); below them, when foot pods
    are connected, the cadence and speed they report."""

    def __init__(self, model: CadenceContactModel, parent: QWidget | None = None) -> None:
        super().__init__("Cadence & contact time", parent)
        self.model = model
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        self.cadence = self._value()
        self.contact = {side: self._value(palette.SIDE_COLOURS[side]) for side in Side}
        captions = ("Cadence (steps/min)", "Contact left (ms)", "Contact right (ms)")
        values = (self.cadence, self.contact[Side.LEFT], self.contact[Side.RIGHT])
        for column, (caption, value) in enumerate(zip(captions, values, strict=True)):
            grid.addWidget(label(caption, "muted"), 0, column)
            grid.addWidget(value, 1, column)
        self.body.addLayout(grid)
        self.foot_pods = ignore_text_width(label("", "muted"))
        self.foot_pods.setVisible(False)
        self.body.addWidget(self.foot_pods)
        self.refresh()

    @staticmethod
    def _value(colour: str = palette.TEXT) -> QLabel:
        value = label("—", "value")
        value.setStyleSheet(f"color: {colour}; font-size: 30px;")
        value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return value

    def set_foot_pods(self, text: str) -> None:
        """``desktop.pod_view_models.foot_pod_text``; hidden when empty."""
        set_text(self.foot_pods, text)
        if self.foot_pods.isHidden() == bool(text):
            self.foot_pods.setVisible(bool(text))

    def refresh(self) -> None:
        set_text(self.cadence, format_number(self.model.cadence_spm))
        for side, widget in self.contact.items():
            set_text(widget, format_number(self.model.contact_ms(side)))
