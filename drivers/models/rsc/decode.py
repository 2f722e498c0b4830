"""Pure decoders for the RSC Measurement (0x2A53) and RSC Feature (0x2A54) characteristics.

RSC Measurement, little-endian::

    0     flags: bit0 stride length present, bit1 total distance present,
          bit2 walking (0) / running (1); bits 3-7 reserved
    1-2   instantaneous speed     uint16, 1/256 m/s
    3     instantaneous cadence   uint8, 1/min
    4-5   stride length           uint16, 1/100 m   (if bit0)
    ..    total distance          uint32, 1/10 m    (if bit1; cumulative since power-on/reset)

Cadence: the SIG field definition gives only the unit, 1/min ("RPM"). Foot pods send
steps per minute counting both feet (≈ 180 at 90 strides/min); that is not confirmed for
every pod (Stryd UNCERTAIN), so the value is passed through unchanged as ``cadence_per_min``
— neither doubled nor halved. A message shorter than its flags imply is rejected; bytes
after the last flagged field (a future extension) are ignored.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from drivers.errors import DecodeError
from drivers.models.rsc.profile import (
    DISTANCE_M_PER_LSB,
    FLAG_RUNNING,
    FLAG_STRIDE_LENGTH,
    FLAG_TOTAL_DISTANCE,
    SPEED_M_S_PER_LSB,
    STRIDE_M_PER_LSB,
    RscFeature,
)

_BASE = struct.Struct("<BHB")


@dataclass(frozen=True)
class RscMeasurement:
    """One RSC Measurement notification in SI units."""

    speed_m_s: float
    cadence_per_min: int  # as sent; steps/min for the pods seen so far (see module docstring)
    running: bool  # meaningful only if the pod supports WALKING_RUNNING_STATUS
    stride_length_m: float | None = None
    total_distance_m: float | None = None
    flags: int = 0


def decode_measurement(payload: bytes) -> RscMeasurement:
    """Decode an RSC Measurement; DecodeError if it is shorter than its flags imply."""
    if len(payload) < _BASE.size:
        raise DecodeError(f"RSC measurement of {len(payload)} B (at least 4 needed)")
    flags, speed_raw, cadence = _BASE.unpack_from(payload)
    needed = (
        _BASE.size + 2 * bool(flags & FLAG_STRIDE_LENGTH) + 4 * bool(flags & FLAG_TOTAL_DISTANCE)
    )
    if len(payload) < needed:
        raise DecodeError(
            f"RSC measurement with flags 0x{flags:02X} needs {needed} B, got {len(payload)}"
        )
    offset, stride_m, distance_m = _BASE.size, None, None
    if flags & FLAG_STRIDE_LENGTH:
        stride_m = int.from_bytes(payload[offset : offset + 2], "little") * STRIDE_M_PER_LSB
        offset += 2
    if flags & FLAG_TOTAL_DISTANCE:
        distance_m = int.from_bytes(payload[offset : offset + 4], "little") * DISTANCE_M_PER_LSB
    return RscMeasurement(
        speed_m_s=speed_raw * SPEED_M_S_PER_LSB,
        cadence_per_min=cadence,
        running=bool(flags & FLAG_RUNNING),
        stride_length_m=stride_m,
        total_distance_m=distance_m,
        flags=flags,
    )


def decode_feature(payload: bytes) -> RscFeature:
    """Decode the RSC Feature read value (uint16; reserved bits dropped)."""
    if len(payload) < 2:
        raise DecodeError(f"RSC feature of {len(payload)} B (2 needed)")
    bits = int.from_bytes(payload[:2], "little")
    return RscFeature(bits & sum(RscFeature))
