"""``export --format samples`` then ``import`` then ``analyze`` gives the steps of analysing
the recording itself, for a recording made after calibrating live (whose file holds no
standing): the calibration travels as ``samples/calibration.json``. Run through the CLI."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from drivers.clock_sync import SessionClock
from drivers.imports.pod_csv import read_pod_folder, write_pod_folder
from drivers.imports.session_file import SESSION_FILE
from drivers.recording import Recording
from drivers.recording.convert import write_samples_recording
from drivers.recording.records import CALIBRATION_EVENT
from drivers.recording.session_recorder import SessionRecorder
from drivers.sim.runner_model import simulate
from drivers.sim.session import simulated_pods
from drivers.types import Placement, PodInfo, SampleBlock
from processing.analysis import CHUNK_S
from processing.calibration_state import to_json
from processing.exports.session import ExportKind
from processing.feedback import CUE_EVENT
from processing.live_session import LiveSession
from processing.pipeline import GaitPipeline
from processing.session_jobs import JobControl, export_files, import_recording

GAITDECK = Path(sys.executable).with_name("gaitdeck")
LIVE_S = 15.0  # standing and running seen live before Record was pressed


def gaitdeck(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(GAITDECK), *args], capture_output=True, text=True, timeout=120,
                          env=env)  # fmt: skip


def live_calibration(blocks: dict[Placement, SampleBlock]) -> dict[str, object]:
    """What the live session held at Record: calibrated on the standing, axes from running."""
    pods = [PodInfo(f"live-{p.value}", p, "sim", "", 100.0) for p in blocks]
    pipeline = GaitPipeline(pods)
    for start in np.arange(0.0, LIVE_S, CHUNK_S / 2):
        end = min(start + CHUNK_S / 2, LIVE_S)
        pipeline.update(
            {p: b.slice(*np.searchsorted(b.t_s, [start, end])) for p, b in blocks.items()}
        )
    state = pipeline.calibration_state()
    assert set(state) == set(Placement) and all(s.axes is not None for s in state.values())
    return to_json(state)


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The running after ``LIVE_S`` as a recording that starts from the live calibration."""
    blocks, _ = simulate("mixed", 45.0, 100.0, seed=3)
    calibration = live_calibration(blocks)
    running = {p: b.slice(int(np.searchsorted(b.t_s, LIVE_S)), len(b)) for p, b in blocks.items()}
    path = tmp_path_factory.mktemp("rt") / "calibrated.gdrec"
    return write_samples_recording(path, running, runner_id="R-3",
                                   events=[(CALIBRATION_EVENT, calibration)])  # fmt: skip


def steps(source: Path, out: Path) -> int:
    run = gaitdeck("analyze", str(source), "--out", str(out))
    assert run.returncode == 0, run.stderr
    with (out / "steps.csv").open(encoding="utf-8") as stream:
        return sum(1 for _ in csv.DictReader(stream))


def test_export_import_analyze_gives_the_recordings_steps(recording: Path, tmp_path: Path) -> None:
    with Recording(recording) as rec:
        assert rec.starting_event(CALIBRATION_EVENT) is not None
    direct = steps(recording, tmp_path / "direct")
    assert direct > 30

    run = gaitdeck("export", str(recording), "--out", str(tmp_path / "exp"), "--format", "samples")
    assert run.returncode == 0, run.stderr
    folder = tmp_path / "exp" / "samples"
    assert sorted(p.name for p in folder.iterdir()) == [
        "calibration.json", "left_shoe.csv", "pelvis.csv", "right_shoe.csv", SESSION_FILE,
        "trunk.csv"
    ]  # fmt: skip
    saved = json.loads((folder / "calibration.json").read_text(encoding="utf-8"))
    assert saved["type"] == CALIBRATION_EVENT and set(saved["pods"]) == {p.value for p in Placement}

    imported = tmp_path / "imported.gdrec"
    run = gaitdeck("import", str(folder), "--out", str(imported))
    assert run.returncode == 0, run.stderr
    with Recording(imported) as rec:
        assert rec.starting_event(CALIBRATION_EVENT) is not None
    assert abs(steps(imported, tmp_path / "after") - direct) <= 1
    assert abs(steps(folder, tmp_path / "folder") - direct) <= 1  # analyze reads it too


