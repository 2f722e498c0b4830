"""Pure decoders for MetaWear notifications (``[module][register][payload]``).

Sensor data, little-endian int16 x, y, z, no device timestamp (the SDK stamps arrival)::

    03 04 | x y z                 acc, g = raw / LSB-per-g of the configured range
    03 1C (BMI160) / 03 05 (BMI270) | 3 × (x y z)      packed acc, oldest first
    13 05 (BMI160) / 13 04 (BMI270) | x y z           gyro, deg/s = raw / LSB-per-dps
    13 07 (BMI160) / 13 05 (BMI270) | 3 × (x y z)     packed gyro
    15 05 | x y z  / 15 09 | 3 × (x y z)              magnetometer, µT = raw / 16

Other replies::

    <module> 80 <implementation> <revision> <extra...>   module info (2 bytes: absent)
    11 8C <charge %> <mV uint16>                         battery
    09 03 <processor id> <uint32 tick> <data...>         accounter (tick = 48/32768 s)
    19 04 .. 19 0A                                       sensor fusion (see ``fusion``)
"""

from __future__ import annotations

import enum
import functools
import struct
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from drivers.errors import DecodeError
from drivers.models.metamotion.fusion import FusionSample, decode_fusion
from drivers.models.metamotion.profile import (
    ACC_IMPLEMENTATIONS,
    ACC_LSB_PER_G,
    ACC_REGISTERS,
    ACCOUNTER_REGISTER,
    ACCOUNTER_TICK_S,
    BATTERY_REGISTER,
    GYRO_IMPLEMENTATIONS,
    GYRO_LSB_PER_DPS,
    GYRO_REGISTERS,
    MAG_DATA_REGISTER,
    MAG_LSB_PER_UT,
    MAG_PACKED_REGISTER,
    MODULE_INFO_REGISTER,
    READ_BIT,
    Chip,
    Module,
)
from drivers.types import FloatArray

IntArray = NDArray[np.int64]
SAMPLE_BYTES = 6
PACKED_SAMPLES = 3


class Sensor(enum.StrEnum):
    ACC = "acc_g"
    GYRO = "gyro_dps"
    MAG = "mag_ut"


@dataclass(frozen=True)
class StreamConfig:
    """What the decoder must know: the chip (register map) and the configured ranges."""

    chip: Chip
    acc_range_g: float = 16.0
    gyro_range_dps: float = 2000.0


@dataclass(frozen=True)
class SensorSamples:
    """One plain (n = 1) or packed (n = 3) notification, oldest first."""

    sensor: Sensor
    raw: IntArray  # (n, 3) int16 as on the wire
    values: FloatArray  # (n, 3) in the unit named by ``sensor``
    packed: bool

    def __len__(self) -> int:
        return int(self.values.shape[0])


@dataclass(frozen=True)
class ModuleInfo:
    module_id: int
    present: bool
    implementation: int | None = None
    revision: int | None = None
    extra: bytes = b""


@dataclass(frozen=True)
class BatteryState:
    charge_percent: int
    voltage_mv: int


@dataclass(frozen=True)
class AccounterSample:
    """A data-processor output with a device tick prepended; ``data`` is the wrapped payload."""

    processor_id: int
    tick: int
    data: bytes = field(repr=False)

    @property
    def device_time_s(self) -> float:
        return self.tick * ACCOUNTER_TICK_S


Message = SensorSamples | ModuleInfo | BatteryState | AccounterSample | FusionSample


def chip_from_module_info(info: ModuleInfo) -> Chip:
    """The board's IMU from the accelerometer or gyro module-info reply."""
    tables: dict[int, dict[int, Chip]] = {
        Module.ACCELEROMETER: ACC_IMPLEMENTATIONS,
        Module.GYRO: GYRO_IMPLEMENTATIONS,
    }
    table = tables.get(info.module_id, {}) if info.present else {}
    chip = table.get(info.implementation if info.implementation is not None else -1)
    if chip is None:
        raise DecodeError(f"module 0x{info.module_id:02X} implementation {info.implementation}")
    return chip


def decode_notification(payload: bytes, config: StreamConfig) -> Message:
    """Decode any notification gaitdeck uses; DecodeError for the rest."""
    if len(payload) < 2:
        raise DecodeError(f"MetaWear notification of {len(payload)} B")
    module, register = payload[0], payload[1]
    if register == MODULE_INFO_REGISTER | READ_BIT:
        return decode_module_info(payload)
    if module == Module.SENSOR_FUSION:
        return decode_fusion(payload)
    if module == Module.SETTINGS and register == BATTERY_REGISTER | READ_BIT:
        return decode_battery(payload)
    if module == Module.DATA_PROCESSOR and register == ACCOUNTER_REGISTER:
        return decode_accounter(payload)
    return decode_sensor(payload, config)


