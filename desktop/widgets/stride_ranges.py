"""Per-stride trunk bend and twist ranges as numbers, each with a trend sparkline."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from desktop import palette
from desktop.view_models import DASH, STRIDE_METRICS, StrideTrends, format_number
from desktop.widgets.panel import Panel, label, set_text
from desktop.widgets.sparkline import Sparkline
from processing.reference import TENG_POWERS_2015, TRUNK_FLEXION_GROUPS_DEG

LEAN_KEY = "trunk_flex_mean_deg"
TWIST_KEY = "trunk_rot_rom_deg"


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
        self.names: dict[str, QLabel] = {}
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
            self.names[metric.key] = name
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            grid.addWidget(spark, row, 2)
            self.values[metric.key] = value
            self.sparklines[metric.key] = spark
        self.body.addLayout(grid, 1)
        self.set_references((5.0, 15.0), 8.0)
        self.refresh(force=True)

    def set_references(
        self, lean_band: tuple[float, float] | None, twist_min: float | None
    ) -> None:
        """The feedback bands on the trunk flexion and rotation trends (None: no band);
        the Teng & Powers (2015) group means are always drawn on trunk flexion."""
        groups = tuple(TRUNK_FLEXION_GROUPS_DEG.values())
        self.sparklines[LEAN_KEY].set_reference(lean_band, groups)
        lines = ", ".join(f"{v:g}° ({k})" for k, v in TRUNK_FLEXION_GROUPS_DEG.items())
        band = f"shaded: lean band {lean_band[0]:g}–{lean_band[1]:g}°\n" if lean_band else ""
        self.names[LEAN_KEY].setToolTip(f"{band}dashed: {lines}\n{TENG_POWERS_2015}")
        if twist_min is None:
            self.sparklines[TWIST_KEY].set_reference()
            self.names[TWIST_KEY].setToolTip("")
        else:
            self.sparklines[TWIST_KEY].set_reference(
                (-math.inf, twist_min), (twist_min,), palette.WARNING_COLOUR
            )
            self.names[TWIST_KEY].setToolTip(
                f"dashed: twist band {twist_min:g}°; shaded below it: a guarded trunk"
                " (Seay et al. 2011)"
            )
        self.reference = (lean_band, twist_min)

    def restyle(self) -> None:
        for name in self.names.values():
            name.setStyleSheet(f"color: {palette.TEXT_MUTED}; font-size: 14px;")
        for metric in STRIDE_METRICS:
            colour = (
                palette.PELVIS_COLOUR if metric.key.startswith("pelvis") else palette.TRUNK_COLOUR
            )
            self.sparklines[metric.key].colour = colour
        lean_band, twist_min = self.reference
        self.set_references(lean_band, twist_min)

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