def test_without_calibration_json_the_samples_give_no_angles(
    recording: Path, tmp_path: Path
) -> None:
    """The loss the calibration file repairs: the samples alone hold no standing, so no
    trunk or pelvis angles; the shoes' steps rest on the foot flat at mid-stance."""
    run = gaitdeck("export", str(recording), "--out", str(tmp_path / "exp"), "--format", "samples")
    assert run.returncode == 0, run.stderr
    bare = tmp_path / "bare"
    shutil.copytree(tmp_path / "exp" / "samples", bare)
    (bare / "calibration.json").unlink()
    imported = tmp_path / "bare.gdrec"
    assert gaitdeck("import", str(bare), "--out", str(imported)).returncode == 0
    assert steps(imported, tmp_path / "after") > 0
    summary = json.loads((tmp_path / "after" / "summary.json").read_text(encoding="utf-8"))
    references = {name: pod["reference"] for name, pod in summary["alignment"].items()}
    assert references == {"left_shoe": "gait", "right_shoe": "gait", "trunk": "none",
                          "pelvis": "none"}  # fmt: skip


# --- the whole session travels: start, runner, notes, markers, events (session.json) ---

STAGE = "stage 1: 10.0 km/h, 0 %"
NOTES = "round trip, shoe B"


@pytest.fixture(scope="module")
def live_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A live simulated session (20x real time) recorded with the real recorder, Record
    pressed 0.3 s after the app's session clock started, with markers and a cue event."""
    path = tmp_path_factory.mktemp("live") / "live.gdrec"
    clock = SessionClock()
    sources = simulated_pods("mixed", rate_hz=100.0, seed=4, clock=clock, speed=20.0)
    session = LiveSession(sources)
    time.sleep(0.3)  # the app ran a while before Record
    recorder = SessionRecorder(sources, path, clock, runner_id="R-7", notes=NOTES)
    session.start()
    try:
        for at_samples, text in ((800, STAGE), (1500, "calf tight"), (2200, "feedback: start")):
            assert wait_for(lambda n=at_samples: min(s.stats.samples for s in sources) >= n)
            recorder.marker(text)
        recorder.event(CUE_EVENT, cue="overstride", side="left", value=1.0, message="m",
                       block="")  # fmt: skip
        assert wait_for(lambda: min(s.stats.samples for s in sources) >= 3000)
    finally:
        recorder.stop()
        session.stop()
    return path


def wait_for(condition: Callable[[], bool], timeout_s: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not condition():
        time.sleep(0.01)
    return condition()


def info(path: Path) -> dict[str, Any]:
    run = gaitdeck("info", str(path), "--json")
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout))


def step_times(source: Path, out: Path) -> list[tuple[str, float]]:
    run = gaitdeck("analyze", str(source), "--out", str(out))
    assert run.returncode == 0, run.stderr
    with (out / "steps.csv").open(encoding="utf-8") as stream:
        return [(row["side"], float(row["ic_s"])) for row in csv.DictReader(stream)]


def assert_same_steps(a: list[tuple[str, float]], b: list[tuple[str, float]]) -> None:
    assert len(a) > 20 and len(a) == len(b)
    for (side_a, t_a), (side_b, t_b) in zip(a, b, strict=True):
        assert side_a == side_b and abs(t_a - t_b) <= 0.0101, (side_a, t_a, t_b)


