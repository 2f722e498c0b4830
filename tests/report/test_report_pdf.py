"""The printed report: the HTML rewritten for Qt's rich text, and a multi-page A4 PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import STAGE_MARKERS

from processing.report import ReportOptions, ReportSession, build_report_input, render_report_html
from processing.report.html_report import report_title
from processing.report.printable import printable_report


@pytest.fixture(scope="module")
def page(mixed: ReportSession, guarded: ReportSession) -> str:
    return render_report_html(build_report_input(mixed, ReportOptions(), guarded))


def test_printable_html_keeps_every_chart_as_an_image(page: str) -> None:
    printable = printable_report("t", page, 680.0)
    assert "<svg" not in printable.html and "<nav>" not in printable.html
    assert len(printable.charts) == page.count("<svg")
    sources = re.findall(r'<img src="chart:(\d+)" width="(\d+)"', printable.html)
    assert [int(i) for i, _ in sources] == list(range(len(printable.charts)))
    assert all(int(w) <= 680 for _, w in sources)
    assert all(c.svg.startswith("<svg") and c.svg.endswith("</svg>") for c in printable.charts)


def test_printable_html_turns_share_bars_into_tables(page: str) -> None:
    printable = printable_report("t", page, 680.0)
    assert 'class="bar"' not in printable.html.replace('td class="bar"', "")
    assert printable.html.count('<td class="bar"') == page.count('<span style="width:')
    assert 'align="right"' in printable.html and 'class="num"' not in printable.html


def test_pdf_has_several_a4_pages(qapp: object, tmp_path: Path, mixed: ReportSession,
                                  page: str) -> None:  # fmt: skip
    from desktop.report_pdf import write_report_pdf

    path = tmp_path / "report.pdf"
    title = report_title(build_report_input(mixed, ReportOptions()))
    pages = write_report_pdf(path, title, page)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and pages >= 2
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == pages
    boxes = set(re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data))
    assert boxes and all(_is_a4(box) for box in boxes)


def _is_a4(box: bytes) -> bool:
    x0, y0, x1, y1 = (float(v) for v in box.split())
    return abs((x1 - x0) - 595.3) < 1.5 and abs((y1 - y0) - 841.9) < 1.5


def test_headings_at_a_page_foot_move_to_the_next_page(qapp: object) -> None:
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextDocument

    from desktop.report_pdf import keep_headings_with_next

    def document(lines: int) -> tuple[QTextDocument, object, float]:
        """Filler lines, a heading, then an image too tall for what is left of page 1."""
        filler = "".join(f"<p>line {i}</p>" for i in range(lines))
        doc = QTextDocument()
        doc.setHtml(f"{filler}<h2>Heading</h2><p><img width='50' height='300'></p>")
        doc.setPageSize(QSizeF(400, 600))
        heading = next(b for b in _blocks(doc) if b.text() == "Heading")
        return doc, heading, doc.documentLayout().blockBoundingRect(heading).top()

    doc, heading, top = next(d for d in map(document, range(5, 40)) if d[2] > 400)
    assert top < 560 and keep_headings_with_next(doc, 600) == 1
    assert doc.documentLayout().blockBoundingRect(heading).top() >= 600
    assert keep_headings_with_next(document(3)[0], 600) == 0  # near the top: left alone


def _blocks(doc: object) -> list[object]:
    block, out = doc.begin(), []  # type: ignore[attr-defined]
    while block.isValid():
        out.append(block)
        block = block.next()
    return out


def test_the_printed_report_lists_every_marker(qapp: object, staged: ReportSession) -> None:
    """The PDF prints the document Qt builds from the printable page: the markers table,
    times and texts, must be in it."""
    from PySide6.QtCore import QSizeF

    from desktop.report_pdf import _document, content_width_px

    html = render_report_html(build_report_input(staged, ReportOptions()))
    printable = printable_report("t", html, content_width_px())
    text = _document(printable, QSizeF(content_width_px(), 1000.0)).toPlainText()
    markers = text[text.index("Markers\n") :]
    for t_s, marker in STAGE_MARKERS:
        assert f"{t_s:.1f}" in markers and marker in markers
    assert "calf tight" in markers and "note" in markers
