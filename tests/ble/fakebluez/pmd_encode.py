"""Builds Polar PMD data frames (the inverse of ``drivers.models.polar.decode``), for fakes.

Uncompressed: header + little-endian int16 x, y, z per sample (frame type 0x01).
Delta-compressed (frame type bit 7): header + int16 reference sample + blocks of
``delta_bits, count, packed deltas`` (LSB-first, channel-interleaved), each block using the
fewest bits its deltas need.
"""

from __future__ import annotations

import struct

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
BLOCK_SAMPLES = 12


def header(measurement: int, timestamp_ns: int, frame_type: int) -> bytes:
    return struct.pack("<BQB", measurement, timestamp_ns, frame_type)


def uncompressed_frame(measurement: int, timestamp_ns: int, raw: IntArray) -> bytes:
    """Frame type 0x01: 3 × int16 per sample."""
    return header(measurement, timestamp_ns, 0x01) + raw.astype("<i2").tobytes()


def delta_frame(measurement: int, timestamp_ns: int, raw: IntArray, frame_type: int) -> bytes:
    """``frame_type`` 0x80 or 0x81 with 16-bit reference and packed deltas."""
    body = [raw[0].astype("<i2").tobytes()]
    deltas = np.diff(raw, axis=0)
    for start in range(0, len(deltas), BLOCK_SAMPLES):
        body.append(delta_block(deltas[start : start + BLOCK_SAMPLES]))
    return header(measurement, timestamp_ns, frame_type) + b"".join(body)


def signed_bits(values: IntArray) -> int:
    """Fewest bits holding every value as a two's-complement integer (at least 1)."""
    widest = max((int(v) if v >= 0 else -int(v) - 1 for v in values.ravel()), default=0)
    return widest.bit_length() + 1


def delta_block(deltas: IntArray) -> bytes:
    bits = signed_bits(deltas)
    flat = deltas.ravel() & ((1 << bits) - 1)
    stream = (flat[:, None] >> np.arange(bits)) & 1
    packed = np.packbits(stream.astype(np.uint8).ravel(), bitorder="little")
    return bytes([bits, len(deltas)]) + packed.tobytes()