def report_facts(recording: Path, out: Path) -> dict[str, object]:
    run = gaitdeck("report", str(recording), "--out", str(out))
    assert run.returncode == 0, run.stderr
    page = out.read_text(encoding="utf-8")
    section = page[page.index('id="markers"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", section[: section.index("</table>")], re.S)
    return {
        "recorded": re.findall(r"Recorded ([0-9-]+ [0-9:]+ UTC)", page),
        "runner": "R-7" in page and "(no id)" not in page,
        "markers": [re.sub(r"<[^>]+>", "|", r) for r in rows],
    }


def export_and_import(recording: Path, tmp_path: Path) -> tuple[Path, Path]:
    run = gaitdeck("export", str(recording), "--out", str(tmp_path / "exp"), "--format", "samples")
    assert run.returncode == 0, run.stderr
    folder = tmp_path / "exp" / "samples"
    imported = tmp_path / "imported.gdrec"
    run = gaitdeck("import", str(folder), "--out", str(imported))
    assert run.returncode == 0, run.stderr
    return folder, imported


def test_export_import_keeps_the_session(live_recording: Path, tmp_path: Path) -> None:
    folder, imported = export_and_import(live_recording, tmp_path)
    before, after = info(live_recording), info(imported)
    assert before["session_clock_s"] > 0.25  # Record came after the app started
    assert min(p["first_s"] for p in before["pods"]) > 0.0  # first sample after the start
    for key in ("started_utc", "runner_id", "notes"):
        assert after[key] == before[key], key
    assert before["runner_id"] == "R-7" and before["notes"] == NOTES
    assert [m["text"] for m in after["markers"]] == [STAGE, "calf tight", "feedback: start"]
    for old, new in zip(before["markers"], after["markers"], strict=True):
        assert new["text"] == old["text"] and abs(new["t_s"] - old["t_s"]) < 1e-6
    for old, new in zip(before["pods"], after["pods"], strict=True):
        assert new["samples"] == old["samples"]
        assert abs(new["first_s"] - old["first_s"]) < 1e-6  # same seconds from the start
    with Recording(live_recording) as rec:
        cue_before = [(t - rec.start_s, e) for t, e in rec.events() if e["type"] == CUE_EVENT]
    with Recording(imported) as rec:
        cue_after = [(t - rec.start_s, e) for t, e in rec.events() if e["type"] == CUE_EVENT]
    assert len(cue_before) == len(cue_after) == 1
    assert cue_after[0][1] == cue_before[0][1] and abs(cue_after[0][0] - cue_before[0][0]) < 1e-6

    direct = step_times(live_recording, tmp_path / "direct")
    assert_same_steps(step_times(imported, tmp_path / "after"), direct)
    assert_same_steps(step_times(folder, tmp_path / "folder"), direct)

    original = report_facts(live_recording, tmp_path / "before.html")
    assert original["runner"] and original["recorded"]
    assert len(original["markers"]) == 4  # type: ignore[arg-type]  # a header, 3 markers
    assert report_facts(imported, tmp_path / "after.html") == original


def test_analyze_honours_the_folders_time_zero(live_recording: Path, tmp_path: Path) -> None:
    """Samples on a pod clock 100 s ahead, with session.json's time_zero_s saying so: the
    steps are at the same seconds from the start; an import starts there too."""
    folder, _ = export_and_import(live_recording, tmp_path)
    moved = tmp_path / "moved"
    blocks = read_pod_folder(folder)
    write_pod_folder(moved, {p: SampleBlock(b.t_s + 100.0, b.acc_g, b.gyro_dps)
                             for p, b in blocks.items()})  # fmt: skip
    session = json.loads((folder / SESSION_FILE).read_text(encoding="utf-8"))
    (moved / SESSION_FILE).write_text(json.dumps({**session, "time_zero_s": 100.0}), "utf-8")
    assert_same_steps(step_times(moved, tmp_path / "moved-out"),
                      step_times(folder, tmp_path / "folder-out"))  # fmt: skip
    imported = tmp_path / "moved.gdrec"
    assert gaitdeck("import", str(moved), "--out", str(imported)).returncode == 0
    after, before = info(imported), info(live_recording)
    assert after["started_utc"] == before["started_utc"]
    assert [m["t_s"] for m in after["markers"]] == pytest.approx(
        [m["t_s"] for m in before["markers"]], abs=1e-6
    )


def test_a_folder_without_session_json_imports_as_before(
    live_recording: Path, tmp_path: Path
) -> None:
    folder, _ = export_and_import(live_recording, tmp_path)
    (folder / SESSION_FILE).unlink()
    imported = tmp_path / "bare.gdrec"
    run = gaitdeck("import", str(folder), "--out", str(imported), "--runner-id", "X-1")
    assert run.returncode == 0, run.stderr
    after = info(imported)
    assert after["markers"] == [] and after["runner_id"] == "X-1" and after["notes"] == ""
    assert min(p["first_s"] for p in after["pods"]) == 0.0  # the first sample is the start


def test_an_unreadable_session_json_is_one_line(live_recording: Path, tmp_path: Path) -> None:
    folder, _ = export_and_import(live_recording, tmp_path)
    (folder / SESSION_FILE).write_text('{"format_version": 99}', encoding="utf-8")
    run = gaitdeck("import", str(folder), "--out", str(tmp_path / "new.gdrec"))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        "gaitdeck: session.json: format_version 99 is newer than this gaitdeck reads (1); "
        "update gaitdeck"
    ]


def test_the_apps_export_and_import_jobs_keep_the_session(
    live_recording: Path, tmp_path: Path
) -> None:
    """File → Export (samples) then File → Import: the app's jobs, not only the CLI."""
    written = export_files(live_recording, tmp_path / "exp", {ExportKind.SAMPLES}, JobControl())
    folder = tmp_path / "exp" / "samples"
    assert folder / SESSION_FILE in written
    imported = import_recording(folder, tmp_path / "app.gdrec", JobControl())
    with Recording(live_recording) as a, Recording(imported) as b:
        assert b.started == a.started and b.header.runner_id == "R-7"
        assert b.header.notes == NOTES
        moved = [(round(t - b.start_s, 6), text) for t, text in b.markers()]
        assert moved == [(round(t - a.start_s, 6), text) for t, text in a.markers()]
