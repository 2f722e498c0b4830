"""A reader that takes a generated HTML page (the session summary, the clinician report)
apart for tests: sections in order, table rows and list items per section, SVG marks per
section and class, attributes, tags, text, and whether every element was closed in order."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "input", "link", "circle", "rect", "line", "polyline"}
MARKS = ("circle", "rect", "polyline", "line")


class PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str]] = []
        self.sections: list[str] = []
        self.rows: dict[str, list[list[str]]] = {}
        self.items: dict[str, list[str]] = {}
        self.marks: Counter[tuple[str, str]] = Counter()  # (section, class) of SVG marks
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._item: list[str] | None = None

    @property
    def section(self) -> str:
        return self.sections[-1] if self.sections else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        values = {k: v or "" for k, v in attrs}
        self.attributes.extend(values.items())
        if tag == "section":
            self.sections.append(values["id"])
        if tag in MARKS and "class" in values:
            self.marks[(self.section, values["class"])] += 1
        if tag == "tr":
            self.rows.setdefault(self.section, []).append([])
        if tag in ("td", "th"):
            self._cell = []
        if tag == "li":
            self._item = []
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.rows[self.section][-1].append("".join(self._cell).strip())
            self._cell = None
        if tag == "li" and self._item is not None:
            self.items.setdefault(self.section, []).append("".join(self._item).strip())
            self._item = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for part in (self._cell, self._item):
            if part is not None:
                part.append(data)

    def row(self, section: str, first: str) -> list[str]:
        """The first row of ``section`` whose first cell is ``first``."""
        return next(r for r in self.rows[section] if r and r[0] == first)


def read_page(text: str) -> PageReader:
    """``text`` parsed; fails if an element is left open."""
    reader = PageReader()
    reader.feed(text)
    reader.close()
    assert reader.open == [], reader.open
    return reader
