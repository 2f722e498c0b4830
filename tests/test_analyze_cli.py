"""``gaitdeck analyze``: pod CSV folders in, steps.csv / strides.csv / summary.json out.

Run through the real console script (as ``tests/test_cli.py`` does), on simulated sessions
with ground truth and on the real gaitmap walking sample when ``/work/shared`` is present.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
from dataclasses import fields
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from drivers.imports.pod_csv import HEADER, write_pod_folder
from drivers.sim.runner_model import RunnerModel, simulate
from drivers.types import FloatArray, Placement, SampleBlock
from processing.analysis import AnalysisResult
from processing.events import Side, StepEvent, StrideEvent, StrikeEvent, StrikeType
from processing.export import step_columns, step_rows, stride_columns, stride_rows, write_table

REPO = Path(__file__).resolve().parents[1]
GAITDECK = Path(sys.executable).with_name("gaitdeck")
GAITMAP = REPO / "tests" / "fixtures" / "gaitmap"  # vendored, MIT (see its README)
GAITMAP_RATE_HZ = 204.8
STANDARD_GRAVITY_MPS2 = 9.80665
Run = subprocess.CompletedProcess[str]


def gaitdeck(*args: str) -> Run:
    if not GAITDECK.exists():
        pytest.fail(f"console script missing at {GAITDECK}: pip install -e '.[test]'")
    return subprocess.run([str(GAITDECK), *args], capture_output=True, text=True, timeout=120)


def gaitdeck_without_qt(*args: str) -> Run:
    """``desktop.cli.main`` with PySide6 / pyqtgraph made unimportable."""
    script = (
        "import sys\n"
        "for name in ('PySide6', 'pyqtgraph', 'shiboken6'): sys.modules[name] = None\n"
        "from desktop.cli import main\n"
        f"sys.exit(main({list(args)!r}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-c", script]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=REPO, env=env)


def table(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as stream:
        return list(csv.DictReader(stream))


def header(path: Path) -> list[str]:
    return path.read_text().splitlines()[0].split(",")


def summary(out: Path) -> dict[str, object]:
    data = json.loads((out / "summary.json").read_text())
    assert isinstance(data, dict)
    return data


# --- a simulated heel striker, all four pods --------------------------------------------------


@cache
def heel_striker() -> tuple[dict[Placement, SampleBlock], RunnerModel]:
    return simulate("heel-striker-guarded", 40, 100, seed=1)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    root = tmp_path_factory.mktemp("heel_striker")
    write_pod_folder(root / "in", heel_striker()[0])
    return root / "out", gaitdeck("analyze", str(root / "in"), "--out", str(root / "out"))


def test_analyze_succeeds_quietly_on_a_short_session(analysed: tuple[Path, Run]) -> None:
    out, run = analysed
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # no warnings, and no progress bar under two minutes
    assert "steps" in run.stdout and str(out / "summary.json") in run.stdout


def test_steps_match_the_simulated_runner(analysed: tuple[Path, Run]) -> None:
    out, _ = analysed
    rows = table(out / "steps.csv")
    assert header(out / "steps.csv")[:6] == [
        "side",
        "ic_s",
        "to_s",
        "contact_ms",
        "fsa_deg",
        "strike",
    ]
    truth = heel_striker()[1].steps_between(0.0, 40.0)
    assert abs(len(rows) - len(truth)) <= 2
    for side in ("left", "right"):
        ics = np.array([float(r["ic_s"]) for r in rows if r["side"] == side])
        true_ics = [t.ic_s for t in truth if t.side == side]
        matched = [np.min(np.abs(ics - t)) < 0.03 for t in true_ics]
        assert np.mean(matched) >= 0.95
    assert np.mean([r["strike"] == "rearfoot" for r in rows]) >= 0.9
    finished = [r for r in rows if r["to_s"]]
    assert len(finished) >= len(rows) - 2
    contact = float(finished[10]["contact_ms"])
    assert contact == pytest.approx(
        1000 * (float(finished[10]["to_s"]) - float(finished[10]["ic_s"])), abs=0.2
    )


def test_strides_have_trunk_and_pelvis_values(analysed: tuple[Path, Run]) -> None:
    out, _ = analysed
    assert header(out / "strides.csv") == [f.name for f in fields(StrideEvent)]
    rows = table(out / "strides.csv")
    with_trunk = [r for r in rows if r["trunk_rot_rom_deg"] and r["pelvis_rot_rom_deg"]]
    assert len(with_trunk) >= 0.8 * len(rows) > 30
    truth = heel_striker()[1].strides_between(0.0, 40.0)
    for name in ("trunk_flex_rom_deg", "trunk_rot_rom_deg", "pelvis_rot_rom_deg"):
        ours = np.median([float(r[name]) for r in with_trunk])
        assert ours == pytest.approx(np.median([getattr(t, name) for t in truth]), abs=3.0)
    assert all(len(r["start_s"].split(".")[1]) == 3 for r in rows)
    assert all(len(r["trunk_rot_rom_deg"].split(".")[1]) == 2 for r in with_trunk)


def test_summary_describes_the_session(analysed: tuple[Path, Run]) -> None:
    out, _ = analysed
    data = summary(out)
    inputs = data["inputs"]
    assert isinstance(inputs, dict) and list(inputs) == [p.value for p in Placement]
    assert inputs["trunk"] == {
        "file": "trunk.csv", "samples": 4000, "rate_hz": 100.0, "start_s": 0.0,
        "end_s": 39.99, "non_finite_samples": 0,
    }  # fmt: skip
    assert data["duration_s"] == 39.99 and data["steps"] == len(table(out / "steps.csv"))
    strikes, medians = data["strikes"], data["medians"]
    assert isinstance(strikes, dict) and isinstance(medians, dict)
    assert strikes["left"]["shares"]["rearfoot"] >= 0.9
    assert sum(strikes["right"]["counts"].values()) == strikes["right"]["strikes"]
    truth = heel_striker()[1].steps_between(0.0, 40.0)
    true_fsa = np.median([t.fsa_deg for t in truth])
    assert medians["fsa_deg"]["left"] == pytest.approx(true_fsa, abs=4.0)
    assert medians["contact_ms"]["right"] > 150 and medians["trunk_rot_rom_deg"] > 0
    words = {"side", "start_s", "end_s", "quality", "quality_reason"}
    assert set(medians) >= {f.name for f in fields(StrideEvent)} - words
    assert data["medians_from"] == "rows whose quality is good (steps.csv, strides.csv)"
    true_cadence = 60.0 / np.median(np.diff(sorted(t.ic_s for t in truth)))
    assert data["cadence_spm"] == pytest.approx(true_cadence, rel=0.03)
    alignment = data["alignment"]
    assert isinstance(alignment, dict)
    assert {p: a["status"] for p, a in alignment.items()} == {p.value: "decided" for p in Placement}
    assert all(0.0 < a["quality"] <= 1.0 and a["note"] for a in alignment.values())
    assert {a["reference"] for a in alignment.values()} == {"standing"}  # opens standing
    quality = data["quality"]
    assert isinstance(quality, dict)
    assert quality["session"]["verdict"] == "good"
    assert quality["session"]["ambiguous_pods"] == {} and quality["session"]["low_pods"] == {}
    assert {p: q["quality"] for p, q in quality["pods"].items()} == {
        p.value: "good" for p in Placement
    }
    assert data["warnings"] == []


def test_summary_agrees_with_the_steps_table(analysed: tuple[Path, Run]) -> None:
    """summary.json's FSA medians and strike counts are those of steps.csv's rows (a
    completed step's refined angle and type), not of the raw angles at initial contact;
    the medians of its good rows."""
    out, _ = analysed
    data, rows = summary(out), table(out / "steps.csv")
    strikes, medians = data["strikes"], data["medians"]
    assert isinstance(strikes, dict) and isinstance(medians, dict)
    assert {r["quality"] for r in rows} == {"good", "low"}  # the last contacts: no toe-off
    for side in ("left", "right"):
        mine = [r for r in rows if r["side"] == side]
        angles = [float(r["fsa_deg"]) for r in mine if r["quality"] == "good"]
        assert medians["fsa_deg"][side] == pytest.approx(float(np.median(angles)), abs=0.01)
        kinds = [r["strike"] for r in mine]
        assert strikes[side]["counts"] == {k: kinds.count(k) for k in strikes[side]["counts"]}


# --- subsets, missing samples, progress ------------------------------------------------------


def test_one_shoe_with_missing_samples_runs_without_qt(tmp_path: Path) -> None:
    shoe = heel_striker()[0][Placement.RIGHT_SHOE]
    gyro_dps = shoe.gyro_dps.copy()
    gyro_dps[1500:1507, 0] = np.nan
    write_pod_folder(
        tmp_path / "in", {Placement.RIGHT_SHOE: SampleBlock(shoe.t_s, shoe.acc_g, gyro_dps)}
    )
    run = gaitdeck_without_qt("analyze", str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    strides = table(tmp_path / "out" / "strides.csv")
    assert len(strides) > 20 and {r["side"] for r in strides} == {"right"}
    assert all(r["trunk_flex_mean_deg"] == "" and r["pelvis_rot_rom_deg"] == "" for r in strides)
    warnings = summary(tmp_path / "out")["warnings"]
    assert isinstance(warnings, list)
    assert "trunk absent: trunk columns are empty" in warnings
    assert "left_shoe absent: no left steps or strides" in warnings
    assert "right_shoe.csv: 7 samples dropped as non-finite (nan/inf)" in warnings
    assert "gaitdeck: warning: trunk absent: trunk columns are empty" in run.stderr


@pytest.fixture(scope="module")
def long_session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Just over two minutes of one shoe: long enough for a progress bar."""
    blocks, _ = simulate("forefoot-relaxed", 130, 50, seed=2)
    folder = tmp_path_factory.mktemp("long")
    write_pod_folder(folder, {Placement.LEFT_SHOE: blocks[Placement.LEFT_SHOE]})
    return folder


def test_progress_bar_on_request(long_session: Path, tmp_path: Path) -> None:
    run = gaitdeck("analyze", str(long_session), "--out", str(tmp_path), "--progress")
    assert run.returncode == 0, run.stderr
    assert "analysing [" in run.stderr and "] 100%" in run.stderr  # "\r" read as "\n" here


def test_progress_bar_on_request_for_a_short_session_too(tmp_path: Path) -> None:
    write_pod_folder(tmp_path / "in", simulate("midfoot", 20, 50, seed=4)[0])
    run = gaitdeck("analyze", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--progress")
    assert run.returncode == 0, run.stderr
    assert "analysing [" in run.stderr and "] 100%" in run.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(long_session: Path, tmp_path: Path) -> None:
    run = gaitdeck("analyze", str(long_session), "--out", str(tmp_path))
    assert run.returncode == 0 and "analysing" not in run.stderr and "warning" in run.stderr


def test_quiet_prints_nothing(long_session: Path, tmp_path: Path) -> None:
    run = gaitdeck("analyze", str(long_session), "--out", str(tmp_path), "--progress", "--quiet")
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert (tmp_path / "steps.csv").exists()


# --- malformed input: one line, file and line named, exit 2 ----------------------------------


def rows(*times: float) -> str:
    return "".join(f"{t:.2f},0.01,-0.98,0.1,1.5,-0.3,0.2\n" for t in times)


GOOD = HEADER + "\n" + rows(12.0, 12.01, 12.02)
TIMES = [12.20 + 0.01 * k for k in range(15)]  # lines 2..16, ending at 12.34
WHAT_HEADER = "the header time_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps"
COUNT = "expected 7 comma-separated values, found"
WRITE_NAN = "write nan for a missing value"
MALFORMED = {
    "wrong header": (
        "time,ax,ay,az,gx,gy,gz\n" + rows(1, 2),
        "line 1: header must be time_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps, "
        "not 'time,ax,ay,az,gx,gy,gz'",
    ),
    "no header": (rows(1, 2), "line 1: no header: the first line must be " + HEADER),
    "text in a cell": (GOOD + "12.03,0.1,0.2,high,0,0,0\n", "line 5: az_g is not a number: 'high'"),
    "empty cell": (GOOD + "12.03,0,0,1,,0,0\n", f"line 5: gx_dps is empty ({WRITE_NAN})"),
    "short row": (
        HEADER + "\n" + rows(*TIMES) + "12.35,0,0,1,0,0\n",
        f"line 17: {COUNT} 6",
    ),
    "long row": (GOOD + "12.03,0,0,1,0,0,0,\n", f"line 5: {COUNT} 8"),
    "six columns throughout": (HEADER + "\n1,0,0,1,0,0\n", f"line 2: {COUNT} 6"),
    "time goes backwards": (
        HEADER + "\n" + rows(*TIMES, 12.31, 12.35),
        "line 17: time goes backwards (12.31 after 12.34)",
    ),
    "time repeats": (GOOD + rows(12.02), "line 5: time repeats (12.02)"),
    "time not a number": (GOOD + "nan,0,0,1,0,0,0\n", "line 5: time_s is not a finite number"),
    "empty file": ("", "line 1: empty, expected " + WHAT_HEADER),
    "header only": (HEADER + "\n", "line 2: no samples after the header"),
    "not text": (GOOD.encode() + b"12.03,\xff\xfe,0,1,0,0,0\n", "line 5: not UTF-8 text"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_input_is_one_line_naming_file_and_line(case: str, tmp_path: Path) -> None:
    content, reason = MALFORMED[case]
    data = content.encode() if isinstance(content, str) else content
    (tmp_path / "left_shoe.csv").write_bytes(data)
    (tmp_path / "trunk.csv").write_text(GOOD)
    run = gaitdeck("analyze", str(tmp_path), "--out", str(tmp_path / "out"))
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == f"gaitdeck: left_shoe.csv {reason}\n"
    assert not (tmp_path / "out").exists()


def test_unreadable_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "pelvis.csv").mkdir()
    run = gaitdeck("analyze", str(tmp_path), "--out", str(tmp_path / "out"))
    assert (run.returncode, run.stderr) == (
        2,
        "gaitdeck: pelvis.csv: cannot read (Is a directory)\n",
    )


def test_a_folder_without_pod_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    run = gaitdeck("analyze", str(tmp_path), "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    names = "trunk.csv, pelvis.csv, left_shoe.csv, right_shoe.csv"
    assert run.stderr == f"gaitdeck: {tmp_path}: none of {names} found\n"
    missing = gaitdeck("analyze", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert missing.stderr == f"gaitdeck: {tmp_path / 'nowhere'}: no such file or folder\n"


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "trunk.csv").write_text(GOOD)
    (tmp_path / "taken").write_text("")
    run = gaitdeck("analyze", str(tmp_path / "in"), "--out", str(tmp_path / "taken"))
    assert run.returncode == 2 and run.stderr.startswith(f"gaitdeck: cannot write to {tmp_path}")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_help_lists_the_analyze_command() -> None:
    assert "analyze" in gaitdeck("--help").stdout
    usage = gaitdeck("analyze", "--help").stdout
    assert all(option in usage for option in ("INPUT", "--out", "--progress", "--quiet"))


# --- the writers on hand-made results ---------------------------------------------------------


def test_a_strike_without_toe_off_keeps_its_row(tmp_path: Path) -> None:
    result = AnalysisResult(
        strikes=[
            StrikeEvent(Side.RIGHT, 1.4, -3.0, StrikeType.FOREFOOT),
            StrikeEvent(Side.LEFT, 1.0, 12.346, StrikeType.REARFOOT),
        ],
        steps=[StepEvent(Side.LEFT, 1.0, 1.25, 12.346, StrikeType.REARFOOT)],
        strides=[StrideEvent(Side.LEFT, 1.0, 1.7, trunk_flex_mean_deg=5.0)],
    )
    write_table(tmp_path / "steps.csv", step_columns(), step_rows(result))
    assert (tmp_path / "steps.csv").read_text() == (
        "side,ic_s,to_s,contact_ms,fsa_deg,strike,quality,quality_reason,fsa_spread_deg\n"
        "left,1.000,1.250,250.0,12.35,rearfoot,good,,\n"
        "right,1.400,,,-3.00,forefoot,low,no toe-off: strike angle not cross-checked,\n"
    )
    write_table(tmp_path / "strides.csv", stride_columns(), stride_rows(result))
    lines = (tmp_path / "strides.csv").read_text().splitlines()
    assert lines[1] == "left,1.000,1.700,5.00" + "," * (len(fields(StrideEvent)) - 5) + "good,"


# --- real walking data: gaitmap example (foot sensors only) ----------------------------------

QUIET_SAMPLES = 160  # the sample starts with ~0.8 s of standing (both feet still)


def gaitmap_folder(folder: Path, standing_copies: int = 0, t0_s: float = 1000.0) -> Path:
    """Convert the gaitmap IMU sample to pod CSV files (m/s² → g; its axes are kept: any
    strap orientation is allowed). ``standing_copies`` prepends that many copies of the
    subject's own initial quiet standing, as a session recorded with a proper start would have."""
    with gzip.open(GAITMAP / "imu_sample.csv.gz", "rt") as stream:
        sensors = stream.readline().strip().split(",")[1:]
        axes = stream.readline().strip().split(",")[1:]
        data = np.loadtxt(stream, delimiter=",")
    pad = standing_copies * QUIET_SAMPLES
    t_s = t0_s + (np.arange(pad + data.shape[0]) - pad) / GAITMAP_RATE_HZ
    blocks = {}
    for sensor, placement in (
        ("left_sensor", Placement.LEFT_SHOE),
        ("right_sensor", Placement.RIGHT_SHOE),
    ):
        column = {
            a: k + 1 for k, (s, a) in enumerate(zip(sensors, axes, strict=True)) if s == sensor
        }
        values = data[:, [column[f"{kind}_{x}"] for kind in ("acc", "gyr") for x in "xyz"]]
        values = np.concatenate([np.tile(values[:QUIET_SAMPLES], (standing_copies, 1)), values])
        blocks[placement] = SampleBlock(t_s, values[:, :3] / STANDARD_GRAVITY_MPS2, values[:, 3:])
    write_pod_folder(folder, blocks)
    return folder


def mocap_ics_s(t0_s: float) -> dict[str, FloatArray]:
    with (GAITMAP / "stride_events_sample.csv").open(newline="") as stream:
        events = list(csv.DictReader(stream))
    return {
        side: t0_s + np.array(
            sorted({float(e[k]) for e in events if e["foot"] == side for k in ("ic", "pre_ic")})
        ) / GAITMAP_RATE_HZ
        for side in ("left", "right")
    }  # fmt: skip


def test_gaitmap_walking_as_recorded_explains_why_it_finds_no_steps(tmp_path: Path) -> None:
    """The sample starts with under a second of standing: no calibration, and it says so."""
    run = gaitdeck("analyze", str(gaitmap_folder(tmp_path / "in")), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    data = summary(tmp_path / "out")
    inputs = data["inputs"]
    assert isinstance(inputs, dict) and inputs["left_shoe"]["rate_hz"] == pytest.approx(204.8)
    assert data["duration_s"] == pytest.approx(7928 / 204.8, abs=0.01)
    warnings = data["warnings"]
    assert isinstance(warnings, list) and "trunk absent: trunk columns are empty" in warnings
    explained = any(
        w.startswith("left_shoe") and ("pending" in w or "not calibrated" in w) for w in warnings
    )
    assert data["steps"] > 0 or explained, warnings


def test_gaitmap_walking_with_standing_matches_motion_capture(tmp_path: Path) -> None:
    """With 3 s of the subject's own standing first, strikes agree with the mocap reference
    (README: FSA +27.0° L / +27.2° R, stance ≈ 0.74 s, stride ≈ 1.09 s)."""
    folder = gaitmap_folder(tmp_path / "in", standing_copies=4)
    run = gaitdeck("analyze", str(folder), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    medians = summary(tmp_path / "out")["medians"]
    assert isinstance(medians, dict)
    assert medians["fsa_deg"]["left"] == pytest.approx(27.0, abs=4.0)
    assert medians["fsa_deg"]["right"] == pytest.approx(27.2, abs=4.0)
    assert medians["contact_ms"]["left"] == pytest.approx(740.0, abs=80.0)
    assert medians["stride_s"] == pytest.approx(1.09, abs=0.05)
    steps = table(tmp_path / "out" / "steps.csv")
    assert len(steps) >= 50 and np.mean([s["strike"] == "rearfoot" for s in steps]) >= 0.85
    mocap = mocap_ics_s(1000.0)
    errors_s = [np.min(np.abs(mocap[s["side"]] - float(s["ic_s"]))) for s in steps]
    assert np.mean(np.array(errors_s) < 0.05) >= 0.8
