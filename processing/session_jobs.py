"""Long file jobs the app runs on a worker thread: import into a recording, export a session.

Each job takes a ``JobControl``: the job reports progress through it, and every report
raises ``Cancelled`` once ``cancel()`` was called (from any thread), so a cancel stops the
work at the next report. A cancelled or failed job leaves no output behind: an import
writes a temporary file renamed only when complete; an export writes into a staging folder
inside the output folder and moves the files into place only when all are written.
No Qt here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from drivers.errors import GaitdeckError
from drivers.imports.session_input import load_session, write_import
from drivers.types import Placement
from processing.exports.session import (
    ExportExistsError,
    ExportKind,
    export_session,
    planned_files,
    session_facts,
)
from processing.session_analysis import analyze_loaded

PARTIAL_SUFFIX = ".partial"
STAGING_PREFIX = ".gaitdeck-export-"


class Cancelled(Exception):
    """The user cancelled the job."""


class JobControl:
    """Progress out, cancel in. ``on_progress`` gets the overall fraction 0..1."""

    def __init__(self, on_progress: Callable[[float], None] | None = None) -> None:
        self.on_progress = on_progress
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if a cancel was asked for."""
        if self._cancelled.is_set():
            raise Cancelled()

    def report(self, fraction: float) -> None:
        self.check()
        if self.on_progress is not None:
            self.on_progress(min(max(fraction, 0.0), 1.0))

    def phase(self, start: float, end: float) -> Callable[[float], None]:
        """A progress function for one phase, mapping its 0..1 onto [start, end]."""
        return lambda fraction: self.report(start + (end - start) * fraction)


def import_recording(
    folder: Path,
    out: Path,
    control: JobControl,
    mapping: Mapping[str, Placement] | None = None,
) -> Path:
    """Read a pod CSV folder or MetaBase export and write it as a recording at ``out``
    (never overwriting; with the folder's calibration.json and session.json); returns
    ``out``. Raises GaitdeckError, Cancelled."""
    if out.exists():
        raise GaitdeckError(f"{out} already exists; not overwriting it")
    control.report(0.0)
    loaded = load_session(folder, mapping)
    if loaded.kind == "recording":
        raise GaitdeckError(f"{folder} is already a recording")
    control.report(0.5)
    partial = out.with_name(out.name + PARTIAL_SUFFIX)
    try:
        write_import(partial, loaded, progress=control.phase(0.5, 0.95))
        control.report(1.0)
        if out.exists():
            raise GaitdeckError(f"{out} appeared meanwhile; not overwriting it")
        partial.rename(out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def export_files(
    source: Path,
    out_dir: Path,
    kinds: Collection[ExportKind],
    control: JobControl,
    *,
    overwrite: bool = False,
) -> list[Path]:
    """Analyse ``source`` (recording, pod CSV folder) and export ``kinds`` into ``out_dir``;
    returns the files written. Raises ExportExistsError unless ``overwrite``, Cancelled."""
    control.report(0.0)
    loaded = load_session(source, progress=control.phase(0.0, 0.3))
    result = analyze_loaded(loaded, progress=control.phase(0.3, 0.8))
    facts = session_facts(loaded)
    planned = planned_files(out_dir, kinds, loaded.blocks.keys(), facts.calibration is not None,
                            facts.session is not None)  # fmt: skip
    existing = [p for p in planned if p.exists()]
    if existing and not overwrite:  # refuse before writing anything
        raise ExportExistsError(existing)
    created_dir = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        staged = export_session(
            staging, loaded.blocks, result, kinds=kinds, files=loaded.files,
            progress=control.phase(0.8, 0.99), facts=facts,
        )  # fmt: skip
        control.report(1.0)  # the last moment a cancel still leaves nothing behind
        for path in staged:
            target = out_dir / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created_dir:
            _remove_if_empty(out_dir)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return planned


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()
