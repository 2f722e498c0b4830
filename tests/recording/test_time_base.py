"""One time base: seconds from the recording's start, and its wall time.

The app's session clock starts when the app does; recording starts later (here 2 minutes
later: app at 06:29:00, Record at 06:31:00, the session clock then at 120 s). ``info`` (text
and JSON), the report, the exports (markers.csv, steps.csv) and the replay transport all give
times from the recording's start and its wall time 06:31, for files that keep the start in
their header and for older files that do not (their first record is the start).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.replay_control import ReplayControl
from drivers.recording import PodEntry, Recording, RecordingHeader, RecordingWriter
from drivers.sim.runner_model import simulate
from drivers.types import PodInfo, SampleBlock
from processing.replay_session import ReplaySession

GAITDECK = Path(sys.executable).with_name("gaitdeck")
APP_STARTED = "2026-03-02T06:29:00.000+00:00"
RECORDING_AT_S = 120.0  # the session clock when Record was pressed
RECORDING_STARTED = "2026-03-02T06:31:00.000+00:00"
STAGE_1 = "stage 1: 10.0 km/h, 0 %"
MARKERS = [(5.0, STAGE_1), (12.5, "calf tight"), (20.0, "shoe change")]


def gaitdeck(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(GAITDECK), *args], capture_output=True, text=True, timeout=120,
                          env=env)  # fmt: skip


def app_recording(path: Path, keep_start: bool) -> Path:
    """30 s of the simulated runner recorded 120 s into the app's session, with markers;
    without ``keep_start`` the header is as files written before it kept ``start_s``."""
    blocks, _ = simulate("mixed", 30.0, 100.0, seed=3)
    pods = tuple(
        PodEntry.from_info(PodInfo(f"sim-{p.value}", p, "sim", "", 100.0), "", kind="samples")
        for p in blocks
    )
    start = RECORDING_AT_S if keep_start else None
    header = RecordingHeader(pods, APP_STARTED, "test", "R-1", "", {}, start_s=start)
    with RecordingWriter(path, header) as writer:
        for i, block in enumerate(blocks.values()):
            moved = SampleBlock(block.t_s + RECORDING_AT_S, block.acc_g, block.gyro_dps)
            for a in range(0, len(moved), 100):  # a record per second, as imports write
                writer.samples(i, moved.slice(a, min(a + 100, len(moved))))
        for t_s, text in MARKERS:
            writer.marker(RECORDING_AT_S + t_s, text)
    return path


@pytest.fixture(scope="module", params=[True, False], ids=["start-in-header", "older-file"])
def recording(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return app_recording(tmp_path_factory.mktemp("time") / "run.gdrec", request.param)


def test_the_recording_knows_its_start_and_wall_time(recording: Path) -> None:
    with Recording(recording) as rec:
        assert rec.start_s == RECORDING_AT_S
        assert rec.started is not None
        assert rec.started.isoformat(timespec="milliseconds") == RECORDING_STARTED


def test_info_json_and_text_use_seconds_from_the_recording_start(recording: Path) -> None:
    run = gaitdeck("info", str(recording), "--json")
    assert run.returncode == 0, run.stderr
    info = json.loads(run.stdout)
    assert info["started_utc"] == RECORDING_STARTED
    assert info["session_clock_s"] == RECORDING_AT_S
    assert [(m["t_s"], m["text"]) for m in info["markers"]] == MARKERS
    assert all(p["first_s"] == 0.0 and 29.9 < p["last_s"] < 30.0 for p in info["pods"])
    text = gaitdeck("info", str(recording)).stdout
    assert f"recording started {RECORDING_STARTED}" in text
    assert "     5.00 s  stage 1" in text and "    12.50 s  calf tight" in text
    assert "0.000–29.990 s" in text


def test_the_report_uses_the_recording_start(recording: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    run = gaitdeck("report", str(recording), "--out", str(out))
    assert run.returncode == 0, run.stderr
    page = out.read_text(encoding="utf-8")
    assert "Recorded 2026-03-02 06:31 UTC" in page and "06:29" not in page
    assert "seconds from the recording&#x27;s start" in page
    for row in (
        '<td class="num">5.0</td><td>06:31:05</td><td>stage (starts a stage)</td>',
        '<td class="num">12.5</td><td>06:31:12</td><td>note</td><td>calf tight</td>',
    ):
        assert row in page
    assert f'<tr><td>{STAGE_1}</td><td class="num">5.0</td>' in page  # the stage starts at 5 s


def test_exports_use_the_recording_start(recording: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    run = gaitdeck("export", str(recording), "--out", str(out), "--format", "tables")
    assert run.returncode == 0, run.stderr
    with (out / "markers.csv").open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows == [
        ["t_s", "wall_clock_utc", "kind", "text"],
        ["5.000", "2026-03-02T06:31:05.000+00:00", "stage", STAGE_1],
        ["12.500", "2026-03-02T06:31:12.500+00:00", "note", "calf tight"],
        ["20.000", "2026-03-02T06:31:20.000+00:00", "note", "shoe change"],
    ]
    with (out / "steps.csv").open(encoding="utf-8") as stream:
        ics = [float(row["ic_s"]) for row in csv.DictReader(stream)]
    assert len(ics) > 20 and min(ics) > 0.0 and max(ics) < 30.0


def test_the_replay_transport_shows_seconds_from_the_recording_start(recording: Path) -> None:
    with Recording(recording) as rec:
        session = ReplaySession(rec, speed=1.0)
        control = ReplayControl(session)
        control.pause()  # positions stand still
        assert control.start_s == pytest.approx(0.0, abs=1e-9) and 29.9 < control.end_s < 30.6
        assert [text for _, text in control.markers()] == [text for _, text in MARKERS]
        assert [t for t, _ in control.markers()] == pytest.approx([t for t, _ in MARKERS])
        control.seek(10.0)
        assert session.clock.origin_s == pytest.approx(RECORDING_AT_S + 10.0)
        assert control.poll() == pytest.approx(10.0)
        control.set_loop(12.0, 14.0)
        assert control.loop == pytest.approx((12.0, 14.0))
        assert session.clock.loop == pytest.approx((132.0, 134.0))
