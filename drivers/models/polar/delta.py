"""Polar PMD delta-compressed payloads (frame-type bit 7 set).

Layout of the payload after the 10-byte frame header::

    reference sample   channels × ceil(resolution/8) bytes, each channel a little-endian
                       signed integer of ``resolution`` bits
    block, repeated    delta_bits (u8), count (u8),
                       ceil(delta_bits × count × channels / 8) bytes of packed deltas

Deltas are read LSB-first within each byte, bytes in order; each delta is ``delta_bits``
wide (its own bits LSB-first), channel-interleaved (ch0, ch1, ch2 of one sample, then the
next sample). A delta is sign-extended and added to the previous sample's channel. The
output is the reference sample followed by every reconstructed sample. With a 32-bit
resolution the sums wrap at 32 bits, as the SDK's Kotlin ``Int`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from drivers.errors import DecodeError

IntArray = NDArray[np.int64]
MAX_DELTA_BITS = 32


@dataclass(frozen=True)
class DeltaBlock:
    """One block header: ``count`` samples of ``bits``-wide deltas per channel."""

    bits: int
    count: int


@dataclass(frozen=True)
class DeltaPayload:
    """The reconstructed integer samples, oldest first, and the block structure."""

    raw: IntArray  # (n, channels)
    blocks: tuple[DeltaBlock, ...]


def signed_le(data: bytes, width_bytes: int, value_bits: int | None = None) -> IntArray:
    """Little-endian signed integers of ``width_bytes`` each, sign-extended from ``value_bits``."""
    bits = 8 * width_bytes if value_bits is None else value_bits
    octets = np.frombuffer(data, dtype=np.uint8).reshape(-1, width_bytes).astype(np.int64)
    values = octets @ (np.int64(1) << (8 * np.arange(width_bytes, dtype=np.int64)))
    values &= (np.int64(1) << bits) - 1
    return np.asarray(values - ((values >> (bits - 1)) << bits), dtype=np.int64)


def decode_delta_payload(payload: bytes, channels: int, resolution_bits: int) -> DeltaPayload:
    """Decompress one payload into (n, channels) integers; DecodeError if malformed."""
    ref_bytes = channels * -(-resolution_bits // 8)
    if len(payload) < ref_bytes:
        raise DecodeError(f"PMD delta frame shorter than its reference sample ({len(payload)} B)")
    parts = [signed_le(payload[:ref_bytes], ref_bytes // channels, resolution_bits)[None, :]]
    blocks: list[DeltaBlock] = []
    offset = ref_bytes
    while offset < len(payload):
        block, deltas, offset = _read_block(payload, offset, channels)
        blocks.append(block)
        parts.append(deltas)
    raw = np.cumsum(np.concatenate(parts), axis=0)
    if resolution_bits >= 32:
        raw = raw.astype(np.uint32).astype(np.int32).astype(np.int64)
    return DeltaPayload(raw, tuple(blocks))


def scan_blocks(payload: bytes, channels: int, resolution_bits: int) -> list[DeltaBlock]:
    """Block headers up to the first incomplete block (for truncated captures)."""
    offset = channels * -(-resolution_bits // 8)
    blocks: list[DeltaBlock] = []
    while offset + 2 <= len(payload):
        block = DeltaBlock(payload[offset], payload[offset + 1])
        blocks.append(block)
        offset += 2 + _packed_bytes(block, channels)
    return blocks


def _packed_bytes(block: DeltaBlock, channels: int) -> int:
    return -(-(block.bits * block.count * channels) // 8)


def _read_block(payload: bytes, offset: int, channels: int) -> tuple[DeltaBlock, IntArray, int]:
    if offset + 2 > len(payload):
        raise DecodeError(f"PMD delta block header cut at byte {offset}")
    block = DeltaBlock(payload[offset], payload[offset + 1])
    if block.count and not 0 < block.bits <= MAX_DELTA_BITS:
        raise DecodeError(f"PMD delta block of {block.bits}-bit deltas at byte {offset}")
    start, end = offset + 2, offset + 2 + _packed_bytes(block, channels)
    if end > len(payload):
        raise DecodeError(
            f"PMD delta block ({block.bits} bit × {block.count}) needs {end - start} B, "
            f"{len(payload) - start} B left"
        )
    deltas = unpack_deltas(payload[start:end], block.bits, block.count * channels)
    return block, deltas.reshape(block.count, channels), end


def unpack_deltas(data: bytes, bits: int, n: int) -> IntArray:
    """``n`` signed ``bits``-wide integers packed LSB-first."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    stream = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")
    fields = stream[: n * bits].reshape(n, bits).astype(np.int64)
    values = fields @ (np.int64(1) << np.arange(bits, dtype=np.int64))
    return np.asarray(values - ((values >> (bits - 1)) << bits), dtype=np.int64)
