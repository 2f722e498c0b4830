"""A loaded session (recording or import) analysed as the live session saw it: from the
calibration it was recorded with, if the recording holds one."""

from __future__ import annotations

from drivers.imports.session_input import LoadedSession
from processing.analysis import FILE_CHUNK_S, AnalysisResult, ProgressFn, analyze
from processing.calibration_state import recorded_calibration
from processing.events import StrikeThresholds
from processing.stages.strike import DEFAULT_THRESHOLDS


def analyze_loaded(
    loaded: LoadedSession,
    thresholds: StrikeThresholds = DEFAULT_THRESHOLDS,
    progress: ProgressFn | None = None,
) -> AnalysisResult:
    """``analyze`` of every pod's samples in file-sized chunks, starting from the recorded
    calibration (a standing inside the file still replaces it)."""
    calibration = recorded_calibration(loaded.calibration)
    return analyze(loaded.blocks, thresholds, chunk_s=FILE_CHUNK_S, progress=progress,
                   calibration=calibration)  # fmt: skip
