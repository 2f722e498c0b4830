"""The large per-foot strike indicator: last step's type and FSA, and the last 50 steps."""

from __future__ import annotations

import math
from collections import deque

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop import palette
from desktop.view_models import FootStrikeModel, format_percent, toes_note
from desktop.widgets.fsa_scale import FsaScale
from desktop.widgets.panel import ignore_text_width, label, set_text
from processing.events import StrikeType

STRIKE_LABELS = {
    StrikeType.REARFOOT: "Rearfoot",
    StrikeType.MIDFOOT: "Midfoot",
    StrikeType.FOREFOOT: "Forefoot",
}


class StrikeDistributionBars(QWidget):
    """Three proportion bars (rearfoot, midfoot, forefoot) with percentages."""

    ROW_PX = 30

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fractions = dict.fromkeys(StrikeType, 0.0)
        self.total = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.ROW_PX * 3 + 8)

    def sizeHint(self) -> QSize:
        return QSize(260, self.ROW_PX * 3 + 8)

    def set_fractions(self, fractions: dict[StrikeType, float], total: int) -> None:
        self.fractions, self.total = dict(fractions), total
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPixelSize(15)
        painter.setFont(font)
        label_w, pct_w = 84.0, 52.0
        bar_w = max(10.0, self.width() - label_w - pct_w - 8)
        for row, strike in enumerate(StrikeType):
            y = 4 + row * self.ROW_PX
            fraction = self.fractions.get(strike, 0.0)
            colour = QColor(palette.STRIKE_COLOURS[strike])
            painter.setPen(QColor(palette.TEXT_MUTED))
            text_rect = QRectF(0, y, label_w, self.ROW_PX - 6)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, STRIKE_LABELS[strike])
            track = QRectF(label_w, y + 3, bar_w, self.ROW_PX - 12)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(palette.PANEL_BORDER))
            painter.drawRoundedRect(track, 4, 4)
            if fraction > 0:
                painter.setBrush(colour)
                painter.drawRoundedRect(
                    QRectF(track.x(), track.y(), bar_w * fraction, track.height()), 4, 4
                )
            painter.setPen(QColor(palette.TEXT) if self.total else QColor(palette.TEXT_DIM))
            pct_rect = QRectF(label_w + bar_w + 8, y, pct_w, self.ROW_PX - 6)
            align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
            painter.drawText(pct_rect, align, format_percent(fraction) if self.total else "—")
        painter.end()


class StrikeIndicator(QFrame):
    """One foot: strike type and FSA in large coloured type, then its distribution."""

    def __init__(self, model: FootStrikeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("strikeIndicator")
        self._revision = -1
        self._colour = ""
        self.heading = label(f"{model.side.value.upper()} FOOT", "heading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setStyleSheet("font-size: 16px; letter-spacing: 2px;")
        self.type_label = self._big_label(palette.STRIKE_TYPE_PX, 800)
        self.fsa_label = self._big_label(palette.STRIKE_FSA_PX, 700)
        self.note = label("waiting for steps", "muted")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setStyleSheet("font-size: 14px;")
        self.caption = label("", "muted")
        self.bars = StrikeDistributionBars()
        self.scale = FsaScale()  # strike angle zones at the Altman & Davis thresholds
        self._recent_fsa: deque[float] = deque(maxlen=20)
        self._last_ic = math.nan
        for text in (self.type_label, self.fsa_label, self.note, self.caption):
            ignore_text_width(text)
        self._build()
        self.refresh(force=True)

    @staticmethod
    def _big_label(pixels: int, weight: int) -> QLabel:
        widget = QLabel("—")
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        ignored = QSizePolicy.Policy.Ignored  # sized by the panel, not by its text
        widget.setSizePolicy(ignored, ignored)
        font = QFont("DejaVu Sans")
        font.setPixelSize(pixels)
        font.setWeight(QFont.Weight(weight))
        widget.setFont(font)
        return widget

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_fonts()

    def _spare_height(self) -> int:
        """Height left for the two big labels once the other rows have theirs."""
        margins = self.layout().contentsMargins()
        rows = (self.heading, self.note, self.caption)
        fixed = sum(w.sizeHint().height() for w in rows) + self.bars.minimumHeight()
        fixed += self.scale.height() if self.scale.isVisibleTo(self) else 0
        spacing = 6 * self.layout().spacing() + 8 + margins.top() + margins.bottom()
        return self.contentsRect().height() - fixed - spacing

    def _fit_fonts(self) -> None:
        """As large as the palette allows, but never wider or taller than the panel."""
        available = max(40, self.contentsRect().width() - 40)
        line_height = 1.25 * (palette.STRIKE_TYPE_PX + palette.STRIKE_FSA_PX)
        height_scale = min(1.0, max(0.0, self._spare_height() / line_height))
        for widget, max_px, samples in (
            (self.type_label, palette.STRIKE_TYPE_PX, ("FOREFOOT?", "REARFOOT?")),
            (self.fsa_label, palette.STRIKE_FSA_PX, ("−88.8°",)),
        ):
            font = QFont(widget.font())
            font.setPixelSize(max_px)
            widest = max(QFontMetrics(font).horizontalAdvance(text) for text in samples)
            scale = min(available / widest, height_scale)
            pixels = max(12, min(max_px, int(max_px * scale)))
            if widget.font().pixelSize() != pixels:
                font.setPixelSize(pixels)
                widget.setFont(font)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.type_label, 2)  # both take the spare height, fonts fit it
        layout.addWidget(self.fsa_label, 3)
        layout.addWidget(self.note)
        layout.addWidget(self.scale)
        layout.addSpacing(8)
        layout.addWidget(self.caption)
        layout.addWidget(self.bars)

    def refresh(self, force: bool = False) -> None:
        """Redraw from the model if it changed since the last refresh."""
        if not force and self.model.revision == self._revision:
            return
        self._revision = self.model.revision
        model = self.model
        set_text(self.type_label, model.type_text)
        set_text(self.fsa_label, model.fsa_text)
        last = model.last
        if last is not None and last.ic_s != self._last_ic:
            self._last_ic = last.ic_s
            self._recent_fsa.append(last.fsa_deg)
        elif last is None:
            self._recent_fsa.clear()
        self.scale.set_values(list(self._recent_fsa), last.fsa_deg if last else None)
        note = f"FSA · {toes_note(last.fsa_deg)} · last step" if last else "waiting for steps"
        set_text(self.note, model.quality_note or note)
        self.note.setToolTip(model.quality_note)
        dist = model.distribution
        set_text(self.caption, f"Last {dist.total} of {dist.window} steps")
        self.bars.set_fractions(dist.fractions(), dist.total)
        self._restyle(model.colour)

    def restyle(self) -> None:
        """Re-apply the current palette (after a theme switch)."""
        self._colour = ""
        self._restyle(self.model.colour)

    def _restyle(self, colour: str) -> None:
        if colour == self._colour:
            return
        self._colour = colour
        tint = palette.mix(colour, palette.PANEL, 0.14)
        self.setStyleSheet(
            f"QFrame#strikeIndicator {{ background: {tint}; border: 2px solid {colour};"
            " border-radius: 10px; }"
        )
        self.type_label.setStyleSheet(f"color: {colour};")
        fsa = palette.TEXT_DIM if colour == palette.TEXT_DIM else palette.TEXT  # greyed: low
        self.fsa_label.setStyleSheet(f"color: {fsa};")
