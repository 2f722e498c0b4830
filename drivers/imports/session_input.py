"""One way in for offline commands: a recording file, a pod CSV folder or a MetaBase export.

``load_session`` reads any of them into one sample block per placement, with a short
description of where each came from (for summaries and exports).

A recording's times are given in seconds from the recording's zero (``Recording.start_s``,
when recording started), not on the session clock its records are stamped with: samples,
markers and the starting calibration alike, so analysis, exports and the report share one
time base with ``gaitdeck info``. ``started`` is the wall time of that zero.

A pod CSV folder with a ``session.json`` (``drivers.imports.session_file``, what ``export
--format samples`` writes) is read in the same time base: its samples and calibration are
moved to its ``time_zero_s``, and its start, runner, notes, markers and events are the
recording's. ``write_import`` writes a loaded folder as a recording that keeps them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.errors import GaitdeckError
from drivers.imports.metabase import find_devices, is_metabase_folder, read_metabase_folder
from drivers.imports.pod_csv import pod_files, read_calibration, read_pod_folder
from drivers.imports.session_file import FolderSession, read_session_file
from drivers.recording.convert import write_samples_recording
from drivers.recording.reader import Recording
from drivers.recording.records import CALIBRATION_EVENT
from drivers.replay.blocks import recording_blocks
from drivers.types import Placement, SampleBlock

ProgressFn = Callable[[float], None]


@dataclass
class LoadedSession:
    """Samples per placement; ``files``: placement → where they came from; ``kind``:
    "recording", "pod-csv" or "metabase"; ``markers`` from a recording; ``calibration``:
    the starting calibration event of a recording (or a pod CSV folder's calibration.json),
    if any (JSON object, see ``processing.calibration_state.recorded_calibration``);
    ``started``: the UTC wall time of t = 0, when known; ``timed``: t = 0 is the start of
    a recording (a recording, or a folder with session.json), not an arbitrary origin;
    ``events``: a recording's events other than the starting calibration (t from its
    start)."""

    blocks: dict[Placement, SampleBlock]
    files: dict[Placement, str]
    kind: str
    markers: list[tuple[float, str]] = field(default_factory=list)
    addresses: dict[Placement, str] = field(default_factory=dict)
    calibration: dict[str, Any] | None = None
    started: datetime.datetime | None = None
    runner_id: str = ""
    notes: str = ""
    events: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    timed: bool = False


def parse_mapping(items: list[str]) -> dict[str, Placement]:
    """``["C8F0A1B2C3D4=left_shoe", …]`` → {"C8:F0:A1:B2:C3:D4": Placement.LEFT_SHOE}."""
    mapping: dict[str, Placement] = {}
    for item in items:
        address, sep, placement = item.partition("=")
        mac = address.replace(":", "").replace("-", "").upper()
        if not sep or len(mac) != 12:
            raise GaitdeckError(f"--map {item!r}: expected ADDRESS=PLACEMENT")
        try:
            where = Placement(placement.strip().lower())
        except ValueError:
            names = ", ".join(p.value for p in Placement)
            raise GaitdeckError(f"--map {item!r}: placement must be one of {names}") from None
        mapping[":".join(mac[i : i + 2] for i in range(0, 12, 2))] = where
    return mapping


def load_session(
    path: Path, mapping: Mapping[str, Placement] | None = None, progress: ProgressFn | None = None
) -> LoadedSession:
    """Read ``path``; raises GaitdeckError (one line) when it cannot be read."""
    if not path.exists():
        raise GaitdeckError(f"{path}: no such file or folder")
    if path.is_file():
        with Recording(path) as recording:
            return _recording_session(recording, progress)
    if is_metabase_folder(path) and not pod_files(path):
        addresses = {d.address for d in find_devices(path)}
        blocks = read_metabase_folder(path, mapping or {})
        where = {p: a for a, p in (mapping or {}).items() if a in addresses}
        return LoadedSession(blocks, {p: f"MetaBase {a}" for p, a in where.items()}, "metabase",
                             addresses=where)  # fmt: skip
    return _pod_csv_session(path)


def imported_events(loaded: LoadedSession) -> list[tuple[str, dict[str, Any]]]:
    """The events an import writes before its samples: the calibration it started from."""
    if loaded.calibration is None:
        return []
    data = {k: v for k, v in loaded.calibration.items() if k not in ("type", "t_s", "kind")}
    return [(CALIBRATION_EVENT, data)]


def write_import(
    path: Path,
    loaded: LoadedSession,
    *,
    runner_id: str | None = None,
    notes: str | None = None,
    progress: ProgressFn | None = None,
) -> Path:
    """Write a loaded folder as a sample-level recording at ``path`` (never overwrites): with
    its calibration, and when ``timed`` its start, markers and events at the same seconds
    from the start; ``runner_id``/``notes`` replace the folder's when given."""
    return write_samples_recording(
        path, loaded.blocks, sources=loaded.files, addresses=loaded.addresses,
        markers=loaded.markers,
        runner_id=loaded.runner_id if runner_id is None else runner_id,
        notes=loaded.notes if notes is None else notes,
        progress=progress, events=imported_events(loaded), later_events=loaded.events,
        zero_s=0.0 if loaded.timed else None, started=loaded.started,
    )  # fmt: skip


