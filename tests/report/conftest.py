"""Report fixtures: the sample recordings analysed once, a recording with two stage markers,
and a reader that takes a report page apart (sections, table rows, attributes)."""

from __future__ import annotations

import os
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from drivers.recording.convert import write_samples_recording
from drivers.sim.runner_model import simulate
from processing.report import ReportSession, load_report_session

REPO = Path(__file__).resolve().parents[2]
MIXED = REPO / "recordings" / "sim-mixed.gdrec"
GUARDED = REPO / "recordings" / "sim-heel-striker-guarded.gdrec"
STAGE_MARKERS = [(16.0, "speed 10 km/h"), (30.0, "speed 12 km/h")]
VOID = {"meta", "br", "hr", "img", "input", "link", "circle", "rect", "line", "polyline"}


class PageReader(HTMLParser):
    """Sections in order, table rows (cell texts) and list items per section, SVG marks per
    section and class, every attribute, the tags seen, and whether every element was closed
    in order."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: dict[str, int] = {}
        self.attributes: list[tuple[str, str]] = []
        self.sections: list[str] = []
        self.rows: dict[str, list[list[str]]] = {}
        self.items: dict[str, list[str]] = {}
        self.marks: dict[tuple[str, str], int] = {}  # (section, class) of SVG marks
        self._cell: list[str] | None = None
        self._item: list[str] | None = None

    @property
    def section(self) -> str:
        return self.sections[-1] if self.sections else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        values = {k: v or "" for k, v in attrs}
        self.attributes.extend(values.items())
        if tag == "section":
            self.sections.append(values["id"])
        if tag in ("circle", "rect", "polyline", "line") and "class" in values:
            key = (self.section, values["class"])
            self.marks[key] = self.marks.get(key, 0) + 1
        if tag == "tr":
            self.rows.setdefault(self.section, []).append([])
        if tag in ("td", "th"):
            self._cell = []
        if tag == "li":
            self._item = []
        if tag not in VOID:
            self.open.append(tag)

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
        for part in (self._cell, self._item):
            if part is not None:
                part.append(data)

    def row(self, section: str, first: str) -> list[str]:
        """The first row of ``section`` whose first cell is ``first``."""
        return next(r for r in self.rows[section] if r and r[0] == first)


def read_page(text: str) -> PageReader:
    reader = PageReader()
    reader.feed(text)
    reader.close()
    assert reader.open == [], reader.open
    return reader


@pytest.fixture(scope="session")
def page_reader() -> Callable[[str], PageReader]:
    return read_page


@pytest.fixture(scope="session")
def mixed() -> ReportSession:
    return load_report_session(MIXED)


@pytest.fixture(scope="session")
def guarded() -> ReportSession:
    return load_report_session(GUARDED)


@pytest.fixture(scope="session")
def staged_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """45 s of the simulated 'mixed' runner with two stage markers, as a recording."""
    blocks, _ = simulate("mixed", 45.0, 100.0, seed=3)
    path = tmp_path_factory.mktemp("staged") / "staged.gdrec"
    return write_samples_recording(path, blocks, markers=STAGE_MARKERS, runner_id="R-7")


@pytest.fixture(scope="session")
def staged(staged_path: Path) -> ReportSession:
    return load_report_session(staged_path)
