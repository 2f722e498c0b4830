"""The report's HTML rewritten for a rich-text printer (Qt's QTextDocument, which knows
HTML 4 tables and images but not inline SVG, flex boxes or HTML5 sections).

Pure text in, text out: every ``<svg>`` becomes an ``<img src="chart:N">`` whose picture
the printer renders from ``PrintableReport.charts[N]``; share bars become one-row tables;
numeric cells get ``align="right"``; figures become paragraphs; the table of contents and
the screen CSS are dropped (the printer brings ``PRINT_CSS``). Only markup made by the
report's own builders is expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRINT_CSS = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 8.5pt; color: #222; }
h1 { font-size: 15pt; margin: 0; }
h2 { font-size: 11.5pt; margin-top: 14px; margin-bottom: 4px; color: #1b3b5a; }
h3 { font-size: 9.5pt; margin-top: 8px; margin-bottom: 3px; }
p.sub, p.note, p.caption { color: #555; font-size: 7.5pt; }
td, th { padding: 2px; font-size: 7.5pt; }
th { background-color: #eeeeee; font-weight: bold; }
ul.warnings li { color: #8a4b00; }
ul.summary li { margin-bottom: 3px; }
p.bar-label { margin-top: 4px; margin-bottom: 1px; font-size: 7.5pt; }
td.bar { color: #ffffff; font-size: 6.5pt; }
"""

LABEL_MIN_PCT = 18.0
"""Share-bar parts narrower than this (percent of the bar) show only their percentage..."""
PERCENT_MIN_PCT = 8.0
"""... and parts narrower than this nothing."""
WIDE_TABLES = ("stages", "feedback", "refs", "compare")
"""Report tables printed across the full text width."""
SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.S)
SIZE = re.compile(r'\bwidth="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"')
BAR = re.compile(r'<div class="bar-label">(.*?)</div><div class="bar">(.*?)</div>', re.S)
SPAN = re.compile(r'<span style="width:([\d.]+)%;background:(#[0-9A-Fa-f]{3,8})"[^>]*>(.*?)</span>')


@dataclass(frozen=True)
class ChartImage:
    """One chart: its SVG text, its size in SVG pixels and its printed size (px at 96 dpi)."""

    svg: str
    width: float
    height: float
    print_width: float

    @property
    def print_height(self) -> float:
        return self.height * self.print_width / self.width


@dataclass(frozen=True)
class PrintableReport:
    """The printer's HTML and the charts its ``<img src="chart:N">`` refer to (N: index)."""

    title: str
    html: str
    charts: list[ChartImage]


def printable_report(title: str, html: str, content_width_px: float) -> PrintableReport:
    """``html`` (a report page) rewritten for a printer whose text is ``content_width_px``
    wide (CSS pixels, 96 per inch). Charts keep their proportions; a chart as wide as the
    widest (900 px) is printed across the text width, smaller ones in proportion, so two
    side-by-side charts still fit one line."""
    scale = min(1.0, content_width_px / 940.0)
    charts: list[ChartImage] = []

    def chart(match: re.Match[str]) -> str:
        svg = match.group(0)
        size = SIZE.search(svg)
        width, height = (float(size.group(1)), float(size.group(2))) if size else (900.0, 240.0)
        charts.append(ChartImage(svg, width, height, width * scale))
        c = charts[-1]
        return (
            f'<img src="chart:{len(charts) - 1}" width="{c.print_width:.0f}" '
            f'height="{c.print_height:.0f}">'
        )

    body = _body(html)
    body = SVG.sub(chart, body)
    body = BAR.sub(_bar, body)
    body = _plain_tags(body)
    return PrintableReport(title, f"<html><body>{body}</body></html>", charts)


def _body(html: str) -> str:
    """What is inside <body>, without the table of contents."""
    start = html.find("<body>")
    end = html.rfind("</body>")
    body = html[start + len("<body>") : end] if start >= 0 and end > start else html
    return re.sub(r"<nav>.*?</nav>", "", body, flags=re.S)


def _bar(match: re.Match[str]) -> str:
    """A share bar (flex box of coloured spans) as a one-row table of coloured cells; narrow
    parts show a shorter label or none (the tables beside the bars give every number)."""
    cells = "".join(
        f'<td class="bar" width="{float(pct):.1f}%" bgcolor="{colour}">'
        f"{_bar_label(text, float(pct))}</td>"
        for pct, colour, text in SPAN.findall(match.group(2))
    )
    if not cells:
        return ""
    return (
        f'<p class="bar-label">{match.group(1)}</p>'
        f'<table width="60%" cellspacing="0" cellpadding="2" border="0"><tr>{cells}</tr></table>'
    )


def _bar_label(text: str, pct: float) -> str:
    """'rearfoot 45%' in a wide part, '9%' in a narrow one, nothing in a sliver."""
    if pct >= LABEL_MIN_PCT:
        return text
    return text.split()[-1] if pct >= PERCENT_MIN_PCT and text.split() else "&nbsp;"


def _plain_tags(body: str) -> str:
    """HTML5 and CSS-only constructs as HTML 4 the printer lays out the same way."""
    body = re.sub(r"<section[^>]*>", "<div>", body).replace("</section>", "</div>")
    body = re.sub(r"<figure[^>]*>", "<p>", body).replace("</figure>", "</p>")
    body = body.replace("<figcaption>", '</p><p class="caption">').replace("</figcaption>", "")
    body = body.replace('<td class="num">', '<td align="right">')
    body = body.replace('<th class="num">', '<th align="right">')
    return re.sub(r'<table(?: class="([^"]*)")?>', _table, body)


def _table(match: re.Match[str]) -> str:
    css = match.group(1) or ""
    width = ' width="100%"' if css in WIDE_TABLES else ""
    return (
        f'<table class="{css}"{width} border="1" cellspacing="0" cellpadding="3" '
        'style="border-collapse: collapse; border-color: #bbbbbb; border-style: solid;">'
    )
