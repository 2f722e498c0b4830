"""The on-screen retraining cue: a large, brief, high-contrast banner over the window.

``show_cue(text)`` shows the message at full strength for ``HOLD_MS``, then fades it out
over ``FADE_MS`` and hides it. It floats over its ``anchor`` widget (the live traces, so
the strike headline and the feedback tally stay readable) or, without a visible anchor,
over its parent (top centre); it is sized from the font, so it scales with the screen's
device pixel ratio, and a long message wraps. The banner paints itself with an
opacity, so a screenshot (``QWidget.grab``) shows it as the runner sees it.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QRect, QRectF, Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from desktop import palette

HOLD_MS = 1000
FADE_MS = 450
TEXT_PT = 30.0  # points: about 1.3 cm tall letters on a 96 dpi screen, read from 2–3 m
TEXT_FLAGS = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap


class CueBanner(QWidget):
    """A transparent-for-mouse banner child of ``parent``; ``shown`` counts cues shown."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setObjectName("cueBanner")
        self.text = ""
        self.anchor: QWidget | None = None
        self.accent = palette.CUE_BACKGROUND
        self.opacity = 0.0
        self.shown = 0
        font = QFont(self.font())
        font.setPointSizeF(TEXT_PT)
        font.setWeight(QFont.Weight.ExtraBold)
        self.setFont(font)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._fade)
        self._fade_anim = QVariantAnimation(self)
        self._fade_anim.setStartValue(1.0)
        self._fade_anim.setEndValue(0.0)
        self._fade_anim.setDuration(FADE_MS)
        self._fade_anim.setEasingCurve(QEasingCurve.Type.InQuad)
        self._fade_anim.valueChanged.connect(self._set_opacity)
        self._fade_anim.finished.connect(self.hide)
        self.hide()

    def show_cue(self, text: str, accent: str | None = None) -> None:
        """Show ``text`` now (replacing a cue still showing) and fade it after the hold."""
        self.text = text
        self.accent = accent or palette.CUE_BACKGROUND
        self.shown += 1
        self._fade_anim.stop()
        self._set_opacity(1.0)
        self._place()
        self.show()
        self.raise_()
        self._hold.start(HOLD_MS)

    @property
    def active(self) -> bool:
        return not self.isHidden() and self.opacity > 0.0

    def _fade(self) -> None:
        self._fade_anim.start()

    def _set_opacity(self, value: object) -> None:
        self.opacity = float(value)  # type: ignore[arg-type]
        self.update()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        area = QRect(0, parent.height() // 6, parent.width(), parent.height())
        anchor = self.anchor
        if anchor is not None and anchor.isVisible():
            top_left = anchor.mapTo(parent, anchor.rect().topLeft())
            area = QRect(top_left.x(), top_left.y() + anchor.height() // 8,
                         anchor.width(), anchor.height())  # fmt: skip
        metrics = QFontMetrics(self.font())
        pad = metrics.height() // 2
        width = min(area.width() - 2 * pad, metrics.horizontalAdvance(self.text) + 4 * pad)
        text = metrics.boundingRect(QRect(0, 0, width - 2 * pad, 10_000), TEXT_FLAGS, self.text)
        height = text.height() + 2 * pad
        self.setGeometry(area.x() + (area.width() - width) // 2, area.y(), width, height)

    def restyle(self) -> None:
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(self.opacity)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = rect.height() / 4
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.accent))
        painter.drawRoundedRect(rect, radius, radius)
        painter.setPen(QColor(palette.CUE_TEXT))
        pad = QFontMetrics(self.font()).height() / 2
        painter.drawText(rect.adjusted(pad, 0, -pad, 0), TEXT_FLAGS, self.text)
        painter.end()
