"""One line per pod: a coloured dot, the pod's name and what is known about it."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from desktop import palette
from desktop.pod_view_models import PLACEMENT_ORDER
from desktop.widgets.panel import set_text
from drivers.types import Placement
from processing.calibration_check import POD_NAMES

NAME_STYLE = "font-weight: 600;"
DOT_STYLE = "font-size: 16px;"


class PodRows(QWidget):
    """``show_rows({placement: (text, colour)})``: rows appear for the pods given; the
    colours are read from the palette at each call (theme switches).

    The name and dot fonts are set when the rows are built, not with the colours: a font
    that changes when a row is first shown leaves the grid sized for the old one (bold
    names cut short, the last dot clipped). Names never shrink below their width.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(2, 1)
        self.rows: dict[Placement, tuple[QLabel, QLabel, QLabel]] = {}
        for i, placement in enumerate(PLACEMENT_ORDER):
            dot, name, text = QLabel("●"), QLabel(POD_NAMES[placement]), QLabel("")
            dot.setStyleSheet(DOT_STYLE)
            name.setStyleSheet(NAME_STYLE)
            name.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
            text.setWordWrap(True)
            for column, widget in enumerate((dot, name, text)):
                self.grid.addWidget(widget, i, column)
                widget.setVisible(False)
            self.rows[placement] = (dot, name, text)

    def show_rows(self, rows: Mapping[Placement, tuple[str, str]]) -> None:
        for placement, (dot, name, text) in self.rows.items():
            shown = placement in rows
            for widget in (dot, name, text):
                widget.setVisible(shown)
            if shown:
                words, colour = rows[placement]
                set_text(text, words)
                name.setStyleSheet(f"color: {palette.PLACEMENT_COLOURS[placement]}; {NAME_STYLE}")
                dot.setStyleSheet(f"color: {colour}; {DOT_STYLE}")

    def text(self, placement: Placement) -> str:
        return self.rows[placement][2].text()
