"""Bosch sensor fusion on MetaMotion boards (module 0x19): commands and output decoders.

Mode write ``19 02 <mode> <cfg>``: cfg low nibble = acc range index (0 ±2 g .. 3 ±16 g),
high nibble = gyro range index + 1 (1 = 2000 dps .. 4 = 250 dps). Output enable
``19 03 <enable mask> <disable mask>``, bit n = output register 0x04 + n.

Notifications, float32 little-endian (units as returned here)::

    19 04  corrected acc   x y z + accuracy byte   milli-g on the wire  -> g (÷ 1000)
    19 05  corrected gyro  x y z + accuracy         deg/s
    19 06  corrected mag   x y z + accuracy         µT
    19 07  quaternion      w x y z                  unitless
    19 08  Euler angles    heading pitch roll yaw   degrees
    19 09  gravity         x y z                    m/s² on the wire    -> g (÷ 9.80665)
    19 0A  linear acc      x y z                    m/s² on the wire    -> g (÷ 9.80665)

Accuracy: 0 unreliable, 1 low, 2 medium, 3 high. Fusion output runs at 100 Hz.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

from drivers.errors import DecodeError, GaitdeckError
from drivers.models.metamotion.commands import command
from drivers.models.metamotion.profile import Module

STANDARD_GRAVITY = 9.80665
ENABLE, MODE, OUTPUT_ENABLE, RESET_ORIENTATION = 0x01, 0x02, 0x03, 0x0F
ACC_RANGE_INDEX = {2.0: 0, 4.0: 1, 8.0: 2, 16.0: 3}
GYRO_RANGE_INDEX = {2000.0: 0, 1000.0: 1, 500.0: 2, 250.0: 3}


class FusionMode(enum.IntEnum):
    SLEEP = 0
    NDOF = 1
    IMU_PLUS = 2
    COMPASS = 3
    M4G = 4


class FusionOutput(enum.IntEnum):
    """Output register ids; bit ``register - 4`` in the output-enable mask."""

    CORRECTED_ACC = 0x04
    CORRECTED_GYRO = 0x05
    CORRECTED_MAG = 0x06
    QUATERNION = 0x07
    EULER = 0x08
    GRAVITY = 0x09
    LINEAR_ACC = 0x0A


# (float count, has accuracy byte, multiplier to the returned unit)
_LAYOUT: dict[FusionOutput, tuple[int, bool, float]] = {
    FusionOutput.CORRECTED_ACC: (3, True, 1e-3),
    FusionOutput.CORRECTED_GYRO: (3, True, 1.0),
    FusionOutput.CORRECTED_MAG: (3, True, 1.0),
    FusionOutput.QUATERNION: (4, False, 1.0),
    FusionOutput.EULER: (4, False, 1.0),
    FusionOutput.GRAVITY: (3, False, 1 / STANDARD_GRAVITY),
    FusionOutput.LINEAR_ACC: (3, False, 1 / STANDARD_GRAVITY),
}


@dataclass(frozen=True)
class FusionSample:
    """One fusion notification in the units of the table above."""

    output: FusionOutput
    values: tuple[float, ...]
    accuracy: int | None = None


def set_mode(mode: FusionMode, range_g: float = 16.0, range_dps: float = 2000.0) -> bytes:
    if range_g not in ACC_RANGE_INDEX or range_dps not in GYRO_RANGE_INDEX:
        raise GaitdeckError(f"sensor fusion has no ±{range_g:g} g / ±{range_dps:g} dps setting")
    config = ACC_RANGE_INDEX[range_g] | (GYRO_RANGE_INDEX[range_dps] + 1) << 4
    return command(Module.SENSOR_FUSION, MODE, mode, config)


def enable_outputs(*outputs: FusionOutput) -> bytes:
    mask = sum(1 << (o - FusionOutput.CORRECTED_ACC) for o in set(outputs))
    return command(Module.SENSOR_FUSION, OUTPUT_ENABLE, mask, 0)


def clear_outputs() -> bytes:
    return command(Module.SENSOR_FUSION, OUTPUT_ENABLE, 0, 0x7F)


def subscribe(output: FusionOutput) -> bytes:
    return command(Module.SENSOR_FUSION, output, 1)


def start() -> bytes:
    return command(Module.SENSOR_FUSION, ENABLE, 1)


def stop() -> bytes:
    return command(Module.SENSOR_FUSION, ENABLE, 0)


def reset_orientation() -> bytes:
    """Firmware revision >= 3 only."""
    return command(Module.SENSOR_FUSION, RESET_ORIENTATION, 1)


def decode_fusion(payload: bytes) -> FusionSample:
    """Decode a ``19 04`` .. ``19 0A`` notification; DecodeError otherwise."""
    if len(payload) < 2 or payload[0] != Module.SENSOR_FUSION:
        raise DecodeError(f"not a sensor-fusion notification: {payload.hex(' ')}")
    try:
        output = FusionOutput(payload[1])
    except ValueError:
        raise DecodeError(f"unknown sensor-fusion register 0x{payload[1]:02X}") from None
    floats, has_accuracy, scale = _LAYOUT[output]
    if len(payload) != 2 + 4 * floats + has_accuracy:
        raise DecodeError(f"sensor-fusion {output.name} of {len(payload)} B")
    values = struct.unpack_from(f"<{floats}f", payload, 2)
    accuracy = payload[-1] if has_accuracy else None
    return FusionSample(output, tuple(v * scale for v in values), accuracy)
