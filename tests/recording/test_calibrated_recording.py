"""Calibrate live, then record: the recording keeps the live calibration, so its report
(and the replay) find what the live session found, though the file holds no standing."""

from __future__ import annotations

import csv
import dataclasses
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from html_page import read_page
from waiting import replayed, wait

from desktop.recording_control import RecordingControl, record_target
from drivers.clock_sync import SessionClock
from drivers.recording import Recording
from drivers.recording.records import CALIBRATION_EVENT, RECORD_HEAD, RecordKind
from drivers.sim.session import LIVE_STANDING_S, simulated_pods
from drivers.types import Placement
from processing.calibration_state import from_json
from processing.contacts import contacts
from processing.events import Side, StrideEvent, StrikeEvent
from processing.exports.lsl_tee import LslTeePipeline
from processing.live_session import LiveSession
from processing.pipeline import GaitPipeline
from processing.report import ReportOptions, build_report_input, load_report_session
from processing.report.html_report import render_report_html
from processing.report.periods import WHOLE_RUN
from processing.stages.alignment import AlignmentStatus

SPEED = 8.0  # faster than real time, slow enough for a loaded 2-core machine
RATE_HZ = 100.0
RECORD_S = 10.0  # of running, session time
EDGE_S = 1.5  # contacts this close to the file's ends may differ (warm-up, pending)


@dataclass
class Recorded:
    path: Path
    live_strikes: list[StrikeEvent]
    live_strides: list[StrideEvent]
    start_axes: bool  # whether the live axes were decided when recording started


class _NoFeed:
    """A Lab Streaming Layer feed that goes nowhere (the tee is what is under test)."""

    def push_blocks(self, blocks: object) -> None:
        pass

    def push_events(self, events: object) -> None:
        pass


def record_after_calibrating(tmp_path: Path, with_axes: bool, lsl: bool = False) -> Recorded:
    """Simulated pods live (8x real time) until calibrated (and, ``with_axes``, aligned),
    then recorded through the Record button's path for ``RECORD_S`` of running (session
    time; without axes recording starts while the runner still stands)."""
    clock = SessionClock()
    sources = simulated_pods("mixed", rate_hz=RATE_HZ, seed=3, clock=clock, speed=SPEED)
    session = LiveSession(sources)
    control = RecordingControl(lambda: record_target(session), folder=lambda: tmp_path)
    pipeline = session.engine.pipeline
    assert isinstance(pipeline, GaitPipeline)

    def ready() -> bool:
        state = pipeline.calibration_state()
        return len(state) == 4 and (not with_axes or all(s.axes for s in state.values()))

    def arrived() -> float:
        return min(s.stats.last_arrival_s or 0.0 for s in sources)

    session.start()
    try:
        assert wait(ready, 30)
        if lsl:  # streaming to LSL: the engine runs the pipeline through a tee
            session.engine.pipeline = LslTeePipeline(pipeline, _NoFeed())
        path = control.start()
        started = arrived()
        until = started + RECORD_S + (0.0 if with_axes else LIVE_STANDING_S)
        assert wait(lambda: arrived() >= until, 30)
        assert control.stop() == path
        assert wait(lambda: session.engine.backlog_s() == 0.0, 60)
        time.sleep(0.2)
    finally:
        control.stop()
        session.stop()
    events, _ = session.board.events_since(0)
    strikes = [e for e in events if isinstance(e, StrikeEvent)]
    strides = [e for e in events if isinstance(e, StrideEvent)]
    return Recorded(path, strikes, strides, with_axes)


@pytest.fixture(scope="module", params=[True, False], ids=["aligned", "calibrated-only"])
def recorded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    return record_after_calibrating(tmp_path_factory.mktemp("rec"), request.param)


def without_events(path: Path, out: Path) -> Path:
    """The same recording with its EVENT records left out (the same samples)."""
    data = path.read_bytes()
    with Recording(path) as rec:
        starts = (rec.index.offset - RECORD_HEAD.size).tolist()
        ends = (rec.index.offset + rec.index.length).tolist()
        kept = [data[a:b] for k, a, b in zip(rec.index.kind.tolist(), starts, ends, strict=True)
                if k != RecordKind.EVENT]  # fmt: skip
    out.write_bytes(data[: starts[0]] + b"".join(kept) + data[ends[-1] :])
    return out


