"""The replay timeline: the recording as a bar with its markers and loop range, a handle at
the playback position; click or drag to seek (on release), shift-drag to choose a loop."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop import palette
from desktop.replay_control import format_clock

MARKER_COLOUR = palette.USER_MARKER_COLOUR
LOOP_COLOUR = "#4fc3f7"
PLAYED_COLOUR = "#5d7fa3"
MARGIN_PX = 8
TOOLTIP_PX = 6  # how near a marker the pointer must be for its tooltip


class Timeline(QWidget):
    """Emits ``seek_requested(t_s)`` when a click or drag is released, ``loop_selected(a, b)``
    after a shift-drag and ``scrubbed(t_s)`` while dragging (to preview the time)."""

    seek_requested = Signal(float)
    loop_selected = Signal(float, float)
    scrubbed = Signal(float)

    def __init__(self, start_s: float, end_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_s, self.end_s = start_s, max(end_s, start_s + 1e-3)
        self.position_s = start_s
        self.markers: list[tuple[float, str]] = []
        self.loop: tuple[float, float] | None = None
        self._drag: float | None = None  # where a seek drag is
        self._loop_from: float | None = None  # shift-drag anchor
        self._loop_to: float | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(34)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return QSize(600, 34)

    # ----------------------------------------------------------------- coordinates
    def _track(self) -> QRectF:
        return QRectF(MARGIN_PX, 0, max(1.0, self.width() - 2 * MARGIN_PX), self.height())

    def x_of(self, t_s: float) -> float:
        track = self._track()
        fraction = (t_s - self.start_s) / (self.end_s - self.start_s)
        return track.left() + min(max(fraction, 0.0), 1.0) * track.width()

    def time_at(self, x: float) -> float:
        track = self._track()
        fraction = min(max((x - track.left()) / track.width(), 0.0), 1.0)
        return self.start_s + fraction * (self.end_s - self.start_s)

    def marker_near(self, x: float) -> tuple[float, str] | None:
        """The marker drawn within TOOLTIP_PX of ``x``, nearest first."""
        near = [(abs(self.x_of(t) - x), t, text) for t, text in self.markers]
        near = [m for m in near if m[0] <= TOOLTIP_PX]
        if not near:
            return None
        _, t_s, text = min(near)
        return t_s, text

    # ----------------------------------------------------------------------- state
    def set_position(self, t_s: float) -> None:
        if t_s != self.position_s:
            self.position_s = t_s
            self.update()

    def set_markers(self, markers: list[tuple[float, str]]) -> None:
        self.markers = list(markers)
        self.update()

    def set_loop(self, loop: tuple[float, float] | None) -> None:
        if loop != self.loop:
            self.loop = loop
            self.update()

    @property
    def dragging(self) -> bool:
        return self._drag is not None or self._loop_from is not None

    # ----------------------------------------------------------------------- mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        t_s = self.time_at(event.position().x())
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._loop_from = self._loop_to = t_s
        else:
            self._drag = t_s
            self.scrubbed.emit(t_s)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        t_s = self.time_at(event.position().x())
        if self._loop_from is not None:
            self._loop_to = t_s
        elif self._drag is not None:
            self._drag = t_s
            self.scrubbed.emit(t_s)
        else:
            return
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        t_s = self.time_at(event.position().x())
        if self._loop_from is not None:
            a_s, self._loop_from, self._loop_to = self._loop_from, None, None
            self.update()
            self.loop_selected.emit(min(a_s, t_s), max(a_s, t_s))
        elif self._drag is not None:
            self._drag = None
            self.position_s = t_s
            self.update()
            self.seek_requested.emit(t_s)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            marker = self.marker_near(event.pos().x())
            if marker is None:
                text = format_clock(self.time_at(event.pos().x()))
            else:
                text = f"{format_clock(marker[0])}  {marker[1]}"
            QToolTip.showText(event.globalPos(), text, self)
            return True
        return super().event(event)

    # ----------------------------------------------------------------------- paint
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = self._track()
        mid = track.center().y()
        groove = QRectF(track.left(), mid - 3, track.width(), 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(palette.PANEL_BORDER))
        painter.drawRoundedRect(groove, 3, 3)
        loop = self._shown_loop()
        if loop is not None:
            band = QRectF(
                QPointF(self.x_of(loop[0]), 3), QPointF(self.x_of(loop[1]), track.bottom() - 3)
            )
            colour = QColor(LOOP_COLOUR)
            colour.setAlpha(60)
            painter.setBrush(colour)
            painter.drawRect(band)
            painter.setPen(QPen(QColor(LOOP_COLOUR), 2))
            painter.drawLine(band.topLeft(), band.bottomLeft())
            painter.drawLine(band.topRight(), band.bottomRight())
            painter.setPen(Qt.PenStyle.NoPen)
        position = self._drag if self._drag is not None else self.position_s
        x = self.x_of(position)
        painter.setBrush(QColor(PLAYED_COLOUR))
        painter.drawRoundedRect(QRectF(track.left(), mid - 3, x - track.left(), 6), 3, 3)
        painter.setPen(QPen(QColor(MARKER_COLOUR), 2))
        for t_s, _ in self.markers:
            mx = self.x_of(t_s)
            painter.drawLine(QPointF(mx, 4), QPointF(mx, mid - 5))
            painter.drawLine(QPointF(mx, mid + 5), QPointF(mx, track.bottom() - 4))
        painter.setPen(QPen(QColor(palette.BACKGROUND), 2))
        painter.setBrush(QColor(palette.TEXT))
        painter.drawEllipse(QPointF(x, mid), 7, 7)
        painter.end()

    def _shown_loop(self) -> tuple[float, float] | None:
        if self._loop_from is not None and self._loop_to is not None:
            return min(self._loop_from, self._loop_to), max(self._loop_from, self._loop_to)
        return self.loop