def folder_session(loaded: LoadedSession) -> FolderSession:
    """The session.json of a loaded session's samples (times from its start)."""
    return FolderSession(loaded.started, 0.0, loaded.runner_id, loaded.notes,
                         list(loaded.markers), list(loaded.events))  # fmt: skip


def _pod_csv_session(path: Path) -> LoadedSession:
    """A pod CSV folder, moved to its session.json's time zero when it has one."""
    blocks = read_pod_folder(path)
    files = {p: f.name for p, f in pod_files(path).items()}
    session = read_session_file(path)
    if session is None:
        return LoadedSession(blocks, files, "pod-csv", calibration=read_calibration(path))
    zero = session.time_zero_s
    return LoadedSession(
        {p: shifted(b, zero) for p, b in blocks.items()}, files, "pod-csv",
        list(session.markers), calibration=shifted_calibration(read_calibration(path), zero),
        started=session.started, runner_id=session.runner_id, notes=session.notes,
        events=list(session.events), timed=True,
    )  # fmt: skip


def _recording_session(recording: Recording, progress: ProgressFn | None) -> LoadedSession:
    """A recording's samples, markers and starting calibration, in recording time."""
    zero = recording.start_s
    blocks = {p: shifted(b, zero) for p, b in recording_blocks(recording, progress).items()}
    header = recording.header
    starting = recording.starting_event(CALIBRATION_EVENT)
    return LoadedSession(
        blocks, {p.placement: f"{p.pod_id} ({p.model})" for p in header.pods}, "recording",
        [(t - zero, text) for t, text in recording.markers()],
        {p.placement: p.address for p in header.pods},
        shifted_calibration(starting, zero), recording.started, header.runner_id,
        header.notes, _later_events(recording.events(), starting, zero), timed=True,
    )  # fmt: skip


def _later_events(
    events: list[tuple[float, dict[str, Any]]], starting: dict[str, Any] | None, zero_s: float
) -> list[tuple[float, dict[str, Any]]]:
    """Every event but the starting calibration (which travels on its own), from ``zero_s``."""
    later = []
    for t_s, event in events:
        if starting is not None and event == starting:
            starting = None  # only its first copy
            continue
        if isinstance(event, dict):
            later.append((t_s - zero_s, event))
    return later


def shifted(block: SampleBlock, zero_s: float) -> SampleBlock:
    """``block`` with ``zero_s`` as its time zero."""
    return SampleBlock(block.t_s - zero_s, block.acc_g, block.gyro_dps) if zero_s else block


def shifted_calibration(event: dict[str, Any] | None, zero_s: float) -> dict[str, Any] | None:
    """A calibration event with each pod's ``calibrated_at_s`` moved to ``zero_s`` as time
    zero (anything unreadable is left for ``recorded_calibration`` to judge)."""
    pods = event.get("pods") if event is not None else None
    if event is None or not isinstance(pods, dict) or not zero_s:
        return event
    moved = {}
    for name, pod in pods.items():
        at = pod.get("calibrated_at_s") if isinstance(pod, dict) else None
        if isinstance(at, int | float) and not isinstance(at, bool):
            moved[name] = {**pod, "calibrated_at_s": at - zero_s}
        else:
            moved[name] = pod
    return {**event, "pods": moved}