def test_the_recording_opens_with_the_live_calibration(recorded: Recorded) -> None:
    with Recording(recorded.path) as rec:
        assert rec.clean
        first = rec.starting_event(CALIBRATION_EVENT)
        calibrations = [e for _, e in rec.events() if e["type"] == CALIBRATION_EVENT]
    assert first is not None and first == calibrations[0]
    state = from_json(first)
    assert set(state) == set(Placement)
    assert all((s.axes is not None) == recorded.start_axes for s in state.values())
    if not recorded.start_axes:  # the axes decided live while recording: recorded too
        assert all(s.axes is not None for s in from_json(calibrations[-1]).values())


def test_with_lsl_streaming_the_calibration_is_recorded_too(tmp_path: Path) -> None:
    recorded = record_after_calibrating(tmp_path, with_axes=True, lsl=True)
    with Recording(recorded.path) as rec:
        first = rec.starting_event(CALIBRATION_EVENT)
    assert first is not None and set(from_json(first)) == set(Placement)


def test_the_report_starts_from_it_and_finds_the_live_contacts(recorded: Recorded) -> None:
    report = load_report_session(recorded.path)
    alignment = report.result.alignment
    assert set(alignment) == {p.value for p in Placement}
    assert all(a["calibrated"] and a["calibrated_before"] for a in alignment.values())
    assert all(a["status"] == AlignmentStatus.DECIDED for a in alignment.values())

    first_s = min(float(b.t_s[0]) for b in report.blocks.values())
    last_s = min(float(b.t_s[-1]) for b in report.blocks.values())
    lo, hi = first_s + EDGE_S, last_s - EDGE_S

    def inside(strikes: list[StrikeEvent]) -> list[StrikeEvent]:
        return [s for s in strikes if lo <= s.ic_s <= hi]

    with Recording(recorded.path) as rec:
        zero = rec.start_s  # the report's times are from the recording's start
    live = inside([dataclasses.replace(s, ic_s=s.ic_s - zero) for s in recorded.live_strikes])
    offline = inside(report.result.strikes)
    assert len(live) >= 8
    assert abs(len(offline) - len(live)) <= 1
    same = {(s.side, round(s.ic_s, 2), s.strike) for s in live}
    assert sum((s.side, round(s.ic_s, 2), s.strike) in same for s in offline) >= len(live) - 2
    live_strides = [s for s in recorded.live_strides
                    if lo <= s.start_s - zero and s.end_s - zero <= hi]  # fmt: skip
    strides = [s for s in report.result.strides if lo <= s.start_s and s.end_s <= hi]
    assert len(live_strides) >= 6 and abs(len(strides) - len(live_strides)) <= 1

    page = render_report_html(build_report_input(report, ReportOptions()))
    assert "calibrated before recording" in page and "no quiet standing found" not in page


def test_without_the_calibration_event_only_a_standing_in_the_file_serves(
    recorded: Recorded, tmp_path: Path
) -> None:
    """Recorded once aligned, the file holds no standing: without the event, no angles (the
    shoes' steps rest on the foot flat at mid-stance, ``gait_reference``). Recorded
    as soon as calibrated, it opens with the rest of the runner's standing (about 2 s): the
    analysis's look-ahead calibrates on that instead (``processing.late_standing``)."""
    bare = without_events(recorded.path, tmp_path / "bare.gdrec")
    with Recording(bare) as rec:
        assert rec.clean and not rec.events()
    report = load_report_session(bare)
    alignment = report.result.alignment
    references = {name: a["reference"] for name, a in alignment.items()}
    if recorded.start_axes:  # shoes fall back on the foot flat at mid-stance, no angles
        assert references == {"left_shoe": "gait", "right_shoe": "gait", "trunk": "none",
                              "pelvis": "none"}  # fmt: skip
        assert report.result.strikes and not any(
            s.trunk_rot_rom_deg is not None for s in report.result.strides
        )
    else:
        assert all(a["calibrated"] for a in alignment.values())
        assert len(report.result.strikes) > 10


