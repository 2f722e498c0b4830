"""Report fixtures: the sample recordings analysed once, a recording with two stage markers
and two notes, and a reader that takes a report page apart (sections, table rows, attributes)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from html_page import PageReader, read_page

from drivers.recording.convert import write_samples_recording
from drivers.sim.runner_model import simulate
from processing.report import ReportSession, load_report_session

REPO = Path(__file__).resolve().parents[2]
MIXED = REPO / "recordings" / "sim-mixed.gdrec"
GUARDED = REPO / "recordings" / "sim-heel-striker-guarded.gdrec"
STAGE_1, STAGE_2 = "stage 1: 10.0 km/h, 0 %", "stage 2: 12.0 km/h, 1 %"
STAGE_MARKERS = [(16.0, STAGE_1), (22.5, "calf tight"), (30.0, STAGE_2), (38.25, "shoe change")]
"""Two stage markers (Next stage) and a free-text and a preset marker, which split nothing."""


@pytest.fixture(scope="session")
def page_reader() -> Callable[[str], PageReader]:
    return read_page


@pytest.fixture(scope="session")
def mixed() -> ReportSession:
    return load_report_session(MIXED)


@pytest.fixture(scope="session")
def guarded() -> ReportSession:
    return load_report_session(GUARDED)


@pytest.fixture(scope="session")
def staged_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """45 s of the simulated 'mixed' runner with two stage markers, as a recording."""
    blocks, _ = simulate("mixed", 45.0, 100.0, seed=3)
    path = tmp_path_factory.mktemp("staged") / "staged.gdrec"
    return write_samples_recording(path, blocks, markers=STAGE_MARKERS, runner_id="R-7")


@pytest.fixture(scope="session")
def staged(staged_path: Path) -> ReportSession:
    return load_report_session(staged_path)
