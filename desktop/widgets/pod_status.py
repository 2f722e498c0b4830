"""The pod status row: one compact card per placement, coloured by connection state, with
its link quality (rate, loss, reconnects, RSSI, battery, sync)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop import palette
from desktop.pod_view_models import PLACEMENT_ORDER, PodCardModel
from desktop.widgets.panel import ignore_text_width, label, set_text
from drivers.types import Placement


class PodCard(QFrame):
    """Placement, model, effective rate, samples lost, reconnects, the radio figures and
    sync quality, and the state as a coloured pill."""

    def __init__(self, placement: Placement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placement = placement
        self.model: PodCardModel | None = None
        self.setObjectName("podCard")
        self.title = label("", None)
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.state = QLabel("")
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state.setFixedWidth(104)  # a state change must not relayout the window
        self.pod_model = label("", "muted")
        self.rate = label("", None)
        self.lost = label("", None)
        self.detail = label("", "muted")
        self.link = label("", "muted")
        self.confidence = label("", "muted")  # ambiguous / low confidence / what it rests on
        self.confidence.setObjectName("podConfidence")
        for text in (self.title, self.pod_model, self.rate, self.lost, self.detail, self.link,
                     self.confidence):  # fmt: skip
            ignore_text_width(text)
        self._build()
        self.set_model(PodCardModel.absent(placement))

    def set_compact(self, compact: bool) -> None:
        """Compact: only the placement, the state, the rate and the samples lost (two
        lines), for a window short of height."""
        for detail in (self.pod_model, self.detail, self.link):
            detail.setVisible(not compact)

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title, 1)  # text width ignored: it must get the stretch
        top.addWidget(self.state)
        numbers = QHBoxLayout()
        numbers.addWidget(self.rate, 1)
        numbers.addWidget(self.lost, 1)
        self.lost.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.pod_model)
        layout.addLayout(numbers)
        layout.addWidget(self.confidence)
        layout.addWidget(self.detail)
        layout.addWidget(self.link)

    def set_model(self, model: PodCardModel) -> None:
        if model == self.model:
            return
        previous, self.model = self.model, model
        set_text(self.title, model.title)
        set_text(self.state, model.state_text)
        set_text(self.pod_model, model.model)
        set_text(self.rate, model.rate_text)
        set_text(self.lost, model.lost_text)
        set_text(self.detail, model.detail)
        set_text(self.link, model.link_text)
        set_text(self.confidence, model.confidence)
        self.confidence.setToolTip(model.confidence)
        self.confidence.setVisible(bool(model.confidence))
        if previous is None or previous.confidence_colour != model.confidence_colour:
            self._style_confidence(model.confidence_colour)
        if previous is None or previous.colour != model.colour:
            self._restyle(model.colour)

    def _style_confidence(self, colour: str) -> None:
        """In the warning colour (and bold) when the pod's numbers are in doubt."""
        self.confidence.setStyleSheet(f"color: {colour}; font-weight: 600;" if colour else "")

    def restyle(self) -> None:
        if self.model is not None:
            self._restyle(self.model.colour)
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")

    def _restyle(self, colour: str) -> None:
        tint = palette.mix(colour, palette.PANEL, 0.10)
        self.setStyleSheet(
            f"QFrame#podCard {{ background: {tint}; border: 1px solid {palette.PANEL_BORDER};"
            f" border-left: 5px solid {colour}; border-radius: 8px; }}"
        )
        self.state.setStyleSheet(
            f"background: {colour}; color: {palette.BACKGROUND}; font-weight: 700;"
            " font-size: 11px; border-radius: 9px; padding: 2px 10px;"
        )


class PodStatusRow(QWidget):
    """Cards for trunk, pelvis, left shoe and right shoe, in that order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.cards = {placement: PodCard(placement) for placement in PLACEMENT_ORDER}
        for card in self.cards.values():
            layout.addWidget(card, 1)

    def set_compact(self, compact: bool) -> None:
        for card in self.cards.values():
            card.set_compact(compact)

    def set_cards(self, models: list[PodCardModel]) -> None:
        for model in models:
            self.cards[model.placement].set_model(model)
