"""A small trend line without axes; NaN values leave gaps, the newest point is a dot."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop import palette
from drivers.types import FloatArray


class Sparkline(QWidget):
    """Draws ``values`` left (oldest) to right (newest) over ``capacity`` slots."""

    def __init__(self, colour: str, capacity: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = colour
        self.capacity = capacity
        self.values: FloatArray = np.empty(0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(120, 30)

    def sizeHint(self) -> QSize:
        return QSize(220, 40)

    def set_values(self, values: FloatArray) -> None:
        self.values = np.asarray(values, dtype=np.float64)[-self.capacity :]
        self.update()

    def value_range(self) -> tuple[float, float] | None:
        finite = self.values[np.isfinite(self.values)]
        if not finite.size:
            return None
        low, high = float(finite.min()), float(finite.max())
        pad = max(0.5, 0.15 * (high - low))  # a flat series stays mid-height, 0.5° min span
        return low - pad, high + pad

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(palette.PLOT_BACKGROUND))
        painter.setPen(QPen(QColor(palette.GRID), 1, Qt.PenStyle.DotLine))
        painter.drawLine(0, self.height() // 2, self.width(), self.height() // 2)
        span = self.value_range()
        if span is not None:
            self._draw_series(painter, *span)
        painter.end()

    def _point(self, i: int, value: float, low: float, high: float) -> QPointF:
        w, h = self.width() - 8, self.height() - 8
        offset = self.capacity - len(self.values)
        x = 4 + w * (offset + i) / max(1, self.capacity - 1)
        y = 4 + h * (1.0 - (value - low) / (high - low))
        return QPointF(x, y)

    def _draw_series(self, painter: QPainter, low: float, high: float) -> None:
        path = QPainterPath()
        pen_down = False
        for i, value in enumerate(self.values):
            if not math.isfinite(value):
                pen_down = False
                continue
            point = self._point(i, float(value), low, high)
            if pen_down:
                path.lineTo(point)
            else:
                path.moveTo(point)
                pen_down = True
        painter.setPen(QPen(QColor(self.colour), 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        last = float(self.values[-1]) if len(self.values) else math.nan
        if math.isfinite(last):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(self.colour))
            painter.drawEllipse(self._point(len(self.values) - 1, last, low, high), 3.0, 3.0)