def test_the_replay_starts_from_it_too(recorded: Recorded) -> None:
    report = load_report_session(recorded.path)
    events, zero = replayed(recorded.path)  # replay runs on the session clock, the report
    strikes = sorted(  # from the recording's start
        (s.side.value, round(s.ic_s - zero, 6)) for s in events if isinstance(s, StrikeEvent)
    )
    offline = sorted((s.side.value, round(s.ic_s, 6)) for s in report.result.strikes)
    assert len(offline) > 10 and strikes == offline


ROTATION_FIELDS = ("trunk_rot_rom_deg", "pelvis_rot_rom_deg")
RANGE_FIELDS = (*ROTATION_FIELDS, "trunk_flex_rom_deg", "trunk_lat_rom_deg",
                "pelvis_tilt_rom_deg", "pelvis_obliquity_rom_deg")  # fmt: skip
PLAUSIBLE_RANGE_DEG = 60.0  # no trunk or pelvis turns or bends further within one stride


def gaitdeck(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "import sys; from desktop.cli import main; "
               "sys.exit(main(sys.argv[1:]))", *args]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_from_the_first_stride_no_range_wraps_and_the_live_values_hold(
    recorded: Recorded, tmp_path: Path
) -> None:
    """Recorded while running (after calibrating): ``analyze`` gives every stride's ranges
    within what a trunk or pelvis can move, the same as the live session's for the same
    strides, from the recording's first stride on (the filter starts from the recorded
    standing posture, not from scratch: no wrapped 355° rotation, no settling)."""
    out = tmp_path / "analysis"
    run = gaitdeck("analyze", str(recorded.path), "--out", str(out))
    assert run.returncode == 0, run.stderr
    strides = read_csv(out / "strides.csv")
    assert len(strides) >= 8
    for row in strides:  # recorded before the axes were found: none until they are
        for name in RANGE_FIELDS:
            assert row[name] or not recorded.start_axes, (row["start_s"], name)
            assert not row[name] or float(row[name]) < PLAUSIBLE_RANGE_DEG, (row["start_s"], name)
    with Recording(recorded.path) as rec:
        zero = rec.start_s
    live = {(s.side.value, round(s.start_s - zero, 2)): s for s in recorded.live_strides}
    first_s = min(float(r["start_s"]) for r in strides if r["trunk_rot_rom_deg"])
    compared = 0
    for row in strides:
        stride = live.get((row["side"], round(float(row["start_s"]), 2)))
        if stride is None or not row["trunk_rot_rom_deg"] or float(row["start_s"]) > first_s + 3:
            continue
        both = [n for n in ROTATION_FIELDS if row[n] and getattr(stride, n) is not None]
        if not both:  # live and offline may decide a pod's axes a check apart
            continue
        compared += 1
        for name in both:
            assert float(row[name]) == pytest.approx(getattr(stride, name), abs=2.0), name
    assert compared >= 3


def test_the_report_shows_the_values_of_steps_csv(recorded: Recorded, tmp_path: Path) -> None:
    """The report's strikes are steps.csv's: a completed step's refined angle and type
    (its first strike too), not the angle first published at contact."""
    out, page = tmp_path / "analysis", tmp_path / "report.html"
    for args in (("analyze", "--out", str(out)), ("report", "--out", str(page))):
        run = gaitdeck(args[0], str(recorded.path), *args[1:])
        assert run.returncode == 0, run.stderr
    steps = read_csv(out / "steps.csv")
    report = load_report_session(recorded.path)
    shown = contacts(report.result)
    assert len(shown) == len(steps) > 10
    assert [f"{s.fsa_deg:.2f}" for s in shown] == [r["fsa_deg"] for r in steps]
    assert [s.strike.value for s in shown] == [r["strike"] for r in steps]
    reader = read_page(page.read_text(encoding="utf-8"))
    running = reader.row("stages", WHOLE_RUN)
    assert running[3] == str(len(steps))
    medians = [statistics.median(float(r["fsa_deg"]) for r in steps if r["side"] == side.value)
               for side in Side]  # fmt: skip
    assert running[7] == " / ".join(f"{m:.1f}°" for m in medians)
