"""``gaitdeck record | info | import | export | replay | analyze FILE`` through the real
console script: recordings made, inspected, converted, exported and replayed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drivers.imports.pod_csv import write_pod_folder
from drivers.recording import Recording
from drivers.sim.runner_model import simulate

REPO = Path(__file__).resolve().parents[1]
GAITDECK = Path(sys.executable).with_name("gaitdeck")
SAMPLE = REPO / "recordings" / "sim-mixed.gdrec"
Run = subprocess.CompletedProcess[str]


def gaitdeck(*args: str, timeout: float = 120) -> Run:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(GAITDECK), *args], capture_output=True, text=True,
                          timeout=timeout, env=env)  # fmt: skip


def one_line_error(run: Run, *words: str) -> None:
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gaitdeck: "), run.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_record_simulated_pods_then_info(tmp_path: Path) -> None:
    out = tmp_path / "s.gdrec"
    run = gaitdeck("record", "--simulate", "--runner", "forefoot-relaxed", "--rate", "100",
                   "--duration", "3", "--out", str(out), "--runner-id", "R-9")  # fmt: skip
    assert run.returncode == 0, run.stderr
    with Recording(out) as rec:
        assert rec.clean and len(rec.header.pods) == 4 and rec.header.runner_id == "R-9"
    info = gaitdeck("info", str(out), "--json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert data["clean"] and [p["placement"] for p in data["pods"]] == [
        "trunk", "pelvis", "left_shoe", "right_shoe"
    ]  # fmt: skip
    assert all(250 <= p["samples"] <= 330 for p in data["pods"])  # 3 s at 100 Hz
    text = gaitdeck("info", str(out))
    assert "closed cleanly" in text.stdout and "left_shoe" in text.stdout


def test_record_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "s.gdrec"
    out.write_bytes(b"keep")
    one_line_error(gaitdeck("record", "--simulate", "--duration", "1", "--out", str(out)),
                   "already exists")  # fmt: skip
    assert out.read_bytes() == b"keep"


def test_killed_recorder_leaves_a_readable_salvaged_file(tmp_path: Path) -> None:
    out = tmp_path / "crash.gdrec"
    proc = subprocess.Popen([str(GAITDECK), "record", "--simulate", "--rate", "100",
                             "--duration", "60", "--out", str(out)])  # fmt: skip
    time.sleep(4.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    info = gaitdeck("info", str(out), "--json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert not data["clean"]
    assert all(p["samples"] > 100 for p in data["pods"])  # seconds of data kept


def test_info_on_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gdrec"
    bad.write_bytes(b"not a recording at all")
    one_line_error(gaitdeck("info", str(bad)), "not a gaitdeck recording")
    one_line_error(gaitdeck("info", str(tmp_path / "missing.gdrec")), "cannot open")


def test_analyze_a_recording(tmp_path: Path) -> None:
    run = gaitdeck("analyze", str(SAMPLE), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary
    assert (tmp_path / "out" / "steps.csv").read_text().count("\n") > 20


def test_import_pod_csv_folder_then_export_everything(tmp_path: Path) -> None:
    blocks, _ = simulate("midfoot", 30.0, 100.0, seed=3)
    write_pod_folder(tmp_path / "csv", blocks)
    rec = tmp_path / "imported.gdrec"
    run = gaitdeck("import", str(tmp_path / "csv"), "--out", str(rec))
    assert run.returncode == 0, run.stderr
    with Recording(rec) as r:
        assert {p.kind for p in r.header.pods} == {"samples"}
    out = tmp_path / "export"
    run = gaitdeck("export", str(rec), "--out", str(out))
    assert run.returncode == 0, run.stderr
    names = {p.name for p in out.rglob("*") if p.is_file()}
    assert {"steps.csv", "strides.csv", "summary.json"} <= names
    assert any(n.endswith(".c3d") for n in names) and any(n.endswith(".html") for n in names)
    again = gaitdeck("export", str(rec), "--out", str(out))
    one_line_error(again, "--overwrite")
    assert gaitdeck("export", str(rec), "--out", str(out), "--overwrite").returncode == 0


def test_export_format_and_map_errors(tmp_path: Path) -> None:
    one_line_error(gaitdeck("export", str(SAMPLE), "--out", str(tmp_path), "--format", "pdf"),
                   "--format")  # fmt: skip
    one_line_error(gaitdeck("import", str(tmp_path), "--out", str(tmp_path / "x.gdrec"),
                            "--map", "nonsense"), "ADDRESS=PLACEMENT")  # fmt: skip


@pytest.mark.parametrize(("args", "words"), [
    (["--speed", "50"], ["--speed"]), (["--speed", "fast-ish"], ["--speed"]),
    (["--loop", "9:3"], ["--loop"]),
])  # fmt: skip
def test_replay_argument_errors(args: list[str], words: list[str]) -> None:
    one_line_error(gaitdeck("replay", str(SAMPLE), *args), *words)


def test_replay_renders_the_dashboard(tmp_path: Path) -> None:
    png = tmp_path / "replay.png"
    run = gaitdeck("replay", str(SAMPLE), "--speed", "max", "--screenshot", str(png),
                   "--exit-after", "6")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert png.stat().st_size > 10_000
