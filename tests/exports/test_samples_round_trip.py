"""``export --format samples`` then ``import`` then ``analyze`` gives the steps of analysing
the recording itself, for a recording made after calibrating live (whose file holds no
standing): the calibration travels as ``samples/calibration.json``. Run through the CLI."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from drivers.recording import Recording
from drivers.recording.convert import write_samples_recording
from drivers.recording.records import CALIBRATION_EVENT
from drivers.sim.runner_model import simulate
from drivers.types import Placement, PodInfo, SampleBlock
from processing.analysis import CHUNK_S
from processing.calibration_state import to_json
from processing.pipeline import GaitPipeline

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
        "calibration.json", "left_shoe.csv", "pelvis.csv", "right_shoe.csv", "trunk.csv"
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


def test_without_calibration_json_the_samples_give_no_steps(
    recording: Path, tmp_path: Path
) -> None:
    """The loss the calibration file repairs: the samples alone hold no standing."""
    run = gaitdeck("export", str(recording), "--out", str(tmp_path / "exp"), "--format", "samples")
    assert run.returncode == 0, run.stderr
    bare = tmp_path / "bare"
    shutil.copytree(tmp_path / "exp" / "samples", bare)
    (bare / "calibration.json").unlink()
    imported = tmp_path / "bare.gdrec"
    assert gaitdeck("import", str(bare), "--out", str(imported)).returncode == 0
    assert steps(imported, tmp_path / "after") == 0
