"""Sample-level recordings from imported sessions (pod CSV folders, MetaBase exports).

An import has no payloads to keep, so its pods are stored as decoded samples (``kind``
"samples"), one SAMPLES record per second per pod; replay then plays those samples.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from drivers.recording.header import PodEntry, RecordingHeader
from drivers.recording.session_recorder import app_version
from drivers.recording.writer import RecordingWriter
from drivers.types import Placement, PodInfo, SampleBlock

RECORD_S = 1.0
IMPORTED_MODEL = "imported samples"


def nominal_rate_hz(block: SampleBlock) -> float:
    dt = np.diff(block.t_s)
    dt = dt[np.isfinite(dt) & (dt > 0)]
    return float(round(1.0 / np.median(dt), 3)) if dt.size else 100.0


def write_samples_recording(
    path: Path,
    blocks: Mapping[Placement, SampleBlock],
    *,
    sources: Mapping[Placement, str] | None = None,
    addresses: Mapping[Placement, str] | None = None,
    markers: list[tuple[float, str]] | None = None,
    runner_id: str = "",
    notes: str = "",
    progress: Callable[[float], None] | None = None,
    events: Sequence[tuple[str, Mapping[str, Any]]] = (),
    later_events: Sequence[tuple[float, Mapping[str, Any]]] = (),
    zero_s: float | None = None,
    started: datetime.datetime | None = None,
) -> Path:
    """Write ``blocks`` as a sample-level recording at ``path`` (never overwrites). Its zero
    (``start_s``) is ``zero_s`` on the blocks' clock, by default the first sample; its wall
    time is ``started`` (default: now; unknown when ``zero_s`` is given without it).
    ``events`` (kind, data), e.g. a ``calibration``, are written at the zero before any
    samples: what held when the session started; ``markers`` and ``later_events`` (time,
    event object with its ``type``) at their times, after the samples."""
    pods = tuple(
        PodEntry.from_info(
            PodInfo(f"imported-{p.value}", p, (sources or {}).get(p, IMPORTED_MODEL),
                    (addresses or {}).get(p, ""), nominal_rate_hz(b)),
            "", kind="samples",
        )
        for p, b in blocks.items()
    )  # fmt: skip
    start_s = first_sample_s(blocks) if zero_s is None else zero_s
    header = RecordingHeader(pods, _clock_zero_utc(started, start_s, zero_s is None),
                             app_version(), runner_id, notes, {"imported": True},
                             start_s=start_s)  # fmt: skip
    with RecordingWriter(path, header, flush_interval_s=3600.0) as writer:
        for kind, data in events:
            writer.event(start_s, kind, **data)
        for i, block in enumerate(blocks.values()):
            _write_pod(writer, i, block)
            writer.flush()
            if progress is not None:
                progress((i + 1) / len(blocks))
        for t_s, text in markers or []:
            writer.marker(t_s, text)
        for t_s, event in later_events:
            writer.event(t_s, str(event["type"]), **{k: v for k, v in event.items()
                                                    if k != "type"})  # fmt: skip
    return path


def _clock_zero_utc(started: datetime.datetime | None, start_s: float, now: bool) -> str:
    """The header's ``started_utc``: the wall time of the clock's zero, ``start_s`` before
    the recording's start ``started``; when that is not known, now (``now``: a folder
    without a start, as imports always did) or "" (unknown)."""
    if started is None:
        return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds") if now else ""
    zero = started - datetime.timedelta(seconds=start_s)
    return zero.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def first_sample_s(blocks: Mapping[Placement, SampleBlock]) -> float:
    """The earliest finite sample time of ``blocks`` (0 without samples)."""
    firsts = [float(np.nanmin(b.t_s)) for b in blocks.values() if np.isfinite(b.t_s).any()]
    return min(firsts, default=0.0)


def _write_pod(writer: RecordingWriter, pod: int, block: SampleBlock) -> None:
    if len(block) == 0:
        return
    t = block.t_s
    edges = np.searchsorted(t, np.arange(t[0], t[-1] + RECORD_S, RECORD_S), side="left")
    bounds = [*edges.tolist(), len(block)]
    for a, b in itertools.pairwise(bounds):
        if b > a:
            writer.samples(pod, block.slice(a, b))
