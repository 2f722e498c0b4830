"""``gaitdeck analyze`` says how far its numbers can be trusted (issue 12, item 4): quality
columns in steps.csv and strides.csv, a quality section in summary.json, medians of the
good rows only, and an ambiguous pod named with its reason — run through the real console
script on a session with an ambiguous trunk and a drifting shoe gyro."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from doubtful_session import DRIFT_FROM_S, doubtful_session
from test_analyze_cli import Run, gaitdeck, header, table

from drivers.imports.pod_csv import write_pod_folder


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    root = tmp_path_factory.mktemp("doubtful")
    write_pod_folder(root / "in", doubtful_session()[0])
    return root / "out", gaitdeck("analyze", str(root / "in"), "--out", str(root / "out"))


def test_the_tables_append_quality_columns(analysed: tuple[Path, Run]) -> None:
    out, run = analysed
    assert run.returncode == 0, run.stderr
    steps = header(out / "steps.csv")
    assert steps[:6] == ["side", "ic_s", "to_s", "contact_ms", "fsa_deg", "strike"]
    assert steps[6:] == ["quality", "quality_reason", "fsa_spread_deg"]
    assert header(out / "strides.csv")[-2:] == ["quality", "quality_reason"]


def test_steps_whose_angle_estimates_disagree_are_low(analysed: tuple[Path, Run]) -> None:
    out, _ = analysed
    rows = [r for r in table(out / "steps.csv") if r["to_s"]]
    before = [r for r in rows if float(r["ic_s"]) < DRIFT_FROM_S - 1.0]
    drifting = [r for r in rows if r["side"] == "right" and float(r["ic_s"]) > DRIFT_FROM_S + 1]
    assert all(r["quality"] == "good" and r["quality_reason"] == "" for r in before)
    assert len(drifting) > 20
    low = [r for r in drifting if r["quality"] == "low"]
    assert len(low) >= 0.9 * len(drifting)
    assert all(re.fullmatch(r"FSA estimates \d+° apart", r["quality_reason"]) for r in low)
    assert all(float(r["fsa_spread_deg"]) > 5.0 for r in low)
    left = [r for r in rows if r["side"] == "left"]
    assert all(r["quality"] == "good" for r in left)


def test_summary_names_the_ambiguous_pod_and_uses_good_rows(analysed: tuple[Path, Run]) -> None:
    out, _ = analysed
    data = json.loads((out / "summary.json").read_text())
    quality = data["quality"]
    session, pods = quality["session"], quality["pods"]
    assert session["verdict"] == "ambiguous"
    assert list(session["ambiguous_pods"]) == ["trunk"]
    assert "forward lean disagree" in session["ambiguous_pods"]["trunk"]
    assert pods["trunk"]["quality"] == "ambiguous" and pods["trunk"]["reference"] == "standing"
    assert (
        pods["right_shoe"]["quality"] == "low"
        and "steps low-confidence" in (pods["right_shoe"]["reason"])
    )
    assert pods["left_shoe"]["quality"] == "good" and pods["pelvis"]["quality"] == "good"
    assert session["low_steps"] == sum(r["quality"] == "low" for r in table(out / "steps.csv"))
    medians = data["medians"]
    assert medians["trunk_rot_rom_deg"] is None  # no trunk angle is shown as fact
    assert medians["pelvis_rot_rom_deg"] > 0  # the pelvis's strides are good
    rows = [r for r in table(out / "steps.csv") if r["side"] == "right" and r["quality"] == "good"]
    angles = sorted(float(r["fsa_deg"]) for r in rows)
    assert medians["fsa_deg"]["right"] == pytest.approx(angles[len(angles) // 2], abs=1.0)
    assert "trunk alignment ambiguous" in " ".join(data["warnings"])
