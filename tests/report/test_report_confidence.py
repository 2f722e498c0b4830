"""The clinician report says how far its numbers can be trusted (issue 12, item 4): the
reference each pod's angles rest on, each pod's confidence, ambiguous pods listed with their
reason, and the summary's figures marked where they rest on a doubtful pod."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from doubtful_session import doubtful_session
from html_page import PageReader

from drivers.recording.convert import write_samples_recording
from processing.report import (
    ReportOptions,
    ReportSession,
    build_report_input,
    load_report_session,
    render_report_html,
)

Reader = Callable[[str], PageReader]


@pytest.fixture(scope="module")
def doubtful_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("doubtful") / "doubtful.gdrec"
    write_samples_recording(path, doubtful_session()[0], runner_id="R-9")
    return render_report_html(build_report_input(load_report_session(path), ReportOptions()))


PODS = ("trunk", "pelvis", "left shoe", "right shoe")


def _pod_rows(reader: PageReader) -> dict[str, list[str]]:
    """The pods table's rows by pod (the session section also holds the facts table)."""
    return {r[0]: r for r in reader.rows["session"] if r and r[0] in PODS and len(r) > 2}


def test_the_pods_table_gives_reference_and_confidence(
    doubtful_page: str, page_reader: Reader
) -> None:
    reader = page_reader(doubtful_page)
    header = reader.row("session", "Pod")
    assert header[6] == "Angles rest on" and header[7] == "Confidence"
    rows = _pod_rows(reader)
    assert rows["trunk"][6] == "quiet standing in the recording"
    assert rows["trunk"][-1].startswith("ambiguous — running seen, but its direction")
    assert rows["right shoe"][-1].startswith("low confidence — ")
    assert "steps low-confidence" in rows["right shoe"][-1]
    assert rows["left shoe"][-1] == "good" and rows["pelvis"][-1] == "good"


def test_ambiguous_pods_are_listed_with_the_reason(doubtful_page: str) -> None:
    assert '<h3>Ambiguous pods</h3><ul class="ambiguous"><li>trunk: axes ambiguous' in (
        doubtful_page
    )
    assert "braking and forward lean disagree on forward" in doubtful_page


def test_the_summary_marks_doubtful_figures(doubtful_page: str, page_reader: Reader) -> None:
    summary = " ".join(page_reader(doubtful_page).items["summary"])
    assert "right (low confidence)" in summary and "left (low confidence)" not in summary
    assert "No trunk rotation was measured" in summary and "trunk pod (ambiguous)" in summary
    assert "Confidence: " in summary and "the trunk pod's axes are ambiguous (" in summary


def test_a_clean_session_has_no_marks(mixed: ReportSession, page_reader: Reader) -> None:
    page = render_report_html(build_report_input(mixed, ReportOptions()))
    summary = " ".join(page_reader(page).items["summary"])
    assert "low confidence" not in summary and "Confidence:" not in summary
    assert "Ambiguous pods" not in page
    rows = _pod_rows(page_reader(page))
    assert {r[-1] for r in rows.values()} == {"good"}
    assert all(r[6] == "calibration carried from the live session"
               or r[6] == "quiet standing in the recording" for r in rows.values())  # fmt: skip
