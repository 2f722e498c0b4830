"""The byte layout of a gaitdeck recording: preamble, header, and framed records.

A file is::

    preamble   b"GDREC" + format version (u16) + header length (u32)
    header     UTF-8 JSON (``drivers.recording.header``)
    records    one after another, each: kind (u8), body length (u32), CRC-32 of the body
               (u32), time of its first item in ns on the session clock (i64), then the body

All integers little-endian. A record is only ever appended whole and never rewritten, so a
file cut short by a crash ends in at most one partial record, which the reader drops. The
CRC tells a torn or corrupted record from a valid one.

Record bodies, by kind:

* ``RAW``: what one pod's characteristic sent, several notifications batched: pod index
  (u8), channel (u8), count n (u32), arrival times (n × i64 ns), payload lengths (n × u32),
  then the payloads back to back.
* ``SAMPLES``: decoded samples of a sample-level pod (CSV import, sample-level simulator):
  pod index (u8), count n (u32), then t_s (n × f64), acc_g (n × 3 f64), gyro_dps (n × 3 f64).
* ``MARKER``: a user annotation: UTF-8 text (the record's time is the marker's).
* ``EVENT``: a session event (calibration, pod lost/back, settings change): UTF-8 JSON
  object with at least ``"type"``. A ``"calibration"`` event (``CALIBRATION_EVENT``) holds
  the live pipeline's calibration (``processing.calibration_state``); one written before
  any pod data is what the recording started from.
* ``END``: the file was closed cleanly: UTF-8 JSON summary.
"""

from __future__ import annotations

import enum
import struct
import zlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from drivers.errors import GaitdeckError
from drivers.types import SampleBlock

MAGIC = b"GDREC"
FORMAT_VERSION = 1
PREAMBLE = struct.Struct("<5sHI")
RECORD_HEAD = struct.Struct("<BIIq")
RAW_HEAD = struct.Struct("<BBI")
SAMPLES_HEAD = struct.Struct("<BI")
MAX_BODY_BYTES = 64 * 1024 * 1024  # larger is corruption, not data
CALIBRATION_EVENT = "calibration"


class RecordingError(GaitdeckError):
    """A recording that cannot be read; the message says what and where."""


class RecordKind(enum.IntEnum):
    RAW = 1
    SAMPLES = 2
    MARKER = 3
    EVENT = 4
    END = 127


@dataclass(frozen=True)
class RawBatch:
    """Notifications of one pod characteristic, in arrival order."""

    pod: int
    channel: int
    t_ns: NDArray[np.int64]
    payloads: list[bytes]

    def __len__(self) -> int:
        return len(self.payloads)


def frame(kind: RecordKind, t_ns: int, body: bytes) -> bytes:
    """One whole record, ready to append."""
    return RECORD_HEAD.pack(kind, len(body), zlib.crc32(body), t_ns) + body


def encode_raw(batch: RawBatch) -> bytes:
    lengths = np.fromiter((len(p) for p in batch.payloads), dtype="<u4", count=len(batch))
    return b"".join([
        RAW_HEAD.pack(batch.pod, batch.channel, len(batch)),
        np.asarray(batch.t_ns, dtype="<i8").tobytes(),
        lengths.tobytes(),
        *batch.payloads,
    ])  # fmt: skip


def decode_raw(body: bytes) -> RawBatch:
    pod, channel, n = RAW_HEAD.unpack_from(body)
    at = RAW_HEAD.size
    t_ns = np.frombuffer(body, dtype="<i8", count=n, offset=at).astype(np.int64)
    lengths = np.frombuffer(body, dtype="<u4", count=n, offset=at + 8 * n)
    ends = at + 12 * n + np.cumsum(lengths, dtype=np.int64)
    if n and int(ends[-1]) != len(body):
        raise RecordingError("raw record lengths do not add up")
    starts = np.concatenate([[at + 12 * n], ends[:-1]]).tolist()
    payloads = [body[a:b] for a, b in zip(starts, ends.tolist(), strict=True)]
    return RawBatch(pod, channel, t_ns, payloads)


def encode_samples(pod: int, block: SampleBlock) -> bytes:
    return b"".join([
        SAMPLES_HEAD.pack(pod, len(block)),
        np.ascontiguousarray(block.t_s, dtype="<f8").tobytes(),
        np.ascontiguousarray(block.acc_g, dtype="<f8").tobytes(),
        np.ascontiguousarray(block.gyro_dps, dtype="<f8").tobytes(),
    ])  # fmt: skip


def decode_samples(body: bytes) -> tuple[int, SampleBlock]:
    pod, n = SAMPLES_HEAD.unpack_from(body)
    if len(body) != SAMPLES_HEAD.size + 56 * n:
        raise RecordingError("samples record has the wrong length")
    values = np.frombuffer(body, dtype="<f8", offset=SAMPLES_HEAD.size).astype(np.float64)
    t_s, acc, gyro = values[:n], values[n : 4 * n], values[4 * n :]
    return pod, SampleBlock(t_s, acc.reshape(n, 3), gyro.reshape(n, 3))
