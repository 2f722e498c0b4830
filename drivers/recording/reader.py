"""``Recording``: opens a recording, indexes its records, salvages what a crash left.

Opening reads the preamble and header, then walks the record heads once (memory-mapped) to
build an index of kind, time, offset and length; bodies are read only when asked for. A
file that ends mid-record, or whose next record fails its CRC, is *salvaged*: everything
before that point is kept and ``problem`` says where it stopped and why.
"""

from __future__ import annotations

import datetime
import json
import mmap
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from drivers.recording.header import RecordingHeader
from drivers.recording.records import (
    FORMAT_VERSION,
    MAGIC,
    MAX_BODY_BYTES,
    PREAMBLE,
    RECORD_HEAD,
    RawBatch,
    RecordingError,
    RecordKind,
    decode_raw,
    decode_samples,
)
from drivers.types import SampleBlock

KNOWN_KINDS = frozenset(int(k) for k in RecordKind)


@dataclass(frozen=True)
class RecordIndex:
    """One row per record, in file order."""

    kind: NDArray[np.uint8]
    t_ns: NDArray[np.int64]
    offset: NDArray[np.int64]  # of the body
    length: NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.kind.shape[0])


class Recording:
    """A recording opened for reading. Use as a context manager, or call ``close``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._file = open(self.path, "rb")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise RecordingError(f"cannot open {self.path}: {exc.strerror or exc}") from exc
        try:
            self._map = _map(self._file, self.path)
            self.version, self.header, start = self._read_header()
            self.index, self.problem, self.end_summary = self._scan(start)
            self._pods: NDArray[np.int64] | None = None
        except Exception:
            self._file.close()
            raise

    @property
    def clean(self) -> bool:
        """Closed properly by the writer (an END record, nothing damaged)."""
        return self.end_summary is not None and self.problem is None

    @property
    def start_s(self) -> float:
        """The recording's zero on the session clock: the header's ``start_s``, or in files
        written before it was kept the first record's time (0 for a file without records).
        People see times as seconds from here (``gaitdeck info``, the report, exports)."""
        if self.header.start_s is not None:
            return float(self.header.start_s)
        return int(self.index.t_ns.min()) / 1e9 if len(self.index) else 0.0

    @property
    def started(self) -> datetime.datetime | None:
        """The UTC wall time of the recording's zero (None if the header has no readable
        ``started_utc``)."""
        return self.header.wall_time(self.start_s)

    def body(self, i: int) -> bytes:
        a = int(self.index.offset[i])
        return bytes(self._map[a : a + int(self.index.length[i])])

    def rows(
        self, kinds: frozenset[RecordKind] | None = None, start_ns: int | None = None
    ) -> Iterator[int]:
        """Indices of records of ``kinds`` (all if None) from the first at or after
        ``start_ns`` on, in file order."""
        first = 0 if start_ns is None else self.first_row_at(start_ns)
        for i in range(first, len(self.index)):
            if kinds is None or int(self.index.kind[i]) in kinds:
                yield i

    def first_row_at(self, start_ns: int) -> int:
        """The first record whose time is at or after ``start_ns``, allowing for records
        written slightly out of time order (one flush batches several)."""
        later = np.flatnonzero(self.index.t_ns >= start_ns)
        return int(later[0]) if later.size else len(self.index)

    def pod_rows(self, pod: int) -> NDArray[np.int64]:
        """Rows of the RAW and SAMPLES records of pod index ``pod``, in file order (both
        bodies start with the pod index)."""
        if self._pods is None:
            items = np.isin(self.index.kind, (RecordKind.RAW, RecordKind.SAMPLES))
            data = np.frombuffer(self._map, dtype=np.uint8)
            pods = np.full(len(self.index), -1, dtype=np.int64)
            pods[items] = data[self.index.offset[items]]
            del data  # a view of the map must not outlive it
            self._pods = pods
        return np.flatnonzero(self._pods == pod)

    def raw_batch(self, i: int) -> RawBatch:
        return decode_raw(self.body(i))

    def samples(self, i: int) -> tuple[int, SampleBlock]:
        return decode_samples(self.body(i))

    def markers(self) -> list[tuple[float, str]]:
        return [(int(self.index.t_ns[i]) * 1e-9, self.body(i).decode("utf-8", "replace"))
                for i in self.rows(frozenset({RecordKind.MARKER}))]  # fmt: skip

    def events(self) -> list[tuple[float, dict[str, Any]]]:
        out = []
        for i in self.rows(frozenset({RecordKind.EVENT})):
            try:
                out.append((int(self.index.t_ns[i]) * 1e-9, json.loads(self.body(i))))
            except ValueError:
                continue  # a damaged event loses itself only
        return out

    def starting_event(self, kind: str) -> dict[str, Any] | None:
        """The first event of type ``kind`` written before any pod data (RAW or SAMPLES
        record): what held when recording started, e.g. the live calibration."""
        data = np.flatnonzero(np.isin(self.index.kind, (RecordKind.RAW, RecordKind.SAMPLES)))
        before = int(data[0]) if data.size else len(self.index)
        for i in np.flatnonzero(self.index.kind[:before] == RecordKind.EVENT).tolist():
            try:
                event = json.loads(self.body(i))
            except ValueError:
                continue
            if isinstance(event, dict) and event.get("type") == kind:
                return event
        return None

    def close(self) -> None:
        self._map.close()
        self._file.close()

    def __enter__(self) -> Recording:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _read_header(self) -> tuple[int, RecordingHeader, int]:
        m = self._map
        version, end = _header_span(bytes(m[: PREAMBLE.size]), len(m), self.path)
        return version, RecordingHeader.from_json(bytes(m[PREAMBLE.size : end])), end

    def _scan(self, at: int) -> tuple[RecordIndex, str | None, dict[str, Any] | None]:
        m, size = self._map, len(self._map)
        rows: list[tuple[int, int, int, int]] = []
        problem: str | None = None
        end_summary: dict[str, Any] | None = None
        while at < size:
            if size - at < RECORD_HEAD.size:
                problem = f"cut short at byte {at} (partial record head)"
                break
            kind, length, crc, t_ns = RECORD_HEAD.unpack_from(m, at)
            body_at = at + RECORD_HEAD.size
            if kind not in KNOWN_KINDS or length > MAX_BODY_BYTES:
                problem = f"damaged record at byte {at}"
                break
            if body_at + length > size:
                problem = f"cut short at byte {at} (partial record)"
                break
            if zlib.crc32(m[body_at : body_at + length]) != crc:
                problem = f"damaged record at byte {at} (checksum mismatch)"
                break
            if kind == RecordKind.END:
                end_summary = _json_or_empty(bytes(m[body_at : body_at + length]))
            else:
                rows.append((kind, t_ns, body_at, length))
            at = body_at + length
        table = np.array(rows, dtype=np.int64).reshape(-1, 4)
        index = RecordIndex(table[:, 0].astype(np.uint8), table[:, 1], table[:, 2], table[:, 3])
        return index, problem, end_summary


def read_header(path: Path) -> RecordingHeader:
    """The header of the recording at ``path`` alone, without reading its records (cheap
    for many files); raises RecordingError as ``Recording`` does."""
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            _, end = _header_span(file.read(PREAMBLE.size), size, path)
            return RecordingHeader.from_json(file.read(end - PREAMBLE.size))
    except OSError as exc:
        raise RecordingError(f"cannot open {path}: {exc.strerror or exc}") from exc


def _header_span(preamble: bytes, size: int, path: Path) -> tuple[int, int]:
    """The format version and where the header ends, from the file's first bytes."""
    if len(preamble) < PREAMBLE.size or preamble[: len(MAGIC)] != MAGIC:
        raise RecordingError(f"{path} is not a gaitdeck recording")
    _, version, length = PREAMBLE.unpack_from(preamble)
    if version > FORMAT_VERSION:
        raise RecordingError(
            f"{path} uses recording format v{version}; this gaitdeck reads up to "
            f"v{FORMAT_VERSION} (update gaitdeck)"
        )
    end = PREAMBLE.size + length
    if end > size:
        raise RecordingError(f"{path} is cut short inside its header; nothing to salvage")
    return version, end


def _map(file: Any, path: Path) -> mmap.mmap:
    try:
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except ValueError as exc:  # an empty file cannot be mapped
        raise RecordingError(f"{path} is empty") from exc


def _json_or_empty(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
