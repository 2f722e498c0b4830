"""A recording read and analysed for the report: its header, markers, samples and events.

Times are seconds from the recording's start (``drivers.imports.session_input``), the time
base of ``gaitdeck info`` and the exports; ``started`` is that start's wall time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from drivers.errors import GaitdeckError
from drivers.imports.session_input import load_session
from drivers.recording import Recording, RecordingHeader
from drivers.types import Placement, SampleBlock
from processing.analysis import AnalysisResult
from processing.events import StrikeThresholds
from processing.session_analysis import analyze_loaded
from processing.stages.strike import DEFAULT_THRESHOLDS


@dataclass(frozen=True)
class ReportSession:
    """One analysed recording. ``problem`` says why reading stopped early (a salvaged file),
    None for a file read to its end."""

    path: Path
    header: RecordingHeader
    markers: list[tuple[float, str]]
    blocks: dict[Placement, SampleBlock]
    files: dict[Placement, str]
    result: AnalysisResult
    problem: str | None = None
    events: list[tuple[float, dict[str, Any]]] = field(default_factory=list)  # e.g. cues
    started: datetime.datetime | None = None

    @property
    def runner_id(self) -> str:
        return self.header.runner_id.strip()

    @property
    def date_text(self) -> str:
        """When recording started, ``YYYY-MM-DD HH:MM UTC``, or the header's text as it is."""
        started = self.started
        if started is None:
            return self.header.started_utc or "unknown date"
        return started.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def load_report_session(
    path: Path, thresholds: StrikeThresholds = DEFAULT_THRESHOLDS
) -> ReportSession:
    """Read and analyse the recording at ``path``; raises GaitdeckError (one line) if it is
    missing, not a gaitdeck recording, damaged beyond use or holds no samples."""
    if path.is_dir():
        raise GaitdeckError(f"{path} is a folder, not a gaitdeck recording (see gaitdeck import)")
    loaded = load_session(path)
    with Recording(path) as recording:
        header, problem, zero = recording.header, recording.problem, recording.start_s
        events = [(t - zero, event) for t, event in recording.events()]
    blocks = {p: b for p, b in loaded.blocks.items() if len(b)}
    if not blocks:
        raise GaitdeckError(f"{path} holds no pod samples; nothing to report")
    result = analyze_loaded(replace(loaded, blocks=blocks), thresholds)  # recorded calibration
    return ReportSession(
        path, header, loaded.markers, blocks, loaded.files, result, problem, events, loaded.started
    )
