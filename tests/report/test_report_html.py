"""The report page: self-contained, every section, numbers that match the analysis, stages
split at the markers, and the comparison's direction of change."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import MIXED, STAGE_1, STAGE_2, STAGE_MARKERS
from html_page import PageReader

from processing.contacts import contacts
from processing.events import Side, StrikeType
from processing.report import (
    ReportOptions,
    ReportSession,
    build_report_input,
    load_report_session,
    render_report_html,
)
from processing.report.periods import BEFORE_FIRST_MARKER, WHOLE_RUN
from processing.report.references import REFERENCES

Reader = Callable[[str], PageReader]
SECTIONS = [
    "summary", "session", "strikes", "fsa-feet", "fsa-time", "ranges", "coordination",
    "stages", "markers", "symmetry", "drift", "compare", "references",
]  # fmt: skip


@pytest.fixture(scope="module")
def compared(mixed: ReportSession, guarded: ReportSession) -> str:
    """sim-mixed reported against sim-heel-striker-guarded as the earlier session."""
    return render_report_html(build_report_input(mixed, ReportOptions(), guarded))


def test_page_is_self_contained(compared: str, page_reader: Reader) -> None:
    reader = page_reader(compared)
    assert compared.startswith("<!DOCTYPE html>")
    assert "http" not in compared and "url(" not in compared
    assert not {"script", "link", "img", "iframe", "object"} & set(reader.tags)
    assert all(v.startswith("#") for k, v in reader.attributes if k == "href")
    assert not [v for k, v in reader.attributes if k == "src"]
    assert reader.tags["svg"] >= 5


def test_every_section_in_order(compared: str, page_reader: Reader) -> None:
    assert page_reader(compared).sections == SECTIONS


def test_without_an_earlier_session_there_is_no_comparison(
    mixed: ReportSession, page_reader: Reader
) -> None:
    reader = page_reader(render_report_html(build_report_input(mixed, ReportOptions())))
    assert "compare" not in reader.sections and reader.sections[-1] == "references"


def _median_text(fsa: list[float]) -> str:
    return f"{np.median(fsa):.1f}°"


def test_counts_and_medians_match_the_analysis(
    mixed: ReportSession, compared: str, page_reader: Reader
) -> None:
    reader = page_reader(compared)
    strikes = contacts(mixed.result)  # as steps.csv gives them: refined where completed
    assert reader.row("session", "Foot contacts")[1] == str(len(strikes))
    assert reader.row("session", "Strides")[1] == str(len(mixed.result.strides))
    running = reader.row("stages", WHOLE_RUN)  # its markers are notes: one stage
    assert running[3] == str(len(strikes))
    by_side = {side: [s.fsa_deg for s in strikes if s.side == side] for side in Side}
    assert running[7] == " / ".join(_median_text(by_side[side]) for side in Side)
    for side in Side:
        mine = [s for s in strikes if s.side == side]
        rear = 100.0 * sum(s.strike == StrikeType.REARFOOT for s in mine) / len(mine)
        assert reader.row("strikes", side.value)[1] == str(len(mine))
        assert f"{rear:.0f}% {side.value}" in reader.items["summary"][0]
        assert f"{np.median(by_side[side]):.1f}° {side.value}" in reader.items["summary"][0]


def test_pods_and_their_alignment_are_listed(mixed: ReportSession, compared: str,
                                             page_reader: Reader) -> None:  # fmt: skip
    reader = page_reader(compared)
    for name, entry in mixed.result.alignment.items():
        row = reader.row("session", name.replace("_", " "))
        assert row[5] == f"{entry['quality']:.2f}"
        assert entry["status"] == "decided" and row[4] == "axes found"


def test_stages_split_at_the_markers(staged: ReportSession, page_reader: Reader) -> None:
    reader = page_reader(render_report_html(build_report_input(staged, ReportOptions())))
    table = [r for r in reader.rows["stages"] if r and r[0] != "Stage"]
    steps = table[: len(table) // 2]
    names = [r[0] for r in steps]
    assert names == [BEFORE_FIRST_MARKER, STAGE_1, STAGE_2]  # the notes split nothing
    ics = [s.ic_s for s in staged.result.strikes]
    expected = [
        sum(t < 16.0 for t in ics),
        sum(16.0 <= t < 30.0 for t in ics),
        sum(t >= 30.0 for t in ics),
    ]
    assert [int(r[3]) for r in steps] == expected and min(expected) > 20
    strides = [int(r[1]) for r in table[len(table) // 2 :]]
    assert sum(strides) == len(staged.result.strides)
    assert [r[1] for r in steps[1:]] == ["16.0", "30.0"]  # the file's zero is its first sample
    assert "Each stage marker (written by Next stage" in "".join(reader.text)


def test_every_marker_is_listed_with_its_time_and_kind(
    staged: ReportSession, page_reader: Reader
) -> None:
    reader = page_reader(render_report_html(build_report_input(staged, ReportOptions())))
    rows = [r for r in reader.rows["markers"] if r and r[0] != "Time (s)"]
    started = staged.started
    assert started is not None
    clock = [f"{started + datetime.timedelta(seconds=t):%H:%M:%S}" for t, _ in STAGE_MARKERS]
    assert rows == [
        ["16.0", clock[0], "stage (starts a stage)", STAGE_1],
        ["22.5", clock[1], "note", "calf tight"],
        ["30.0", clock[2], "stage (starts a stage)", STAGE_2],
        ["38.2", clock[3], "note", "shoe change"],
    ]


def test_charts_mark_the_stages_and_draw_every_stride(
    staged: ReportSession, page_reader: Reader
) -> None:
    reader = page_reader(render_report_html(build_report_input(staged, ReportOptions())))
    assert reader.marks[("ranges", "vline")] == 2 * 2  # two stage starts on both charts
    with_trunk = [s for s in staged.result.strides if s.trunk_rot_rom_deg is not None]
    assert reader.marks[("ranges", "rom trunk_rot_rom_deg")] == len(with_trunk)
    for side in Side:
        bars = reader.marks[("fsa-feet", f"hist {side.value}")]
        assert 3 <= bars <= sum(s.side == side for s in staged.result.strikes)


def test_salvaged_recording_is_reported_as_such(tmp_path: Path, page_reader: Reader) -> None:
    cut = tmp_path / "cut.gdrec"
    data = MIXED.read_bytes()
    cut.write_bytes(data[: int(len(data) * 0.8)])
    session = load_report_session(cut)
    assert session.problem and session.result.strikes
    reader = page_reader(render_report_html(build_report_input(session, ReportOptions())))
    assert "salvaged" in reader.items["summary"][-1]
    assert "salvaged" in reader.row("session", "Recording")[1]


def test_a_pod_without_confident_axes_is_flagged(mixed: ReportSession, page_reader: Reader) -> None:
    alignment = {k: dict(v) for k, v in mixed.result.alignment.items()}
    alignment["trunk"].update(status="ambiguous", note="running seen, direction undecided")
    result = dataclasses.replace(mixed.result, alignment=alignment)
    session = dataclasses.replace(mixed, result=result)
    reader = page_reader(render_report_html(build_report_input(session, ReportOptions())))
    assert reader.items["summary"][-1] == "Check: trunk (running seen, direction undecided)."
    assert reader.row("session", "trunk")[4] == "axes ambiguous"


def _directions(reader: PageReader) -> dict[str, str]:
    return {r[0]: r[-1] for r in reader.rows["compare"] if r and r[0] != "Measure"}


def test_comparison_shows_the_direction_of_change(
    mixed: ReportSession, guarded: ReportSession, compared: str, page_reader: Reader
) -> None:
    after = _directions(page_reader(compared))
    assert after["Rearfoot strikes, left (%)"] == "down"
    assert after["Median FSA, right (°)"] == "down"
    assert after["Trunk rotation range (median of strides) (°)"] == "up"
    assert after["Pelvis–trunk in-phase share (%)"] == "down"
    assert after["Pelvis–trunk CRP mean (°)"] == "up"
    swapped = render_report_html(build_report_input(guarded, ReportOptions(), mixed))
    before = _directions(page_reader(swapped))
    flip = {"up": "down", "down": "up", "no change": "no change", "": ""}
    assert before == {k: flip[v] for k, v in after.items()}


def test_comparison_warns_when_runner_ids_differ(compared: str, page_reader: Reader) -> None:
    reader = page_reader(compared)
    assert any("different runner ids" in w for w in reader.items["compare"])
    assert any("different runner ids" in s for s in reader.items["summary"])


def test_same_runner_gives_no_warning(mixed: ReportSession, page_reader: Reader) -> None:
    reader = page_reader(render_report_html(build_report_input(mixed, ReportOptions(), mixed)))
    assert "compare" not in reader.items
    assert set(_directions(reader).values()) == {"no change"}


def test_guarded_threshold_is_the_clinics_setting(
    guarded: ReportSession, page_reader: Reader
) -> None:
    def trunk_line(options: ReportOptions) -> str:
        reader = page_reader(render_report_html(build_report_input(guarded, options)))
        return next(s for s in reader.items["summary"] if s.startswith("Trunk rotation"))

    assert "below the clinic's guarded threshold of 8°" in trunk_line(ReportOptions())
    assert "at or above the clinic's guarded threshold of 4°" in trunk_line(
        ReportOptions(guarded_twist_below_deg=4.0)
    )


def test_drift_compares_first_and_last_running(mixed: ReportSession, compared: str,
                                               page_reader: Reader) -> None:  # fmt: skip
    reader = page_reader(compared)
    header = reader.rows["drift"][0]
    ics = sorted(s.ic_s for s in mixed.result.strikes)
    third = (ics[-1] - ics[0]) / 3.0
    assert header[1] == f"First {third:.0f} s"
    shown = contacts(mixed.result)
    first = [s for s in shown if s.ic_s < ics[0] + third and s.side == Side.LEFT]
    rear = 100.0 * sum(s.strike == StrikeType.REARFOOT for s in first) / len(first)
    assert reader.row("drift", "Rearfoot strikes, left (%)")[1] == f"{rear:.0f}"


def test_every_reference_is_cited_in_full(compared: str, page_reader: Reader) -> None:
    citations = page_reader(compared).items["references"]
    for ref in REFERENCES:
        assert any(ref.title in c and ref.journal in c and str(ref.year) in c for c in citations)
    values = {r[0]: r for r in page_reader(compared).rows["references"]}
    assert values["Trunk flexion (forward lean)"][2] == "Teng & Powers 2015"
    assert "10.8° ± 2.2°" in values["Trunk flexion (forward lean)"][1]
