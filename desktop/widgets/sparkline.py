"""A small trend line without axes; NaN values leave gaps, the newest point is a dot.
Optionally a shaded band and dashed reference lines (kept in view)."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
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
        self.band: tuple[float, float] | None = None  # shaded; an edge may be infinite
        self.band_colour = palette.BAND_COLOUR
        self.lines: tuple[float, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(120, 30)

    def sizeHint(self) -> QSize:
        return QSize(220, 40)

    def set_values(self, values: FloatArray) -> None:
        self.values = np.asarray(values, dtype=np.float64)[-self.capacity :]
        self.update()

    def set_reference(
        self,
        band: tuple[float, float] | None = None,
        lines: tuple[float, ...] = (),
        band_colour: str | None = None,
    ) -> None:
        """Shade ``band`` (low, high) and draw ``lines``; both stay in the value range."""
        self.band, self.lines = band, tuple(lines)
        self.band_colour = band_colour or palette.BAND_COLOUR
        self.update()

    def _reference_values(self) -> list[float]:
        edges = list(self.band) if self.band is not None else []
        return [v for v in (*edges, *self.lines) if math.isfinite(v)]

    def value_range(self) -> tuple[float, float] | None:
        finite = self.values[np.isfinite(self.values)]
        if not finite.size:
            return None
        references = self._reference_values()
        low = min(float(finite.min()), *references) if references else float(finite.min())
        high = max(float(finite.max()), *references) if references else float(finite.max())
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
            self._draw_reference(painter, *span)
            self._draw_series(painter, *span)
        painter.end()

    def _point(self, i: int, value: float, low: float, high: float) -> QPointF:
        w, h = self.width() - 8, self.height() - 8
        offset = self.capacity - len(self.values)
        x = 4 + w * (offset + i) / max(1, self.capacity - 1)
        y = 4 + h * (1.0 - (value - low) / (high - low))
        return QPointF(x, y)

    def _y(self, value: float, low: float, high: float) -> float:
        value = min(max(value, low), high)
        return 4 + (self.height() - 8) * (1.0 - (value - low) / (high - low))

    def _draw_reference(self, painter: QPainter, low: float, high: float) -> None:
        if self.band is not None:
            top, bottom = self._y(self.band[1], low, high), self._y(self.band[0], low, high)
            colour = QColor(self.band_colour)
            colour.setAlpha(46)
            painter.fillRect(QRectF(0, top, self.width(), bottom - top), colour)
        painter.setPen(QPen(QColor(palette.REFERENCE_COLOUR), 1, Qt.PenStyle.DashLine))
        for value in self.lines:
            y = self._y(value, low, high)
            painter.drawLine(QPointF(0, y), QPointF(self.width(), y))

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
