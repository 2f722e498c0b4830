"""Pelvis–trunk coordination: phase shares per stride as stacked bars, CRP and its trend."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop import palette
from desktop.coordination_model import PHASE_BINS, CoordinationTrends, crp_note
from desktop.view_models import DASH, format_deg
from desktop.widgets.panel import Panel, ignore_text_width, label, set_text
from desktop.widgets.sparkline import Sparkline
from drivers.types import FloatArray
from processing.reference import Baseline

DETAILS = (  # (StrideEvent field, caption, decimals) under the CRP
    ("pt_transverse_coupling_deg", "Coupling angle (45 in, 135 anti)", 0),
    ("pt_transverse_cav_deg", "Coupling variability (CAV)", 1),
    ("pt_transverse_crp_sd_deg", "CRP variability (DP)", 1),
    ("pt_sagittal_crp_mean_deg", "Sagittal CRP · tilt–flexion", 0),
    ("trunk_bend_twist_crp_mean_deg", "Trunk bend–twist CRP", 0),
)


class PhaseShareBars(QWidget):
    """One stacked bar per stride (oldest left), shares in PHASE_BINS order bottom up;
    a stride without coordination leaves an empty slot."""

    def __init__(self, capacity: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.capacity = capacity
        self.shares_pct: FloatArray = np.zeros((0, len(PHASE_BINS)))
        self.baseline_pct: float | None = None  # the runner's baseline in-phase share
        self._colours = [QColor(b.colour) for b in PHASE_BINS]
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 70)

    def sizeHint(self) -> QSize:
        return QSize(360, 120)

    def set_shares(self, shares_pct: FloatArray) -> None:
        self.shares_pct = np.asarray(shares_pct, dtype=np.float64)[-self.capacity :]
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(palette.PLOT_BACKGROUND))
        plot = QRectF(4, 4, self.width() - 8, self.height() - 8)
        painter.setPen(QPen(QColor(palette.GRID), 1, Qt.PenStyle.DotLine))
        painter.drawLine(
            int(plot.left()), int(plot.center().y()), int(plot.right()), int(plot.center().y())
        )
        slot = plot.width() / self.capacity
        offset = self.capacity - len(self.shares_pct)
        painter.setPen(Qt.PenStyle.NoPen)
        for i, shares in enumerate(self.shares_pct):
            if not np.isfinite(shares).all():
                continue
            x = plot.left() + (offset + i) * slot + 1
            bottom = plot.bottom()
            for colour, pct in zip(self._colours, shares, strict=True):
                height = plot.height() * pct / 100.0
                painter.setBrush(colour)
                painter.drawRect(QRectF(x, bottom - height, max(1.0, slot - 2), height))
                bottom -= height
        if self.baseline_pct is not None:
            y = plot.bottom() - plot.height() * self.baseline_pct / 100.0
            painter.setPen(QPen(QColor(palette.REFERENCE_COLOUR), 2, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.end()


class CoordinationPanel(Panel):
    """Transverse-plane pelvis–trunk coordination of recent strides: stacked phase shares
    with their running mean in the legend; the latest CRP, its running mean and trend; and
    the latest stride's coupling angle, variabilities and the other couplings' CRP."""

    def __init__(self, trends: CoordinationTrends, parent: QWidget | None = None) -> None:
        super().__init__("Pelvis–trunk coordination", parent)
        self.trends = trends
        self._revision = -1
        self.subtitle = ignore_text_width(label("", "muted"))
        self.body.addWidget(self.subtitle)
        self.bars = PhaseShareBars(trends.window)
        self.legend = {b.key: self._legend_label() for b in PHASE_BINS}
        self.crp = label(DASH, "value")
        self.crp_note = label("", None)
        self.crp_note.setStyleSheet("font-size: 14px;")
        self.crp_mean = label("", "muted")
        self.crp_trend = Sparkline(palette.TEXT_MUTED, trends.trend_window)
        self.baseline_label = ignore_text_width(label("", "muted"))
        self.baseline_label.setToolTip(
            "The runner's own baseline: mean in-phase share (dashed line on the bars) and CRP"
            " (dashed line on the trend) of the first strides after calibration or after"
            " Feedback → Set coordination baseline."
        )
        self.details: dict[str, QLabel] = {}
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addLayout(self._share_column(), 3)
        columns.addLayout(self._crp_column(), 2)
        self.body.addLayout(columns, 1)
        self.body.addWidget(self.baseline_label)
        self.set_baseline(None, "")
        self.refresh(force=True)

    def set_baseline(self, baseline: Baseline | None, text: str) -> None:
        """Draw ``baseline`` (None: none yet) and say ``text`` about it."""
        self.baseline = baseline
        self.bars.baseline_pct = baseline.in_phase_pct if baseline else None
        self.bars.update()
        self.crp_trend.set_reference(lines=(baseline.crp_deg,) if baseline else ())
        set_text(self.baseline_label, text)

    def restyle(self) -> None:
        for widget in self.legend.values():
            widget.setStyleSheet(f"color: {palette.TEXT_MUTED}; font-size: 12px;")
        self.crp_trend.colour = palette.TEXT_MUTED
        self.bars._colours = [QColor(c) for c in (palette.IN_PHASE_COLOUR, palette.PELVIS_COLOUR,
                              palette.TRUNK_COLOUR, palette.ANTI_PHASE_COLOUR)]  # fmt: skip
        self.refresh(force=True)

    @staticmethod
    def _legend_label() -> QLabel:
        widget = label("", None)
        widget.setStyleSheet(f"color: {palette.TEXT_MUTED}; font-size: 12px;")
        return widget

    def _share_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(4)
        column.addWidget(self.bars, 1)
        legend = QGridLayout()
        legend.setHorizontalSpacing(12)
        legend.setVerticalSpacing(0)
        for i, phase_bin in enumerate(PHASE_BINS):
            legend.addWidget(self.legend[phase_bin.key], i // 2, i % 2)
        column.addLayout(legend)
        return column

    def _crp_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(label("Relative phase (CRP) · 0° in, 180° anti", "muted"))
        notes = QVBoxLayout()
        notes.setSpacing(0)
        notes.addWidget(self.crp_note)
        notes.addWidget(self.crp_mean)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.crp)
        top.addLayout(notes, 1)
        column.addLayout(top)
        self.crp_trend.setMinimumSize(120, 26)
        column.addWidget(self.crp_trend)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(1)
        for row, (key, caption, _) in enumerate(DETAILS):
            value = label(DASH, None)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label(caption, "muted"), row, 0)
            grid.addWidget(value, row, 1)
            self.details[key] = value
        column.addLayout(grid)
        column.addStretch(1)
        return column

    def refresh(self, force: bool = False) -> None:
        if not force and self.trends.revision == self._revision:
            return
        self._revision = self.trends.revision
        trends = self.trends
        set_text(
            self.subtitle,
            f"axial rotation, pelvis vs trunk · bars: last {trends.window} strides"
            f" · legend: mean of the last {trends.mean_of}",
        )
        self.bars.set_shares(trends.shares_pct())
        means = trends.mean_shares_pct()
        for i, phase_bin in enumerate(PHASE_BINS):
            pct = DASH if means is None else f"{round(float(means[i]))}%"
            colour = self.bars._colours[i].name()  # the theme's, as the bars draw them
            text = f"<span style='color:{colour}'>&#9632;</span> {phase_bin.label} {pct}"
            set_text(self.legend[phase_bin.key], text)
        latest = trends.latest_value("pt_transverse_crp_mean_deg")
        set_text(self.crp, format_deg(latest, decimals=0))
        set_text(self.crp_note, crp_note(latest) if trends.latest else "waiting for strides")
        mean = trends.mean_crp_deg()
        set_text(self.crp_mean, f"mean of last {trends.mean_of}: {format_deg(mean, decimals=0)}")
        self.crp_trend.set_values(trends.crp_series())
        for key, _, decimals in DETAILS:
            value = trends.latest_value(key)
            set_text(self.details[key], format_deg(value, decimals=decimals))
