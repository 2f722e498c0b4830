"""Per-stride trunk bend and twist ranges as numbers, each with a trend sparkline."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from desktop import palette
from desktop.view_models import DASH, STRIDE_METRICS, StrideTrends, format_number
from desktop.widgets.panel import Panel, label, set_text
from desktop.widgets.sparkline import Sparkline


class StrideRangesPanel(Panel):
    """Latest stride's ranges ("—" where a pod is missing) and their last-N-strides trend."""

    def __init__(self, trends: StrideTrends, parent: QWidget | None = None) -> None:
        super().__init__("Bend & twist per stride", parent)
        self.trends = trends
        self._revision = -1
        self.subtitle = label("", "muted")
        self.body.addWidget(self.subtitle)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(2, 1)
        self.values: dict[str, QLabel] = {}
        self.sparklines: dict[str, Sparkline] = {}
        for row, metric in enumerate(STRIDE_METRICS):
            colour = (
                palette.PELVIS_COLOUR if metric.key.startswith("pelvis") else (palette.TRUNK_COLOUR)
            )
            name = label(metric.label, None)
            name.setStyleSheet(f"color: {palette.TEXT_MUTED}; font-size: 14px;")
            value = label(DASH, "value")
            value.setStyleSheet("font-size: 22px;")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(96)
            spark = Sparkline(colour, trends.window)
            spark.setMinimumHeight(24)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            grid.addWidget(spark, row, 2)
            self.values[metric.key] = value
            self.sparklines[metric.key] = spark
        self.body.addLayout(grid, 1)
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        if not force and self.trends.revision == self._revision:
            return
        self._revision = self.trends.revision
        latest = self.trends.latest
        if latest is None:
            subtitle = f"waiting for strides · trend over the last {self.trends.window}"
        else:
            subtitle = (
                f"latest stride ({latest.side.value}, {format_number(latest.duration_s, 's', 2)})"
                f" · trend over the last {self.trends.window} strides"
            )
        set_text(self.subtitle, subtitle)
        for metric in STRIDE_METRICS:
            set_text(self.values[metric.key], self.trends.latest_text(metric.key))
            self.sparklines[metric.key].set_values(self.trends.series(metric.key))