def decode_sensor(payload: bytes, config: StreamConfig) -> SensorSamples:
    """Acc, gyro or magnetometer data, plain or packed, scaled by the configured range."""
    route = _sensor_routes(config).get((payload[0], payload[1]) if len(payload) >= 2 else (0, 0))
    if route is None:
        raise DecodeError(f"not a MetaWear sensor notification: {payload[:2].hex(' ')}")
    sensor, packed, lsb_per_unit = route
    expected = SAMPLE_BYTES * (PACKED_SAMPLES if packed else 1)
    if len(payload) != 2 + expected:
        raise DecodeError(
            f"{sensor.name} notification of {len(payload)} B, expected {2 + expected}"
        )
    return _samples(payload[2:], sensor, packed, lsb_per_unit)


def decode_acc_payload(data: bytes, range_g: float) -> FloatArray:
    """x, y, z int16 samples without the two header bytes (e.g. inside an accounter) -> g."""
    if not data or len(data) % SAMPLE_BYTES:
        raise DecodeError(f"acc payload of {len(data)} B")
    return _samples(data, Sensor.ACC, False, _acc_lsb(range_g)).values


def _samples(data: bytes, sensor: Sensor, packed: bool, lsb_per_unit: float) -> SensorSamples:
    raw = np.frombuffer(data, dtype="<i2").reshape(-1, 3).astype(np.int64)
    return SensorSamples(sensor, raw, raw / lsb_per_unit, packed)


def _acc_lsb(range_g: float) -> float:
    if range_g not in ACC_LSB_PER_G:
        raise DecodeError(f"no accelerometer range ±{range_g:g} g")
    return ACC_LSB_PER_G[range_g]


@functools.lru_cache(maxsize=16)
def _sensor_routes(config: StreamConfig) -> dict[tuple[int, int], tuple[Sensor, bool, float]]:
    acc, gyro = ACC_REGISTERS[config.chip], GYRO_REGISTERS[config.chip]
    if config.gyro_range_dps not in GYRO_LSB_PER_DPS:
        raise DecodeError(f"no gyro range ±{config.gyro_range_dps:g} deg/s")
    acc_lsb, gyro_lsb = _acc_lsb(config.acc_range_g), GYRO_LSB_PER_DPS[config.gyro_range_dps]
    return {
        (Module.ACCELEROMETER, acc.data): (Sensor.ACC, False, acc_lsb),
        (Module.ACCELEROMETER, acc.packed): (Sensor.ACC, True, acc_lsb),
        (Module.GYRO, gyro.data): (Sensor.GYRO, False, gyro_lsb),
        (Module.GYRO, gyro.packed): (Sensor.GYRO, True, gyro_lsb),
        (Module.MAGNETOMETER, MAG_DATA_REGISTER): (Sensor.MAG, False, MAG_LSB_PER_UT),
        (Module.MAGNETOMETER, MAG_PACKED_REGISTER): (Sensor.MAG, True, MAG_LSB_PER_UT),
    }


def decode_module_info(payload: bytes) -> ModuleInfo:
    if len(payload) < 2 or payload[1] != MODULE_INFO_REGISTER | READ_BIT:
        raise DecodeError(f"not a module-info reply: {payload.hex(' ')}")
    if len(payload) == 2:
        return ModuleInfo(payload[0], present=False)
    if len(payload) < 4:
        raise DecodeError(f"module-info reply of {len(payload)} B")
    return ModuleInfo(payload[0], True, payload[2], payload[3], bytes(payload[4:]))


def decode_battery(payload: bytes) -> BatteryState:
    if len(payload) != 5 or payload[:2] != bytes([Module.SETTINGS, BATTERY_REGISTER | READ_BIT]):
        raise DecodeError(f"not a battery reply: {payload.hex(' ')}")
    charge, voltage_mv = struct.unpack_from("<BH", payload, 2)
    return BatteryState(charge, voltage_mv)


def decode_accounter(payload: bytes) -> AccounterSample:
    """``09 03 <id> <uint32 tick> <data>``; the tick counter wraps at 2**32."""
    if len(payload) < 7 or payload[:2] != bytes([Module.DATA_PROCESSOR, ACCOUNTER_REGISTER]):
        raise DecodeError(f"not an accounter notification: {payload.hex(' ')}")
    processor_id, tick = struct.unpack_from("<BI", payload, 2)
    return AccounterSample(processor_id, tick, bytes(payload[7:]))
