"""Pure decoders for PMD data frames (notifications on the PMD data characteristic).

Frame layout, little-endian::

    0      measurement type (& 0x3F): 2 ACC, 5 GYRO, 6 MAGNETOMETER, ...
    1-8    uint64 device time of the LAST sample, ns since 2000-01-01T00:00:00
    9      frame type: bit 7 = delta-compressed (see ``delta``), bits 0-6 = type number
    10..   payload

Supported payloads and the units they are returned in (``values``, (n, 3)):

    ACC  0x00 / 0x01 / 0x02  3 × int8 / int16 / int24, mG           -> g = raw / 1000
    ACC  0x80                16-bit deltas, G units × factor         -> g = raw × factor
    ACC  0x81                16-bit deltas, mG × factor              -> g = raw × factor / 1000
    GYRO 0x80                16-bit deltas                           -> deg/s = raw × factor
    GYRO 0x81                32-bit deltas on float32 bit patterns   -> deg/s = f32 × factor
                             (a NaN or infinite pattern is a DecodeError)
    MAG  0x80                16-bit deltas                           -> gauss = raw × factor
    MAG  0x81                16-bit deltas, x, y, z mG(auss), status -> gauss = raw × factor / 1000

``factor`` is the FACTOR setting of the start response (1.0 when absent). The SDK
truncates ACC to whole mG; here the values stay unrounded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from drivers.errors import DecodeError
from drivers.models.polar.delta import DeltaBlock, IntArray, decode_delta_payload, signed_le
from drivers.models.polar.profile import MeasurementType
from drivers.types import FloatArray

HEADER_BYTES = 10
COMPRESSED_BIT = 0x80
MAX_INT64 = (1 << 63) - 1
_HEADER = struct.Struct("<BQB")


@dataclass(frozen=True)
class FrameHeader:
    """The 10-byte header every PMD data frame starts with."""

    measurement: int  # a MeasurementType value, masked with 0x3F
    timestamp_ns: int  # device clock of the last sample, ns since 2000-01-01
    frame_type: int  # bits 0-6 of byte 9
    compressed: bool  # bit 7 of byte 9


@dataclass(frozen=True)
class _Layout:
    resolution_bits: int
    channels: int
    scale: float  # physical unit per (raw × factor)
    apply_factor: bool = True
    float_bits: bool = False


@dataclass(frozen=True)
class PmdFrame:
    """One decoded ACC, GYRO or MAG frame, oldest sample first."""

    header: FrameHeader
    raw: IntArray  # (n, channels) integers as on the wire (GYRO 0x81: float32 bit patterns)
    values: FloatArray  # (n, 3) g (ACC), deg/s (GYRO) or gauss (MAG)
    status: IntArray | None = None  # MAG 0x81 calibration status 0 unknown .. 3 good
    delta_blocks: tuple[DeltaBlock, ...] = ()

    @property
    def timestamp_ns(self) -> int:
        return self.header.timestamp_ns

    def __len__(self) -> int:
        return int(self.values.shape[0])


_ACC, _GYRO, _MAG = MeasurementType.ACC, MeasurementType.GYRO, MeasurementType.MAGNETOMETER
_LAYOUTS: dict[tuple[int, int], _Layout] = {
    (_ACC, 0x00): _Layout(8, 3, 1e-3, apply_factor=False),
    (_ACC, 0x01): _Layout(16, 3, 1e-3, apply_factor=False),
    (_ACC, 0x02): _Layout(24, 3, 1e-3, apply_factor=False),
    (_ACC, 0x80): _Layout(16, 3, 1.0),
    (_ACC, 0x81): _Layout(16, 3, 1e-3),
    (_GYRO, 0x80): _Layout(16, 3, 1.0),
    (_GYRO, 0x81): _Layout(32, 3, 1.0, float_bits=True),
    (_MAG, 0x80): _Layout(16, 3, 1.0),
    (_MAG, 0x81): _Layout(16, 4, 1e-3),
}


def parse_header(frame: bytes) -> tuple[FrameHeader, bytes]:
    """Split a data frame into its header and payload."""
    if len(frame) < HEADER_BYTES:
        raise DecodeError(f"PMD frame of {len(frame)} B is shorter than its 10-byte header")
    measurement, timestamp_ns, frame_byte = _HEADER.unpack_from(frame)
    header = FrameHeader(
        measurement & 0x3F, timestamp_ns, frame_byte & 0x7F, bool(frame_byte & COMPRESSED_BIT)
    )
    return header, frame[HEADER_BYTES:]


def decode_data_frame(frame: bytes, factor: float = 1.0) -> PmdFrame:
    """Decode an ACC, GYRO or MAG frame; DecodeError for anything else or anything short."""
    header, payload = parse_header(frame)
    key = (header.measurement, header.frame_type | (COMPRESSED_BIT if header.compressed else 0))
    layout = _LAYOUTS.get(key)
    if layout is None:
        raise DecodeError(f"unsupported PMD frame: measurement {key[0]}, frame type 0x{key[1]:02X}")
    if header.compressed:
        decoded = decode_delta_payload(payload, layout.channels, layout.resolution_bits)
        raw, blocks = decoded.raw, decoded.blocks
    else:
        raw, blocks = _raw_samples(payload, layout), ()
    return PmdFrame(header, raw, *_physical(raw, layout, factor), delta_blocks=blocks)


def _raw_samples(payload: bytes, layout: _Layout) -> IntArray:
    width = layout.resolution_bits // 8
    sample_bytes = width * layout.channels
    if not payload or len(payload) % sample_bytes:
        raise DecodeError(
            f"PMD raw payload of {len(payload)} B is not whole {sample_bytes}-B samples"
        )
    return signed_le(payload, width).reshape(-1, layout.channels)


def _physical(raw: IntArray, layout: _Layout, factor: float) -> tuple[FloatArray, IntArray | None]:
    xyz = raw[:, :3]
    if layout.float_bits:
        counts = xyz.astype(np.uint32).view(np.float32).astype(np.float64)
        if not np.isfinite(counts).all():
            raise DecodeError("PMD float sample is NaN or infinite")
    else:
        counts = xyz.astype(np.float64)
    gain = layout.scale * (factor if layout.apply_factor else 1.0)
    status = raw[:, 3].copy() if layout.channels == 4 else None
    return counts * gain, status


def sample_timestamps_ns(
    timestamp_ns: int,
    n_samples: int,
    sample_rate_hz: float,
    previous_timestamp_ns: int | None = None,
) -> IntArray:
    """Device time of each sample of a frame, as the Polar SDK spaces them.

    With the previous frame's timestamp (same stream) the interval is split evenly:
    sample i = previous + round(dt × (i + 1)), dt = (timestamp - previous) / n. Without it,
    or if the device clock went backwards (an H10 resets its clock off the strap), samples
    are spaced at the nominal rate ending at ``timestamp_ns``. Rounding is half-to-even,
    like Kotlin's ``round``. The last sample is always ``timestamp_ns`` exactly.
    """
    if n_samples <= 0 or sample_rate_hz <= 0 or not 0 <= timestamp_ns <= MAX_INT64:
        raise DecodeError(f"cannot time {n_samples} samples at {sample_rate_hz} Hz")
    if previous_timestamp_ns and 0 < previous_timestamp_ns < timestamp_ns:
        dt = (timestamp_ns - previous_timestamp_ns) / n_samples
        offsets = np.rint(dt * np.arange(1, n_samples + 1)).astype(np.int64)
        times = previous_timestamp_ns + offsets
    else:
        dt = 1e9 / sample_rate_hz
        offsets = np.rint(dt * np.arange(n_samples - 1, -1, -1)).astype(np.int64)
        times = timestamp_ns - offsets
    times[-1] = timestamp_ns
    return np.asarray(times, dtype=np.int64)
