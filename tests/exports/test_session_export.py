"""Exporting a session into a folder: every kind, read back; nothing overwritten unasked."""

from __future__ import annotations

import json
from pathlib import Path

import ezc3d
import numpy as np
import pytest

from drivers.imports.pod_csv import read_pod_folder
from drivers.sim.runner_model import simulate
from drivers.types import Placement
from processing.analysis import analyze
from processing.exports.session import (
    ExportExistsError,
    ExportKind,
    export_session,
    planned_files,
)


def test_all_kinds_round_trip(tmp_path: Path) -> None:
    blocks, _ = simulate("forefoot-relaxed", 15.0, 100.0, seed=11)
    result = analyze(blocks)
    fractions: list[float] = []
    written = export_session(tmp_path / "out", blocks, result, progress=fractions.append)
    assert all(p.exists() for p in written) and fractions == [0.25, 0.5, 0.75, 1.0]
    samples = read_pod_folder(tmp_path / "out" / "samples")
    assert set(samples) == set(Placement)
    for placement, block in blocks.items():
        assert np.allclose(samples[placement].t_s, block.t_s, atol=1e-6)
        assert np.allclose(samples[placement].gyro_dps, block.gyro_dps, rtol=1e-8)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["strides"] == len(result.strides)
    steps_csv = (tmp_path / "out" / "steps.csv").read_text().splitlines()
    assert len(steps_csv) == 1 + summary["steps"]
    c3d = ezc3d.c3d(str(tmp_path / "out" / "session.c3d"))
    assert c3d["parameters"]["ANALOG"]["USED"]["value"][0] == 24
    assert "<section" in (tmp_path / "out" / "summary.html").read_text()


def test_refuses_to_overwrite_unless_allowed(tmp_path: Path) -> None:
    blocks, _ = simulate("midfoot", 6.0, 100.0, seed=12)
    one = {Placement.TRUNK: blocks[Placement.TRUNK]}
    result = analyze(one)
    kinds = [ExportKind.SAMPLES, ExportKind.HTML]
    export_session(tmp_path, one, result, kinds)
    page = tmp_path / "summary.html"
    page.write_text("mine")
    with pytest.raises(ExportExistsError) as error:
        export_session(tmp_path, one, result, kinds)
    assert error.value.paths == [tmp_path / "samples" / "trunk.csv", page]
    assert page.read_text() == "mine"
    export_session(tmp_path, one, result, kinds, overwrite=True)
    assert page.read_text() != "mine"


def test_planned_files_follow_kinds_and_pods(tmp_path: Path) -> None:
    files = planned_files(tmp_path, [ExportKind.C3D, ExportKind.SAMPLES], [Placement.PELVIS])
    assert files == [tmp_path / "samples" / "pelvis.csv", tmp_path / "session.c3d"]
