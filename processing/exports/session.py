"""Export an analysed session into one folder, in any of the formats, never overwriting
without being told to.

===========  ==================================================================
kind         files (in ``out_dir``)
===========  ==================================================================
``tables``   ``steps.csv``, ``strides.csv``, ``summary.json`` (``processing.export``)
``samples``  ``samples/<placement>.csv`` per pod, the pod CSV format
             (``drivers.imports.pod_csv``; ``gaitdeck analyze`` reads it back)
``c3d``      ``session.c3d`` (``processing.exports.c3d``)
``html``     ``summary.html`` (``processing.exports.html_summary``)
===========  ==================================================================

``planned_files`` lists what an export would write, so a caller can ask before
overwriting; ``export_session`` refuses (ExportExistsError naming the files) unless
``overwrite`` is set.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from drivers.errors import GaitdeckError
from drivers.imports.pod_csv import POD_FILE_NAMES, write_pod_folder
from drivers.types import Placement, SampleBlock
from processing.analysis import AnalysisResult
from processing.export import STEPS_FILE, STRIDES_FILE, SUMMARY_FILE, write_analysis
from processing.exports.c3d import write_c3d
from processing.exports.html_summary import write_html_summary

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


def planned_files(
    out_dir: Path, kinds: Collection[ExportKind], placements: Collection[Placement]
) -> list[Path]:
    """The files exporting ``kinds`` for pods at ``placements`` writes into ``out_dir``."""
    files: list[Path] = []
    if ExportKind.TABLES in kinds:
        files += [out_dir / STEPS_FILE, out_dir / STRIDES_FILE, out_dir / SUMMARY_FILE]
    if ExportKind.SAMPLES in kinds:
        files += [out_dir / SAMPLES_DIR / POD_FILE_NAMES[p] for p in Placement if p in placements]
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
) -> list[Path]:
    """Write ``kinds`` of ``blocks``/``result`` into ``out_dir``; returns the files written.
    ``files`` names each pod's source (for the warnings in summary.json and the page);
    ``progress`` gets the fraction of the kinds done."""
    planned = planned_files(out_dir, kinds, blocks.keys())
    existing = [p for p in planned if p.exists()]
    if existing and not overwrite:
        raise ExportExistsError(existing)
    out_dir.mkdir(parents=True, exist_ok=True)
    ordered = [k for k in ExportKind if k in kinds]
    for done, kind in enumerate(ordered, start=1):
        _write(kind, out_dir, blocks, result, files or {})
        if progress is not None:
            progress(done / len(ordered))
    return planned


def _write(
    kind: ExportKind,
    out_dir: Path,
    blocks: Mapping[Placement, SampleBlock],
    result: AnalysisResult,
    files: Mapping[Placement, str],
) -> None:
    if kind is ExportKind.TABLES:
        write_analysis(out_dir, blocks, result, files)
    elif kind is ExportKind.SAMPLES:
        write_pod_folder(out_dir / SAMPLES_DIR, blocks)
    elif kind is ExportKind.C3D:
        write_c3d(out_dir / C3D_FILE, blocks, result)
    else:
        write_html_summary(out_dir / HTML_FILE, blocks, result, files=files)
