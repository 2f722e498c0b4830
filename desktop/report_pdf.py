"""The clinician report as a multi-page A4 PDF, printed with Qt (no web engine needed).

``processing.report.printable`` rewrites the report page into the HTML subset QTextDocument
lays out; the SVG charts are rendered here with QSvgRenderer into images at print
resolution. The document is laid out on A4 pages at 96 CSS pixels per inch and painted page
by page onto a QPdfWriter, with a footer (title, page n of N) on every page.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtSvg import QSvgRenderer

from processing.report.printable import PRINT_CSS, ChartImage, PrintableReport, printable_report

CSS_DPI = 96.0
PDF_DPI = 300
CHART_OVERSAMPLE = 3.0
"""Charts are rendered at this many device pixels per CSS pixel (≈ 290 dpi on paper)."""
MARGINS_MM = QMarginsF(16.0, 14.0, 16.0, 14.0)
FOOTER_PX = 22.0


def ensure_gui_app() -> QGuiApplication:
    """The running Qt application, or a new one (off-screen when there is no display)."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication([])


def chart_image(chart: ChartImage) -> QImage:
    """The chart's SVG rendered on white at CHART_OVERSAMPLE × its printed size."""
    w = max(1, round(chart.print_width * CHART_OVERSAMPLE))
    h = max(1, round(chart.print_height * CHART_OVERSAMPLE))
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    renderer = QSvgRenderer(QByteArray(chart.svg.encode("utf-8")))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    renderer.render(painter, QRectF(0, 0, w, h))
    painter.end()
    return image


def _writer(path: Path, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setTitle(title)
    writer.setCreator("gaitdeck")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    return writer


def content_width_px() -> float:
    """The text width of an A4 page inside MARGINS_MM, in CSS pixels."""
    a4_mm = QPageSize(QPageSize.PageSizeId.A4).size(QPageSize.Unit.Millimeter)
    width_mm = a4_mm.width() - MARGINS_MM.left() - MARGINS_MM.right()
    return width_mm / 25.4 * CSS_DPI


def _document(report: PrintableReport, page: QSizeF) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultStyleSheet(PRINT_CSS)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(8.5)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0.0)
    for i, chart in enumerate(report.charts):
        doc.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{i}"), chart_image(chart)
        )
    doc.setHtml(report.html)
    doc.setPageSize(page)
    keep_headings_with_next(doc, page.height())
    return doc


def keep_headings_with_next(doc: QTextDocument, page_height: float) -> int:
    """Move headings left at the foot of a page to the next one: a run of heading blocks
    whose following content (the next non-empty block; an image counts as text) starts on a
    later page gets a page break before it. Returns how many breaks were added."""
    layout = doc.documentLayout()
    breaks = 0
    run_start: QTextBlock | None = None
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0:
            run_start = run_start if run_start is not None else block
        elif run_start is not None and block.text():  # empty blocks are spacing, not content
            heading_page = _first_line_top(layout, run_start) // page_height
            content_page = _first_line_top(layout, block) // page_height
            if content_page > heading_page:
                fmt = run_start.blockFormat()
                fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                QTextCursor(run_start).setBlockFormat(fmt)
                doc.markContentsDirty(0, doc.characterCount())  # lay out everything again
                breaks += 1
            run_start = None
        block = block.next()
    return breaks


def _first_line_top(layout: QAbstractTextDocumentLayout, block: QTextBlock) -> float:
    """Where a block's first line is drawn: pagination may push it below the block's top.
    Layout positions are in 1/64 px, so a line pushed to a page's top may sit a hair above
    the exact page boundary; half a pixel is added to land it on its page."""
    lines = block.layout()
    shift = lines.lineAt(0).y() if lines.lineCount() else 0.0
    return float(layout.blockBoundingRect(block).top() + shift) + 0.5


def _footer(painter: QPainter, width: float, y: float, text: str, page: str) -> None:
    painter.setPen(QColor("#777777"))
    font = QFont("DejaVu Sans")
    font.setPixelSize(9)
    painter.setFont(font)
    painter.drawLine(QPointF(0, y), QPointF(width, y))
    box = QRectF(0, y + 3, width, FOOTER_PX - 3)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), text)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), page)


def write_pdf(path: Path, report: PrintableReport) -> int:
    """Print ``report`` to ``path`` (replacing it); returns the number of pages."""
    ensure_gui_app()
    writer = _writer(path, report.title)
    scale = PDF_DPI / CSS_DPI
    paint = writer.pageLayout().paintRectPixels(PDF_DPI)
    width, height = paint.width() / scale, paint.height() / scale
    page = QSizeF(width, height - FOOTER_PX)
    doc = _document(report, page)
    pages = doc.pageCount()
    painter = QPainter(writer)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    try:
        for n in range(pages):
            if n:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            _footer(painter, width, page.height(), report.title, f"page {n + 1} of {pages}")
            painter.translate(0, -n * page.height())
            clip = QRectF(0, n * page.height(), width, page.height())
            painter.setClipRect(clip)
            doc.drawContents(painter, clip)
            painter.restore()
    finally:
        painter.end()
    return pages


def write_report_pdf(path: Path, title: str, html: str) -> int:
    """Print a report page (``processing.report.render_report_html``) to an A4 PDF at
    ``path``; returns the number of pages."""
    return write_pdf(path, printable_report(title, html, content_width_px()))
