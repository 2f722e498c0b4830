"""The on-screen retraining cue: a large, brief, high-contrast message in its own slot.

The banner is a widget in the window's layout (beside the feedback bar), always reserved,
so a cue never covers the live traces or the strike headline and nothing moves when one
shows. Idle, the slot shows a dim hint. ``show_cue(text)`` shows the message at full
strength for ``HOLD_MS``, then fades it out over ``FADE_MS``. The text is as large as
``TEXT_PT`` allows and shrinks (wrapping) to fit the slot; sizes are in points, so they
scale with the screen. The banner paints itself with an opacity, so a screenshot
(``QWidget.grab``) shows it as the runner sees it. A hidden slot (the feedback row turned
off in View → Panels) shows the cue in the window's status bar instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QRect, QRectF, QSize, Qt, QTimer, QVariantAnimation
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QMainWindow, QSizePolicy, QWidget

from desktop import palette

HOLD_MS = 1000
FADE_MS = 450
TEXT_PT = 30.0  # points: about 1.3 cm tall letters on a 96 dpi screen, read from 2–3 m
MIN_TEXT_PT = 11.0  # a very long message in a small slot: shrunk no further (it clips)
HINT_PT = 11.0
IDLE_HINT = "Feedback cues show here"
TEXT_FLAGS = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap


def fitted_font(base: QFont, text: str, room: QRect, largest_pt: float = TEXT_PT) -> QFont:
    """``base`` at the largest size (from ``largest_pt`` down, 1 pt steps) at which ``text``
    wrapped into ``room`` fits; ``MIN_TEXT_PT`` if none does."""
    font = QFont(base)
    size_pt = largest_pt
    while size_pt > MIN_TEXT_PT:
        font.setPointSizeF(size_pt)
        bounds = QFontMetrics(font).boundingRect(room, int(TEXT_FLAGS), text)
        if bounds.width() <= room.width() and bounds.height() <= room.height():
            return font
        size_pt -= 1.0
    font.setPointSizeF(MIN_TEXT_PT)
    return font


class CueBanner(QWidget):
    """The cue slot; ``shown`` counts cues shown, ``active`` is true while one is visible."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setObjectName("cueBanner")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.text = ""
        self.accent = palette.CUE_BACKGROUND
        self.opacity = 0.0
        self.shown = 0
        font = QFont(self.font())
        font.setWeight(QFont.Weight.ExtraBold)
        font.setPointSizeF(TEXT_PT)
        self.setFont(font)
        self._text_font = QFont(font)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._fade)
        self._fade_anim = QVariantAnimation(self)
        self._fade_anim.setStartValue(1.0)
        self._fade_anim.setEndValue(0.0)
        self._fade_anim.setDuration(FADE_MS)
        self._fade_anim.setEasingCurve(QEasingCurve.Type.InQuad)
        self._fade_anim.valueChanged.connect(self._set_opacity)

    def sizeHint(self) -> QSize:
        line = QFontMetrics(self.font()).height()  # one line at full size, with padding
        return QSize(8 * line, line + line // 2)

    def minimumSizeHint(self) -> QSize:
        hint = QFont(self.font())
        hint.setPointSizeF(2 * MIN_TEXT_PT)
        line = QFontMetrics(hint).height()
        return QSize(6 * line, line + line // 2)

    def show_cue(self, text: str, accent: str | None = None) -> None:
        """Show ``text`` now (replacing a cue still showing) and fade it after the hold."""
        self.text = text
        self.accent = accent or palette.CUE_BACKGROUND
        self.shown += 1
        self._fade_anim.stop()
        self._text_font = fitted_font(self.font(), text, self._text_room())
        self._set_opacity(1.0)
        self._hold.start(HOLD_MS)
        window = self.window()
        if not self.isVisible() and isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, HOLD_MS + FADE_MS)

    @property
    def active(self) -> bool:
        return self.opacity > 0.0

    def _fade(self) -> None:
        self._fade_anim.start()

    def _set_opacity(self, value: object) -> None:
        self.opacity = float(value)  # type: ignore[arg-type]
        self.update()

    def _padding(self) -> int:
        return QFontMetrics(self.font()).height() // 4

    def _text_room(self) -> QRect:
        pad = self._padding()
        return self.rect().adjusted(2 * pad, pad // 2, -2 * pad, -pad // 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.text:
            self._text_font = fitted_font(self.font(), self.text, self._text_room())

    def restyle(self) -> None:
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = min(12.0, rect.height() / 4)
        self._paint_idle(painter, rect, radius, hint=self.opacity == 0.0)
        if self.opacity > 0.0:
            painter.setOpacity(self.opacity)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(self.accent))
            painter.drawRoundedRect(rect, radius, radius)
            painter.setPen(QColor(palette.CUE_TEXT))
            painter.setFont(self._text_font)
            painter.drawText(QRectF(self._text_room()), TEXT_FLAGS, self.text)
        painter.end()

    def _paint_idle(self, painter: QPainter, rect: QRectF, radius: float, hint: bool) -> None:
        pen = QPen(QColor(palette.PANEL_BORDER), 1.0, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, radius, radius)
        if not hint:  # a fading cue: its text alone, not the hint through it
            return
        hint = QFont(self.font())
        hint.setPointSizeF(HINT_PT)
        hint.setWeight(QFont.Weight.Normal)
        painter.setFont(hint)
        painter.setPen(QColor(palette.TEXT_DIM))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, IDLE_HINT)
