"""A horizontal foot strike angle scale: the forefoot / midfoot / rearfoot zones split at
the Altman & Davis (2012) thresholds, the foot's recent steps as ticks and the last step
as a marker."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop import palette
from processing.events import StrikeType
from processing.reference import ALTMAN_DAVIS_2012, STRIKE_THRESHOLDS

RANGE_DEG = (-20.0, 30.0)


class FsaScale(QWidget):
    """``set_values(recent, last)`` in degrees; thresholds from ``StrikeThresholds``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thresholds = (STRIKE_THRESHOLDS.forefoot_below_deg,
                           STRIKE_THRESHOLDS.rearfoot_above_deg)  # fmt: skip
        self.recent: list[float] = []
        self.last: float | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(round(2.7 * QFontMetricsF(self.font()).height()))
        self.setToolTip(ALTMAN_DAVIS_2012)

    def sizeHint(self) -> QSize:
        return QSize(260, self.height())

    def set_values(self, recent: Sequence[float], last: float | None) -> None:
        self.recent = [v for v in recent if math.isfinite(v)]
        self.last = last
        self.update()

    def x_of(self, deg: float, track: QRectF) -> float:
        low, high = RANGE_DEG
        fraction = (min(max(deg, low), high) - low) / (high - low)
        return track.left() + fraction * track.width()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        line = QFontMetricsF(self.font()).height()
        track = QRectF(6, line * 0.7, self.width() - 12, line * 0.75)
        fore, rear = (self.x_of(t, track) for t in self.thresholds)
        zones = ((track.left(), fore, StrikeType.FOREFOOT), (fore, rear, StrikeType.MIDFOOT),
                 (rear, track.right(), StrikeType.REARFOOT))  # fmt: skip
        for left, right, strike in zones:
            colour = QColor(palette.mix(palette.STRIKE_COLOURS[strike], palette.PANEL, 0.35))
            painter.fillRect(QRectF(left, track.top(), right - left, track.height()), colour)
        painter.setPen(QPen(QColor(palette.TEXT_MUTED), 1))
        for value, x in zip(self.thresholds, (fore, rear), strict=True):
            painter.drawLine(QPointF(x, track.top() - line * 0.2), QPointF(x, track.bottom()))
            text = f"{value:+g}°".replace("-", "−")
            box = QRectF(x - 3 * line, track.bottom(), 6 * line, line * 1.2)
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)
        painter.setPen(QPen(QColor(palette.TEXT), 1.2))
        for value in self.recent:
            x = self.x_of(value, track)
            painter.drawLine(QPointF(x, track.top() + 2), QPointF(x, track.bottom() - 2))
        if self.last is not None and math.isfinite(self.last):
            x = self.x_of(self.last, track)
            size = line * 0.45
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(palette.TEXT))
            painter.drawPolygon(QPolygonF([QPointF(x - size, track.top() - size * 1.6),
                                           QPointF(x + size, track.top() - size * 1.6),
                                           QPointF(x, track.top())]))  # fmt: skip
        painter.end()
