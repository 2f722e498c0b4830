"""The HTML session summary: self-contained, well formed, every section, the right counts."""

from __future__ import annotations

import pytest
from html_page import PageReader, read_page

from drivers.sim.runner_model import simulate
from drivers.types import Placement, SampleBlock
from processing.analysis import AnalysisResult, analyze
from processing.contacts import contacts
from processing.events import Side, StrikeType
from processing.exports.html_summary import SECTIONS, render_summary, write_html_summary
from processing.exports.summary_input import summary_input

SECTION_IDS = [
    "facts",
    "strikes",
    "fsa-time",
    "fsa-histogram",
    "trunk",
    "coordination",
    "cadence",
    "symmetry",
]


@pytest.fixture(scope="module")
def session() -> tuple[dict[Placement, SampleBlock], AnalysisResult]:
    blocks, _ = simulate("mixed", 40.0, 100.0, seed=7)
    return blocks, analyze(blocks)


@pytest.fixture(scope="module")
def page(
    tmp_path_factory: pytest.TempPathFactory,
    session: tuple[dict[Placement, SampleBlock], AnalysisResult],
) -> tuple[str, PageReader]:
    blocks, result = session
    path = write_html_summary(tmp_path_factory.mktemp("html") / "summary.html", blocks, result)
    text = path.read_text(encoding="utf-8")
    return text, read_page(text)


def test_page_is_self_contained(page: tuple[str, PageReader]) -> None:
    text, reader = page
    assert text.startswith("<!DOCTYPE html>")
    assert "http" not in text and "src=" not in text and "url(" not in text
    assert not {"script", "link", "img", "iframe", "object"} & set(reader.tags)
    hrefs = [v for k, v in reader.attributes if k == "href"]
    assert hrefs and all(h.startswith("#") for h in hrefs)
    assert reader.tags["style"] == 1 and reader.tags["svg"] >= 4


def test_every_section_in_order(page: tuple[str, PageReader]) -> None:
    _, reader = page
    assert reader.sections == SECTION_IDS
    assert len(SECTIONS) == len(SECTION_IDS)


def test_counts_match_the_analysis(
    page: tuple[str, PageReader], session: tuple[dict[Placement, SampleBlock], AnalysisResult]
) -> None:
    _, reader = page
    _, result = session
    for side in Side:  # each contact as steps.csv gives it: refined where completed
        strikes = [s for s in contacts(result) if s.side == side]
        assert reader.marks[("fsa-time", f"fsa {side.value}")] == len(strikes) > 10
        row = reader.row("strikes", side.value)
        assert row[1] == str(len(strikes))
        for kind, cell in zip(StrikeType, row[2:], strict=True):
            assert cell.startswith(f"{sum(1 for s in strikes if s.strike == kind)} (")
        flex = [s for s in result.strides if s.side == side and s.trunk_flex_mean_deg is not None]
        assert reader.marks[("trunk", f"flex {side.value}")] == len(flex) > 5
        assert reader.row("cadence", side.value)[1] == str(len(strikes))
    rom = [s for s in result.strides if s.trunk_rot_rom_deg is not None]
    assert reader.marks[("trunk", "rom trunk_rot_rom_deg")] == len(rom)
    facts = reader.row("facts", "Strides")
    assert facts[1] == str(len(result.strides))
    coupled = [s for s in result.strides if s.pt_transverse_in_phase_pct is not None]
    transverse = reader.row("coordination", "Pelvis–trunk, transverse (axial rotation)")
    assert transverse[1] == str(len(coupled)) and len(transverse) == 8
    assert reader.row("symmetry", "Contact time (ms)")[3] != "–"
    bars = {c: n for (sec, c), n in reader.marks.items() if sec == "fsa-histogram"}
    assert 4 < bars["hist left"] + bars["hist right"] <= len(result.strikes)
    assert bars["vline"] == 2  # the rearfoot and forefoot thresholds


def test_alignment_and_warnings_are_shown(page: tuple[str, PageReader]) -> None:
    _, reader = page
    for pod in ("trunk", "pelvis", "left_shoe", "right_shoe"):
        assert reader.row("facts", pod)  # pods table and alignment table
    assert "Warnings" in "".join(reader.text)


def test_missing_pods_give_notes_not_errors() -> None:
    blocks, _ = simulate("midfoot", 20.0, 100.0, seed=8)
    shoes_only = {Placement.LEFT_SHOE: blocks[Placement.LEFT_SHOE]}
    result = analyze(shoes_only)
    reader = read_page(render_summary(summary_input(shoes_only, result)))
    text = " ".join(reader.text)
    assert reader.sections == SECTION_IDS
    assert "trunk absent" in text and "No trunk or pelvis pod values" in text
    assert "Needs both shoe pods" in text
    assert reader.row("coordination", "Pelvis–trunk, transverse (axial rotation)")[1] == "0"
    assert reader.marks[("fsa-time", "fsa left")] == len(result.strikes) > 5
    assert reader.marks[("fsa-time", "fsa right")] == 0


def test_text_is_escaped() -> None:
    blocks, _ = simulate("midfoot", 5.0, 100.0, seed=9)
    data = summary_input(blocks, AnalysisResult(), title="<script>alert(1)</script> & co")
    text = render_summary(data)
    assert "<script>" not in text and "&lt;script&gt;" in text
    read_page(text)
