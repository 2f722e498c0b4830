"""The HTML skeleton of gaitdeck's self-contained pages: sections, tables, share bars, CSS.

Everything is inline (CSS in a ``<style>`` element, charts as ``<svg>``): the page references
nothing outside itself, so it can be mailed, archived or opened offline. Text is escaped
here; callers pass plain text, and only ``Section.body`` and ``Html`` values are markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

CSS = """
body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 980px;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0; }
h2 { font-size: 1.15em; border-bottom: 1px solid #ccc; padding-bottom: 2px; margin-top: 28px; }
p.sub { color: #666; margin-top: 2px; }
nav a { margin-right: 12px; font-size: 0.9em; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
td.num, th.num { text-align: right; }
th { background: #f4f4f4; }
ul.warnings li { color: #8a4b00; }
.bar { display: flex; width: 420px; height: 18px; border: 1px solid #bbb; margin: 2px 0 8px; }
.bar span { display: block; height: 100%; font-size: 11px; color: #fff; overflow: hidden;
            white-space: nowrap; padding-left: 3px; box-sizing: border-box; }
.bar-label { font-size: 0.85em; margin-top: 6px; }
.note { color: #666; font-size: 0.85em; }
figure { margin: 8px 0 16px; }
figcaption { font-size: 0.85em; color: #555; }
"""


class Html(str):
    """Text that is already markup (not escaped again)."""


Cell = object
"""A table cell: None (shown as –), a float (fixed decimals), Html, or anything else as text."""


@dataclass(frozen=True)
class Section:
    """One titled part of a page; ``key`` is its element id and anchor."""

    key: str
    title: str
    body: str

    def render(self) -> str:
        return (
            f'<section id="{escape(self.key)}"><h2>{escape(self.title)}</h2>{self.body}</section>'
        )


def fmt(value: Cell, decimals: int = 1, suffix: str = "") -> str:
    """A cell's text: '–' for missing values, fixed decimals for floats."""
    if value is None:
        return "–"
    if isinstance(value, Html):
        return value
    if isinstance(value, float) and not isinstance(value, bool):
        return f"{value:.{decimals}f}{suffix}"
    return escape(f"{value}{suffix}")


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], decimals: int = 1) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in headers)
    head = f"<thead><tr>{cells}</tr></thead>" if headers else ""
    body = "".join(
        "<tr>" + "".join(f"<td{_num(c)}>{fmt(c, decimals)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table>{head}<tbody>{body}</tbody></table>"


def _num(value: Cell) -> str:
    """Numbers (and missing values) align right."""
    numeric = value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    return ' class="num"' if numeric else ""


def share_bar(title: str, parts: Sequence[tuple[str, float | None, str]]) -> str:
    """A titled 100 % stacked bar of (label, percent, colour) parts; missing parts are left
    out."""
    spans = "".join(
        f'<span style="width:{pct:.1f}%;background:{colour}" title="{escape(label)}">'
        f"{escape(label)} {pct:.0f}%</span>"
        for label, pct, colour in parts
        if pct is not None and pct > 0
    )
    return f'<div class="bar-label">{escape(title)}</div><div class="bar">{spans}</div>'


def paragraph(text: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<p{cls}>{escape(text)}</p>"


def figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def document(title: str, subtitle: str, sections: Sequence[Section]) -> str:
    """A complete HTML5 page with a table of contents."""
    nav = "".join(f'<a href="#{escape(s.key)}">{escape(s.title)}</a>' for s in sections)
    body = "".join(s.render() for s in sections)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="sub">{escape(subtitle)}</p>'
        f"<nav>{nav}</nav>{body}</body></html>\n"
    )
