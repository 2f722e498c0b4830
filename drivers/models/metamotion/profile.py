"""MetaMotion boards described as data (see shared/protocols/mbientlab-metamotion.md).

Every command and notification is ``[module id][register id][payload...]``, little-endian.
Commands go to the command characteristic (write without response; the macro module 0x0F
needs write with response); everything arrives on the notification characteristic.
Reading a register sets bit 7 of the register id; bit 6 as well is the 'silent' read.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

METAWEAR_SERVICE_UUID = "326a9000-85cb-9195-d9dd-464cfbbae75a"
COMMAND_UUID = "326a9001-85cb-9195-d9dd-464cfbbae75a"
NOTIFY_UUID = "326a9006-85cb-9195-d9dd-464cfbbae75a"
MODEL_NUMBER_UUID = "00002a24-0000-1000-8000-00805f9b34fb"  # DIS: "5" MetaMotion R, "8" S
FIRMWARE_REVISION_UUID = "00002a26-0000-1000-8000-00805f9b34fb"

READ_BIT = 0x80
SILENT_BIT = 0x40
MODULE_INFO_REGISTER = 0x00  # read as [module, 0x80]


class Module(enum.IntEnum):
    """Module ids of the MetaWear firmware (the ones gaitdeck touches)."""

    ACCELEROMETER = 0x03
    DATA_PROCESSOR = 0x09
    EVENT = 0x0A
    LOGGING = 0x0B
    MACRO = 0x0F
    SETTINGS = 0x11
    GYRO = 0x13
    MAGNETOMETER = 0x15
    SENSOR_FUSION = 0x19
    DEBUG = 0xFE


class Chip(enum.StrEnum):
    """The IMU on the board, known from the module-info replies."""

    BMI160 = "BMI160"  # MetaMotion R / RL / C: acc implementation 1, gyro 0
    BMI270 = "BMI270"  # MetaMotion S: acc implementation 4, gyro 1


ACC_IMPLEMENTATIONS = {1: Chip.BMI160, 4: Chip.BMI270}
GYRO_IMPLEMENTATIONS = {0: Chip.BMI160, 1: Chip.BMI270}
PACKED_GYRO_MIN_REVISION = 1  # BMI160 gyro revision >= 1 has packed rotation


@dataclass(frozen=True)
class SensorRegisters:
    """Register ids of the accelerometer or gyro module on one chip."""

    power: int = 0x01  # 01 start, 00 stop
    interrupt: int = 0x02  # <enable mask> <disable mask>
    config: int = 0x03  # <odr/bandwidth byte> <range byte>
    data: int = 0x04  # x, y, z int16
    packed: int = 0x05  # 3 samples of x, y, z int16


ACC_REGISTERS = {Chip.BMI160: SensorRegisters(packed=0x1C), Chip.BMI270: SensorRegisters()}
GYRO_REGISTERS = {
    Chip.BMI160: SensorRegisters(data=0x05, packed=0x07),
    Chip.BMI270: SensorRegisters(data=0x04, packed=0x05),
}

# Bosch output-data-rate codes (low nibble of the config byte).
ODR_CODES_HZ: dict[float, int] = {
    0.78125: 1, 1.5625: 2, 3.125: 3, 6.25: 4, 12.5: 5, 25.0: 6, 50.0: 7,
    100.0: 8, 200.0: 9, 400.0: 10, 800.0: 11, 1600.0: 12, 3200.0: 13,
}  # fmt: skip
ACC_MAX_ODR_CODE = 12  # 1600 Hz
GYRO_MIN_ODR_CODE = 6  # 25 Hz
NORMAL_BANDWIDTH = 2 << 4
BMI160_UNDERSAMPLING = 0x80  # set by the SDK below 12.5 Hz
BMI270_FILTER_PERFORMANCE = 0x80  # set by the SDK at 12.5 Hz and above

# Accelerometer range byte per chip, and LSB per g (the same on both chips).
ACC_RANGE_CODES: dict[Chip, dict[float, int]] = {
    Chip.BMI160: {2.0: 0x03, 4.0: 0x05, 8.0: 0x08, 16.0: 0x0C},
    Chip.BMI270: {2.0: 0x00, 4.0: 0x01, 8.0: 0x02, 16.0: 0x03},
}
ACC_LSB_PER_G: dict[float, float] = {2.0: 16384.0, 4.0: 8192.0, 8.0: 4096.0, 16.0: 2048.0}

# Gyro range index and LSB per deg/s (the SDK's FSR_SCALE; note 16.4, not 32768/2000).
GYRO_RANGE_CODES: dict[float, int] = {2000.0: 0, 1000.0: 1, 500.0: 2, 250.0: 3, 125.0: 4}
GYRO_LSB_PER_DPS: dict[float, float] = {
    2000.0: 16.4,
    1000.0: 32.8,
    500.0: 65.6,
    250.0: 131.2,
    125.0: 262.4,
}

MAG_LSB_PER_UT = 16.0  # BMM150
MAG_DATA_REGISTER = 0x05
MAG_PACKED_REGISTER = 0x09
ACCOUNTER_TICK_S = 48 / 32768  # one data-processor accounter tick, 1.46484375 ms
ACCOUNTER_REGISTER = 0x03  # notifications 09 03 <processor id> <uint32 tick> <data>
BATTERY_REGISTER = 0x0C  # settings module; read silently as 11 CC, reply 11 8C
CONNECTION_PARAMS_REGISTER = 0x09


@dataclass(frozen=True)
class MetaMotionProfile:
    """One board family; ``nominal_max_unpacked_hz`` is the practical unpacked ceiling."""

    model: str
    chip: Chip
    service_uuid: str = METAWEAR_SERVICE_UUID
    command_uuid: str = COMMAND_UUID
    notify_uuid: str = NOTIFY_UUID
    default_name: str = "MetaWear"  # advertised name unless renamed
    nominal_max_unpacked_hz: float = 100.0  # UNCERTAIN: depends on the link; pack above this

    def matches(self, local_name: str | None, service_uuids: tuple[str, ...] = ()) -> bool:
        return METAWEAR_SERVICE_UUID in (u.lower() for u in service_uuids) or (
            local_name == self.default_name
        )


METAMOTION_R = MetaMotionProfile("MetaMotion R/RL/C", Chip.BMI160)
METAMOTION_S = MetaMotionProfile("MetaMotion S", Chip.BMI270)
