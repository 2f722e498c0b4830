"""Export an analysed session into one folder, in any of the formats, never overwriting
without being told to.

===========  ==================================================================
kind         files (in ``out_dir``)
===========  ==================================================================
``tables``   ``steps.csv``, ``strides.csv``, ``summary.json`` (``processing.export``),
             ``markers.csv`` (``processing.exports.markers``)
``samples``  ``samples/<placement>.csv`` per pod, the pod CSV format
             (``drivers.imports.pod_csv``; ``gaitdeck analyze`` and ``import`` read it
             back), ``samples/calibration.json`` when the session started from a
             recorded calibration, and ``samples/session.json`` (start, runner, notes,
             markers, events: ``drivers.imports.session_file``) for a recording
``c3d``      ``session.c3d`` (``processing.exports.c3d``)
``html``     ``summary.html`` (``processing.exports.html_summary``)
===========  ==================================================================

``planned_files`` lists what an export would write, so a caller can ask before
overwriting; ``export_session`` refuses (ExportExistsError naming the files) unless
``overwrite`` is set. Times are those of the input: for a recording, seconds from its start.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.errors import GaitdeckError
from drivers.imports.pod_csv import (
    CALIBRATION_FILE,
    POD_FILE_NAMES,
    write_calibration,
    write_pod_folder,
)
from drivers.imports.session_file import SESSION_FILE, FolderSession, write_session_file
from drivers.imports.session_input import LoadedSession, folder_session
from drivers.types import Placement, SampleBlock
from processing.analysis import AnalysisResult
from processing.export import STEPS_FILE, STRIDES_FILE, SUMMARY_FILE, write_analysis
from processing.exports.c3d import write_c3d
from processing.exports.html_summary import write_html_summary
from processing.exports.markers import MARKERS_FILE, write_markers

SAMPLES_DIR = "samples"
C3D_FILE = "session.c3d"
HTML_FILE = "summary.html"

ProgressFn = Callable[[float], None]


class ExportKind(enum.StrEnum):
    TABLES = "tables"
    SAMPLES = "samples"
    C3D = "c3d"
    HTML = "html"


class ExportExistsError(GaitdeckError):
    """Files an export would overwrite; ``paths`` lists them."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        names = ", ".join(str(p) for p in paths)
        super().__init__(f"would overwrite {names} (allow overwriting to replace them)")


@dataclass(frozen=True)
class SessionFacts:
    """What an export writes besides samples and results: the markers (time from the
    recording's start, text), the wall time of that start, the calibration event the
    session started from (``LoadedSession`` has them) and, for a session whose t = 0 is a
    recording's start, what the samples' session.json holds."""

    markers: Sequence[tuple[float, str]] = ()
    started: datetime.datetime | None = None
    calibration: Mapping[str, Any] | None = field(default=None)
    session: FolderSession | None = None


def session_facts(loaded: LoadedSession) -> SessionFacts:
    """The markers, start, starting calibration and session file of a loaded session."""
    session = folder_session(loaded) if loaded.timed else None
    return SessionFacts(loaded.markers, loaded.started, loaded.calibration, session)


def planned_files(
    out_dir: Path,
    kinds: Collection[ExportKind],
    placements: Collection[Placement],
    calibration: bool = False,
    session: bool = False,
) -> list[Path]:
    """The files exporting ``kinds`` for pods at ``placements`` writes into ``out_dir``
    (with ``calibration``: the session has a starting calibration to carry; ``session``:
    a recording's start, markers, … to carry)."""
    files: list[Path] = []
    if ExportKind.TABLES in kinds:
        files += [out_dir / STEPS_FILE, out_dir / STRIDES_FILE, out_dir / SUMMARY_FILE,
                  out_dir / MARKERS_FILE]  # fmt: skip
    if ExportKind.SAMPLES in kinds:
        files += [out_dir / SAMPLES_DIR / POD_FILE_NAMES[p] for p in Placement if p in placements]
        if calibration:
            files.append(out_dir / SAMPLES_DIR / CALIBRATION_FILE)
        if session:
            files.append(out_dir / SAMPLES_DIR / SESSION_FILE)
    if ExportKind.C3D in kinds:
        files.append(out_dir / C3D_FILE)
    if ExportKind.HTML in kinds:
        files.append(out_dir / HTML_FILE)
    return files


def export_session(
    out_dir: Path,
    blocks: Mapping[Placement, SampleBlock],
    result: AnalysisResult,
    kinds: Collection[ExportKind] = tuple(ExportKind),
    *,
    files: Mapping[Placement, str] | None = None,
    overwrite: bool = False,
    progress: ProgressFn | None = None,
    facts: SessionFacts | None = None,
) -> list[Path]:
    """Write ``kinds`` of ``blocks``/``result`` into ``out_dir``; returns the files written.
    ``files`` names each pod's source (for the warnings in summary.json and the page);
    ``progress`` gets the fraction of the kinds done; ``facts``: markers, start and
    calibration of the session."""
    facts = facts or SessionFacts()
    planned = planned_files(out_dir, kinds, blocks.keys(), facts.calibration is not None,
                            facts.session is not None)  # fmt: skip
    existing = [p for p in planned if p.exists()]
    if existing and not overwrite:
        raise ExportExistsError(existing)
    out_dir.mkdir(parents=True, exist_ok=True)
    ordered = [k for k in ExportKind if k in kinds]
    for done, kind in enumerate(ordered, start=1):
        _write(kind, out_dir, blocks, result, files or {}, facts)
        if progress is not None:
            progress(done / len(ordered))
    return planned


def _write(
    kind: ExportKind,
    out_dir: Path,
    blocks: Mapping[Placement, SampleBlock],
    result: AnalysisResult,
    files: Mapping[Placement, str],
    facts: SessionFacts,
) -> None:
    if kind is ExportKind.TABLES:
        write_analysis(out_dir, blocks, result, files)
        write_markers(out_dir / MARKERS_FILE, facts.markers, facts.started)
    elif kind is ExportKind.SAMPLES:
        write_pod_folder(out_dir / SAMPLES_DIR, blocks)
        if facts.calibration is not None:
            write_calibration(out_dir / SAMPLES_DIR, facts.calibration)
        if facts.session is not None:
            write_session_file(out_dir / SAMPLES_DIR, facts.session)
    elif kind is ExportKind.C3D:
        write_c3d(out_dir / C3D_FILE, blocks, result)
    else:
        write_html_summary(out_dir / HTML_FILE, blocks, result, files=files)
