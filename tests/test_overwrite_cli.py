"""One overwrite policy for every command that writes (``record``, ``analyze``, ``export``,
``report``, ``import``), through the real console script.

An existing output is refused in one line naming ``--overwrite``, before any work: each
refusal below is given an input that is not even readable, so a command that read its
input first would say that instead. An input is never written, even with ``--overwrite``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from drivers.imports.pod_csv import write_pod_folder
from drivers.recording import Recording
from drivers.sim.runner_model import simulate

REPO = Path(__file__).resolve().parents[1]
GAITDECK = Path(sys.executable).with_name("gaitdeck")
SAMPLE = REPO / "recordings" / "sim-mixed.gdrec"
Run = subprocess.CompletedProcess[str]


def gaitdeck(*args: str | Path) -> Run:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(GAITDECK), *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=env)  # fmt: skip


def refused(run: Run, message: str) -> None:
    assert run.returncode == 2, run.stderr
    assert run.stderr == f"gaitdeck: {message}\n", run.stderr


def unreadable(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.gdrec"
    bad.write_bytes(b"not a recording at all")
    return bad


def csv_folder(folder: Path) -> Path:
    blocks, _ = simulate("midfoot", 12.0, 50.0, seed=2)
    write_pod_folder(folder, blocks)
    return folder


def test_record_refuses_at_once_and_replaces_with_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "s.gdrec"
    out.write_bytes(b"keep")
    started = time.monotonic()
    run = gaitdeck("record", "--simulate", "--duration", "30", "--out", out)
    refused(run, f"{out} already exists; add --overwrite to replace it")
    assert time.monotonic() - started < 10.0  # not after recording 30 s
    assert out.read_bytes() == b"keep"
    run = gaitdeck("record", "--simulate", "--duration", "1", "--out", out, "--overwrite")
    assert run.returncode == 0, run.stderr
    with Recording(out) as recording:
        assert recording.clean and len(recording.header.pods) == 4


def test_analyze_refuses_before_reading_its_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "steps.csv").write_text("keep")
    refused(gaitdeck("analyze", unreadable(tmp_path), "--out", out),
            f"{out / 'steps.csv'} already exists; add --overwrite to replace it")  # fmt: skip
    assert (out / "steps.csv").read_text() == "keep"
    assert sorted(p.name for p in out.iterdir()) == ["steps.csv"]
    run = gaitdeck("analyze", SAMPLE, "--out", out, "--overwrite", "--quiet")
    assert run.returncode == 0, run.stderr
    assert (out / "steps.csv").read_text().startswith("side,")


def test_export_says_it_once_for_many_files(tmp_path: Path) -> None:
    out = tmp_path / "export"
    (out / "samples").mkdir(parents=True)
    for name in ("steps.csv", "summary.html", "samples/left_shoe.csv"):
        (out / name).write_text("keep")
    run = gaitdeck("export", unreadable(tmp_path), "--out", out)
    refused(run, f"{out / 'steps.csv'} and 2 other files already exist; "
                 "add --overwrite to replace them")  # fmt: skip
    assert all((out / n).read_text() == "keep" for n in ("steps.csv", "summary.html"))
    run = gaitdeck("export", SAMPLE, "--out", out, "--format", "tables", "--overwrite")
    assert run.returncode == 0, run.stderr
    assert (out / "steps.csv").read_text().startswith("side,")


def test_import_refuses_before_reading_its_input(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "trunk.csv").write_text("not,a,pod,file\n")
    out = tmp_path / "imported.gdrec"
    out.write_bytes(b"keep")
    refused(gaitdeck("import", folder, "--out", out),
            f"{out} already exists; add --overwrite to replace it")  # fmt: skip
    assert out.read_bytes() == b"keep"
    good = csv_folder(tmp_path / "good")
    run = gaitdeck("import", good, "--out", out, "--overwrite")
    assert run.returncode == 0, run.stderr
    with Recording(out) as recording:
        assert recording.clean and {p.kind for p in recording.header.pods} == {"samples"}


def test_report_refuses_before_reading_its_input(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("keep")
    refused(gaitdeck("report", unreadable(tmp_path), "--out", out),
            f"{out} already exists; add --overwrite to replace it")  # fmt: skip
    assert out.read_text() == "keep"


def test_report_never_writes_over_its_recording(tmp_path: Path) -> None:
    recording = tmp_path / "session.html"  # a recording, oddly named
    shutil.copyfile(SAMPLE, recording)
    refused(gaitdeck("report", recording, "--out", recording, "--overwrite"),
            f"{recording} is an input of this command; write the output elsewhere")  # fmt: skip
    assert recording.read_bytes() == SAMPLE.read_bytes()


def test_import_and_export_never_write_over_their_input_files(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path / "session" / "samples")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    trunk = folder / "trunk.csv"
    refused(gaitdeck("import", folder, "--out", trunk, "--overwrite"),
            f"{trunk} is an input of this command; write the output elsewhere")  # fmt: skip
    run = gaitdeck("export", folder, "--out", folder.parent, "--format", "samples",
                   "--overwrite")  # fmt: skip
    refused(run, f"{trunk} is an input of this command; write the output elsewhere")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_screenshot_never_replaces_the_replayed_recording(tmp_path: Path) -> None:
    recording = tmp_path / "copy.gdrec"
    shutil.copyfile(SAMPLE, recording)
    before = recording.read_bytes()
    run = gaitdeck("replay", recording, "--screenshot", recording, "--overwrite")
    refused(run, f"--screenshot must name a .png file, not {recording.name!r}")
    png = tmp_path / "copy.png"
    png.write_bytes(b"keep")
    run = gaitdeck("replay", recording, "--screenshot", png, "--exit-after", "1")
    refused(run, f"{png} already exists; add --overwrite to replace it")
    assert png.read_bytes() == b"keep" and recording.read_bytes() == before


def test_dashboard_screenshot_is_refused_at_once_then_replaced_with_overwrite(
    tmp_path: Path,
) -> None:
    png = tmp_path / "dash.png"
    png.write_bytes(b"keep")
    started = time.monotonic()
    run = gaitdeck("--simulate", "--screenshot", png, "--exit-after", "30")
    refused(run, f"{png} already exists; add --overwrite to replace it")
    assert time.monotonic() - started < 10.0 and png.read_bytes() == b"keep"
    run = gaitdeck("--simulate", "--screenshot", png, "--exit-after", "1", "--overwrite")
    assert run.returncode == 0, run.stderr
    assert png.read_bytes().startswith(b"\x89PNG")
