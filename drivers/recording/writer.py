"""``RecordingWriter``: appends what a live session receives to a crash-safe recording.

Calls come from any thread (pods on the I/O thread, markers from the GUI). They only queue;
a flusher thread writes the queue every ``flush_interval_s`` as whole records and hands them
to the operating system, so a killed app loses at most that interval (plus what the OS had
not yet written if the machine itself goes down; ``fsync_interval_s`` bounds that).
``close`` writes the rest and an END record: a file without one was not closed cleanly.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from drivers.recording.header import RecordingHeader
from drivers.recording.records import (
    FORMAT_VERSION,
    MAGIC,
    PREAMBLE,
    RawBatch,
    RecordingError,
    RecordKind,
    encode_raw,
    encode_samples,
    frame,
)
from drivers.types import SampleBlock


class RecordingWriter:
    """Writes ``header`` to a new file at ``path`` (never overwrites) and records into it."""

    def __init__(
        self,
        path: Path,
        header: RecordingHeader,
        *,
        flush_interval_s: float = 0.25,
        fsync_interval_s: float = 5.0,
    ) -> None:
        self.path = Path(path)
        self.header = header
        self.flush_interval_s = flush_interval_s
        self.fsync_every = max(1, round(fsync_interval_s / flush_interval_s))
        self._file = _create(self.path)
        body = header.to_json()
        self._file.write(PREAMBLE.pack(MAGIC, FORMAT_VERSION, len(body)) + body)
        self._file.flush()
        self._lock = threading.Lock()  # the queue
        self._write_lock = threading.Lock()  # the file
        self._raw: dict[tuple[int, int], tuple[list[int], list[bytes]]] = {}
        self._pending: list[bytes] = []
        self.counts = {"notifications": 0, "samples": 0, "markers": 0, "events": 0}
        self.last_t_ns = 0
        self._closed = threading.Event()
        self._flusher = threading.Thread(target=self._flush_loop, name="recorder", daemon=True)
        self._flusher.start()

    def raw(self, pod: int, channel: int, t_ns: int, payload: bytes) -> None:
        """One notification as received: pod index, channel, arrival ns (session clock)."""
        with self._lock:
            times, payloads = self._raw.setdefault((pod, channel), ([], []))
            times.append(t_ns)
            payloads.append(bytes(payload))
            self.counts["notifications"] += 1
            self.last_t_ns = max(self.last_t_ns, t_ns)

    def samples(self, pod: int, block: SampleBlock) -> None:
        if len(block) == 0:
            return
        t_ns = round(float(block.t_s[0]) * 1e9)
        record = frame(RecordKind.SAMPLES, t_ns, encode_samples(pod, block))
        with self._lock:
            self._pending.append(record)
            self.counts["samples"] += len(block)
            self.last_t_ns = max(self.last_t_ns, round(float(block.t_s[-1]) * 1e9))

    def marker(self, t_s: float, text: str) -> None:
        record = frame(RecordKind.MARKER, round(t_s * 1e9), text.encode("utf-8"))
        with self._lock:
            self._pending.append(record)
            self.counts["markers"] += 1

    def event(self, t_s: float, kind: str, **data: Any) -> None:
        body = json.dumps({"type": kind, **data}, sort_keys=True).encode("utf-8")
        with self._lock:
            self._pending.append(frame(RecordKind.EVENT, round(t_s * 1e9), body))
            self.counts["events"] += 1

    def flush(self) -> None:
        """Write everything queued as whole records and hand it to the OS (in queue order:
        one flush at a time)."""
        with self._write_lock:
            with self._lock:
                pending, raw = self._pending, self._raw
                self._pending, self._raw = [], {}
            records = pending + [
                frame(
                    RecordKind.RAW, times[0], encode_raw(RawBatch(pod, ch, np.array(times), data))
                )
                for (pod, ch), (times, data) in raw.items()
            ]
            if records and not self._file.closed:
                self._file.write(b"".join(records))
                self._file.flush()

    def close(self) -> None:
        """Flush, write the END record, close. Idempotent."""
        if self._closed.is_set():
            return
        self._closed.set()
        self._flusher.join()
        self.flush()
        summary = json.dumps({**self.counts, "last_t_ns": self.last_t_ns}).encode("utf-8")
        self._file.write(frame(RecordKind.END, self.last_t_ns, summary))
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _flush_loop(self) -> None:
        flushes = 0
        while not self._closed.wait(self.flush_interval_s):
            self.flush()
            flushes += 1
            if flushes % self.fsync_every == 0:
                os.fsync(self._file.fileno())


def _create(path: Path) -> BinaryIO:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "xb")
    except FileExistsError as exc:
        raise RecordingError(f"{path} already exists; not overwriting it") from exc
    except OSError as exc:
        raise RecordingError(f"cannot create {path}: {exc.strerror or exc}") from exc
