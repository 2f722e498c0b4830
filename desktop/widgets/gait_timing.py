"""Cadence and per-foot contact time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from desktop import palette
from desktop.view_models import CadenceContactModel, format_number
from desktop.widgets.panel import Panel, ignore_text_width, label, set_text
from processing.events import Side
from processing.reference import Symmetry


def symmetry_text(symmetry: Symmetry) -> str:
    """``contact +2.1%`` and ``FSA −7.0°`` on two lines (dashes where unknown)."""
    si, fsa = symmetry.contact_si_pct, symmetry.fsa_diff_deg
    contact = "—" if si is None else f"{si:+.1f}%".replace("-", "−")
    angle = "—" if fsa is None else f"{fsa:+.1f}°".replace("-", "−")
    return f"contact {contact}\nFSA {angle}"


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
        self.symmetry = label("—", None)  # contact time SI and strike angle difference
        self.symmetry.setToolTip(
            "Left/right over each foot's last 20 steps. Contact time: symmetry index"
            " 100 × (L − R) / mean(L, R), 0 is symmetric, + means left longer."
            " Strike angle: left − right in degrees (an index of a signed angle near 0°"
            " means nothing)."
        )
        grid.addWidget(label("Symmetry L−R", "muted"), 0, 3)
        grid.addWidget(self.symmetry, 1, 3)
        self.body.addLayout(grid)
        self.foot_pods = ignore_text_width(label("", "muted"))
        self.foot_pods.setVisible(False)
        self.body.addWidget(self.foot_pods)
        self.restyle()
        self.refresh()

    @staticmethod
    def _value(colour: str | None = None) -> QLabel:
        value = label("—", "value")
        value.setStyleSheet(f"color: {colour or palette.TEXT}; font-size: 30px;")
        value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return value

    def set_symmetry(self, symmetry: Symmetry) -> None:
        set_text(self.symmetry, symmetry_text(symmetry))

    def restyle(self) -> None:
        self.symmetry.setStyleSheet(f"color: {palette.TEXT}; font-size: 14px; font-weight: 600;")
        self.cadence.setStyleSheet(f"color: {palette.TEXT}; font-size: 30px;")
        for side, widget in self.contact.items():
            widget.setStyleSheet(f"color: {palette.SIDE_COLOURS[side]}; font-size: 30px;")

    def set_foot_pods(self, text: str) -> None:
        """``desktop.pod_view_models.foot_pod_text``; hidden when empty."""
        set_text(self.foot_pods, text)
        if self.foot_pods.isHidden() == bool(text):
            self.foot_pods.setVisible(bool(text))

    def refresh(self) -> None:
        set_text(self.cadence, format_number(self.model.cadence_spm))
        for side, widget in self.contact.items():
            set_text(widget, format_number(self.model.contact_ms(side)))
