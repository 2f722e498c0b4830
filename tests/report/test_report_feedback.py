"""The report's retraining feedback: a simulated session with the cues a faded schedule gives
(worked out by the live path's FeedbackController on the session's own analysis) written as
events and markers the way the live window writes them, read back into blocks, cue counts per
kind, block and stage, and per-block measures."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from html_page import PageReader

from drivers.recording import Recording, RecordingWriter, RecordKind
from drivers.recording.convert import write_samples_recording
from drivers.sim.runner_model import simulate
from processing.analysis import AnalysisResult
from processing.cue_pacing import CuePacing
from processing.events import StrideEvent, StrikeEvent, StrikeType
from processing.feedback import CUE_EVENT, Cue, CueKind, FeedbackController, FeedbackSettings
from processing.report import (
    ReportOptions,
    ReportSession,
    build_report_input,
    load_report_session,
    render_report_html,
)
from processing.report.feedback import (
    AFTER_FEEDBACK,
    BEFORE_FEEDBACK,
    RecordedCue,
    feedback_runs,
    retraining_feedback,
)
from processing.report.html_report import report_title
from processing.report.periods import Period
from processing.report.printable import printable_report

Reader = Callable[[str], PageReader]
SETTINGS = FeedbackSettings(schedule="faded", block_min=0.2, twist_min_deg=9.9, lean_low_deg=7.7)
"""12 s blocks, then retention; bands set so the simulated runner draws every kind of cue."""
FEEDBACK_START_S = 6.0
STATUS_LAG_S = 1.6
"""Block markers come at the status rate, after the boundary, and cues at their event times
(a stride is published after its end): a cue can name a block whose marker is still to come."""
STAGES = [(4.0, "stage 1: 10.0 km/h, 0 %"), (24.0, "stage 2: 12.0 km/h, 1 %")]
BLOCKS = ["faded 100%", "faded 50%", "faded 0%", "retention"]


@dataclass(frozen=True)
class Fed:
    """The recording and what was written into it."""

    path: Path
    cues: list[Cue]
    block_names: list[str]  # each cue's block, as the controller named it
    controller: FeedbackController
    markers: list[tuple[float, str]]


def _event_time_s(event: StrikeEvent | StrideEvent) -> float:
    return event.ic_s if isinstance(event, StrikeEvent) else event.end_s


def _feedback(
    result: AnalysisResult,
) -> tuple[FeedbackController, list[Cue], list[tuple[float, str]]]:
    """The cues the live path would give over the session, and the markers it would write."""
    schedule = SETTINGS.make_schedule()
    # every value outside its band is a cue (no pacing), so each 12 s block holds many
    controller = FeedbackController(SETTINGS.bands(), schedule, FEEDBACK_START_S,
                                    CuePacing.every_fault())  # fmt: skip
    stop_s = FEEDBACK_START_S + sum(b.duration_s for b in schedule.blocks)
    published: list[StrikeEvent | StrideEvent] = [*result.strikes, *result.strides]
    events = sorted(published, key=_event_time_s)
    cues = controller.update(e for e in events if FEEDBACK_START_S <= _event_time_s(e) < stop_s)
    markers = [(FEEDBACK_START_S, "feedback start: faded")]
    boundary = FEEDBACK_START_S
    for previous, block in zip(schedule.blocks, schedule.blocks[1:], strict=False):
        boundary += previous.duration_s
        markers.append((boundary + STATUS_LAG_S, f"feedback block: {block.name}"))
    tally = controller.tallies[-1]
    markers.append((stop_s, f"feedback stop (given {tally.given} of {tally.due})"))
    return controller, cues, markers


def _copy_with(source: Path, path: Path, markers: list[tuple[float, str]],
               cues: list[Cue], blocks: list[str], keep_markers: bool = True) -> Path:  # fmt: skip
    """``source`` rewritten to ``path`` with ``markers`` and the cue events added, as
    ``desktop.feedback.control`` records them (and its own markers if ``keep_markers``)."""
    with (
        Recording(source) as old,
        RecordingWriter(path, old.header, flush_interval_s=3600.0) as new,
    ):
        for i in old.rows(frozenset({RecordKind.SAMPLES})):
            new.samples(*old.samples(i))
        for t_s, text in sorted([*(old.markers() if keep_markers else []), *markers]):
            new.marker(t_s, text)
        for cue, block in zip(cues, blocks, strict=True):
            value = cue.value if math.isfinite(cue.value) else None
            new.event(cue.t_s, CUE_EVENT, cue=cue.kind.value, side=cue.side, value=value,
                      message=cue.message, block=block)  # fmt: skip
    return path


@pytest.fixture(scope="module")
def fed(tmp_path_factory: pytest.TempPathFactory) -> Fed:
    """60 s of the simulated 'mixed' runner, two treadmill stages, and a faded schedule of
    12 s blocks (100% → 50% → 0% → retention) from 6 s to 54 s."""
    folder = tmp_path_factory.mktemp("feedback")
    blocks, _ = simulate("mixed", 60.0, 100.0, seed=5)
    plain = write_samples_recording(folder / "plain.gdrec", blocks, markers=STAGES, runner_id="R-9")
    controller, cues, markers = _feedback(load_report_session(plain).result)
    names = [controller.block_name(c.t_s) for c in cues]
    path = _copy_with(plain, folder / "fed.gdrec", markers, cues, names)
    _copy_with(plain, folder / "unstaged.gdrec", markers, cues, names, keep_markers=False)
    return Fed(path, cues, names, controller, markers)


@pytest.fixture(scope="module")
def fed_session(fed: Fed) -> ReportSession:
    return load_report_session(fed.path)


@pytest.fixture(scope="module")
def fed_page(fed_session: ReportSession) -> str:
    return render_report_html(build_report_input(fed_session, ReportOptions()))


def _spans(fed: Fed) -> dict[str, Period]:
    """Each block from its marker (the run's start for the first) to the next marker."""
    times = [t for t, _ in fed.markers]
    return {name: Period(name, a, b) for name, a, b in zip(BLOCKS, times, times[1:], strict=False)}


def test_the_recording_holds_what_the_live_window_writes(
    fed: Fed, fed_session: ReportSession
) -> None:
    cues = [d for _, d in fed_session.events if d["type"] == CUE_EVENT]
    assert len(cues) == len(fed.cues) > 5
    assert {d["block"] for d in cues} == {"faded 100%", "faded 50%"}
    # a cue of the 50% block given before its marker: counted by the block it names
    spans = _spans(fed)
    assert any(n == "faded 50%" and spans["faded 100%"].holds(c.t_s)
               for c, n in zip(fed.cues, fed.block_names, strict=True))  # fmt: skip


def test_blocks_and_cue_counts_per_kind_match_what_was_given(
    fed: Fed, fed_page: str, page_reader: Reader
) -> None:
    reader = page_reader(fed_page)
    expected = [BEFORE_FEEDBACK, *BLOCKS, AFTER_FEEDBACK]
    assert [r[0] for r in reader.rows["feedback"] if r and r[0] in expected] == expected
    for name, tally in zip(BLOCKS, fed.controller.tallies, strict=True):
        row = reader.row("feedback", name)
        kinds = Counter(tally.by_kind)
        lean = f"{kinds[CueKind.LEAN_LOW]} / {kinds[CueKind.LEAN_HIGH]}"
        assert row[3:7] == [str(kinds[CueKind.REARFOOT]), str(kinds[CueKind.GUARDED_TWIST]),
                            lean, str(tally.given)]  # fmt: skip
    assert reader.row("feedback", "retention")[6] == "0"
    assert reader.row("feedback", BEFORE_FEEDBACK)[3:7] == ["–"] * 4


def test_block_measures_are_the_analysis_inside_each_block(
    fed: Fed, fed_session: ReportSession, fed_page: str, page_reader: Reader
) -> None:
    reader = page_reader(fed_page)
    result = fed_session.result
    for name, span in _spans(fed).items():
        row = reader.row("feedback", name)
        inside = [s for s in result.strikes if span.start_s <= s.ic_s < span.end_s]
        rear = sum(s.strike == StrikeType.REARFOOT for s in inside)
        strides = [s for s in result.strides if span.start_s <= s.start_s < span.end_s]
        assert row[7] == str(len(inside)) and row[9] == str(len(strides))
        assert row[8] == f"{100.0 * rear / len(inside):.0f}"
        assert row[2] == f"{span.duration_s:.0f}"


def test_the_sentence_compares_the_first_block_with_retention(
    fed: Fed, fed_session: ReportSession, fed_page: str, page_reader: Reader
) -> None:
    spans = _spans(fed)
    shares = []
    for name in ("faded 100%", "retention"):
        inside = [s for s in fed_session.result.strikes if spans[name].holds(s.ic_s)]
        shares.append(100.0 * sum(s.strike == StrikeType.REARFOOT for s in inside) / len(inside))
    verb = "fell" if shares[1] < shares[0] else "rose"
    expected = (f"Rearfoot strikes {verb} from {shares[0]:.0f}% in the faded 100% block to "
                f"{shares[1]:.0f}% in retention")  # fmt: skip
    section = re.search(r'<section id="feedback">.*?</section>', fed_page, re.S)
    assert section is not None and expected in section.group(0)
    (line,) = [i for i in page_reader(fed_page).items["summary"] if "Retraining" in i]
    assert line.startswith(
        f"Retraining feedback (faded schedule): {len(fed.cues)} cues given over 4 blocks; "
        + expected[0].lower()
        + expected[1:]
    )


def test_cues_per_stage(fed: Fed, fed_page: str, page_reader: Reader) -> None:
    reader = page_reader(fed_page)
    for (start, name), (end, _) in zip(STAGES, [*STAGES[1:], (math.inf, "")], strict=True):
        given = Counter(c.kind for c in fed.cues if start <= c.t_s < end)
        row = reader.row("feedback", name)
        assert row[1] == str(given[CueKind.REARFOOT]) and row[4] == str(given.total())
    assert all(reader.row("feedback", name)[4] != "0" for _, name in STAGES)


def test_without_stage_markers_the_blocks_are_not_repeated_as_stages(
    fed: Fed, page_reader: Reader
) -> None:
    session = load_report_session(fed.path.with_name("unstaged.gdrec"))
    reader = page_reader(render_report_html(build_report_input(session, ReportOptions())))
    assert not [r for r in reader.rows["feedback"] if r and r[0] == "Stage"]  # no stage table
    assert reader.row("feedback", "retention")[6] == "0"
    given = [reader.row("feedback", name)[6] for name in BLOCKS[:2]]
    assert given == [str(t.given) for t in fed.controller.tallies[:2]]


def test_without_feedback_there_is_no_section(mixed: ReportSession, page_reader: Reader) -> None:
    report = build_report_input(mixed, ReportOptions())
    assert retraining_feedback(report) is None
    reader = page_reader(render_report_html(report))
    assert "feedback" not in reader.sections
    assert not [i for i in reader.items["summary"] if "feedback" in i.lower()]


def test_the_printed_report_has_the_section(qapp: object, tmp_path: Path, fed_page: str,
                                            fed_session: ReportSession) -> None:  # fmt: skip
    from desktop.report_pdf import write_report_pdf

    printable = printable_report("t", fed_page, 680.0)
    assert '<table class="feedback" width="100%"' in printable.html
    assert "Retraining feedback" in printable.html
    path = tmp_path / "report.pdf"
    pages = write_report_pdf(path, report_title(build_report_input(fed_session, ReportOptions())),
                             fed_page)  # fmt: skip
    assert path.read_bytes().startswith(b"%PDF") and pages >= 2


# ------------------------------------------------------------ runs from markers alone
END = Period("session", 0.0, 100.0)


def _cue(t_s: float, block: str = "", kind: CueKind = CueKind.REARFOOT) -> RecordedCue:
    return RecordedCue(t_s, kind.value, block)


def test_a_run_without_a_stop_lasts_to_the_end_and_names_its_first_block() -> None:
    markers = [(10.0, "feedback start: constant"), (40.0, "feedback block: retention")]
    (run,) = feedback_runs(markers, [_cue(12.0, "constant 100%")], END)
    assert [(b.name, b.start_s, b.end_s) for b in run.blocks] == [
        ("constant 100%", 10.0, 40.0), ("retention", 40.0, 100.0),
    ]  # fmt: skip


def test_the_first_block_is_named_by_the_schedule_without_cues() -> None:
    (faded,) = feedback_runs([(5.0, "feedback start: faded"), (9.0, "feedback stop")], [], END)
    (constant,) = feedback_runs([(5.0, "feedback start: constant")], [], END)
    assert faded.blocks == [Period("faded 100%", 5.0, 9.0)]
    assert constant.blocks == [Period("feedback", 5.0, 100.0)]


def test_two_runs_and_a_run_begun_before_the_recording() -> None:
    markers = [(3.0, "feedback block: retention"), (8.0, "feedback stop (given 0 of 4)"),
               (20.0, "feedback start: constant"), (30.0, "feedback start: faded")]  # fmt: skip
    runs = feedback_runs(markers, [], END)
    assert [r.schedule for r in runs] == ["unknown", "constant", "faded"]
    assert [(b.start_s, b.end_s) for r in runs for b in r.blocks] == [
        (3.0, 8.0),
        (20.0, 30.0),
        (30.0, 100.0),
    ]


def test_cues_without_markers_make_one_run_over_the_recording() -> None:
    (run,) = feedback_runs([(50.0, "fatigue")], [_cue(12.0, "feedback")], END)
    assert run.blocks == [Period("feedback", 0.0, 100.0)]
    assert feedback_runs([(50.0, "fatigue")], [], END) == []


def test_only_the_feedbacks_own_markers_are_taken_for_it() -> None:
    from processing.feedback import is_feedback_marker

    assert is_feedback_marker("feedback start: faded")
    assert is_feedback_marker("feedback tally at recording stop: constant 100%, given 3 of 4")
    assert not is_feedback_marker("feedback from runner: knee fine")  # a person's note
