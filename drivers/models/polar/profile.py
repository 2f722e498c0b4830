"""Polar PMD pods described as data (see shared/protocols/polar-pmd.md).

GATT: the PMD service has a control point (read = feature bitmap, write = commands,
indicate = responses) and a data characteristic (notify = data frames). Enable both the
CP indications and the data notifications before writing any command, and negotiate a
large ATT MTU: a Verity Sense ACC frame is 228 bytes in one notification.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

PMD_SERVICE_UUID = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
PMD_CONTROL_POINT_UUID = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
PMD_DATA_UUID = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"

# PMD device timestamps count ns since 2000-01-01T00:00:00; add this for Unix-epoch ns.
POLAR_EPOCH_OFFSET_NS = 946_684_800_000_000_000


class MeasurementType(enum.IntEnum):
    """The measurement-type byte of commands and frames (parse with ``& 0x3F``)."""

    ECG = 0
    PPG = 1
    ACC = 2
    PPI = 3
    GYRO = 5
    MAGNETOMETER = 6
    SKIN_TEMP = 7
    SDK_MODE = 9
    LOCATION = 10
    PRESSURE = 11
    TEMPERATURE = 12
    OFFLINE_RECORDING = 13
    OFFLINE_HR = 14


class SettingType(enum.IntEnum):
    """Setting TLV types of get-settings responses and the start command."""

    SAMPLE_RATE = 0  # Hz, uint16
    RESOLUTION = 1  # bits, uint16
    RANGE = 2  # ± G (ACC), ± deg/s (GYRO), ± gauss (MAG), uint16
    RANGE_MILLIUNIT = 3  # uint32
    CHANNELS = 4  # uint8
    FACTOR = 5  # float32, sensor to client only
    SECURITY = 6  # 16 bytes


# Value width in bytes of one setting value.
SETTING_VALUE_BYTES: dict[SettingType, int] = {
    SettingType.SAMPLE_RATE: 2,
    SettingType.RESOLUTION: 2,
    SettingType.RANGE: 2,
    SettingType.RANGE_MILLIUNIT: 4,
    SettingType.CHANNELS: 1,
    SettingType.FACTOR: 4,
    SettingType.SECURITY: 16,
}


class ControlOp(enum.IntEnum):
    """Control-point op codes (client to sensor)."""

    GET_SETTINGS = 0x01
    START = 0x02
    STOP = 0x03
    GET_FULL_SETTINGS = 0x04
    GET_STATUS = 0x05
    GET_SDK_MODE_STATUS = 0x06


CP_RESPONSE_CODE = 0xF0
CP_STREAMS_STOPPED = 0x01  # unsolicited indication: 01 <type> <type> ...
FEATURE_READ_MARKER = 0x0F
ONLINE_RECORDING = 0  # bit 7 of the command's type byte; 1 = offline recording

CP_STATUS_NAMES: dict[int, str] = {
    0: "SUCCESS",
    1: "INVALID_OP_CODE",
    2: "INVALID_MEASUREMENT_TYPE",
    3: "NOT_SUPPORTED",
    4: "INVALID_LENGTH",
    5: "INVALID_PARAMETER",
    6: "ALREADY_IN_STATE",
    7: "INVALID_RESOLUTION",
    8: "INVALID_SAMPLE_RATE",
    9: "INVALID_RANGE",
    10: "INVALID_MTU",
    11: "INVALID_NUMBER_OF_CHANNELS",
    12: "INVALID_STATE",
    13: "DEVICE_IN_CHARGER",
    14: "DISK_FULL",
}

# Feature read value: (byte index, bit) -> measurement type.
FEATURE_BITS: dict[tuple[int, int], MeasurementType] = {
    (1, 0): MeasurementType.ECG,
    (1, 1): MeasurementType.PPG,
    (1, 2): MeasurementType.ACC,
    (1, 3): MeasurementType.PPI,
    (1, 5): MeasurementType.GYRO,
    (1, 6): MeasurementType.MAGNETOMETER,
    (1, 7): MeasurementType.SKIN_TEMP,
    (2, 1): MeasurementType.SDK_MODE,
    (2, 2): MeasurementType.LOCATION,
    (2, 3): MeasurementType.PRESSURE,
    (2, 4): MeasurementType.TEMPERATURE,
    (2, 5): MeasurementType.OFFLINE_RECORDING,
    (2, 6): MeasurementType.OFFLINE_HR,
}


@dataclass(frozen=True)
class StreamCapability:
    """Rates and ranges one measurement offers on one model (and mode)."""

    sample_rates_hz: tuple[int, ...]
    ranges: tuple[int, ...]  # ± G for ACC, ± deg/s for GYRO
    resolution_bits: int = 16
    channels: int = 3


@dataclass(frozen=True)
class PolarProfile:
    """One Polar model; ``sdk_mode`` lists what exists only after ``02 09`` (SDK mode)."""

    model: str
    name_prefix: str  # advertised local name starts with this, then the device id
    acc: StreamCapability
    gyro: StreamCapability | None = None
    sdk_mode_acc: StreamCapability | None = None
    sdk_mode_gyro: StreamCapability | None = None
    service_uuid: str = PMD_SERVICE_UUID
    control_point_uuid: str = PMD_CONTROL_POINT_UUID
    data_uuid: str = PMD_DATA_UUID
    min_mtu: int = 232  # community practice, not a Polar figure (UNCERTAIN)

    def matches(self, local_name: str | None) -> bool:
        return bool(local_name) and str(local_name).startswith(self.name_prefix)


_SDK_RATES = (26, 52, 104, 208, 416)

VERITY_SENSE = PolarProfile(
    model="Polar Verity Sense",
    name_prefix="Polar Sense",
    acc=StreamCapability((52,), (8,)),
    gyro=StreamCapability((52,), (2000,)),
    sdk_mode_acc=StreamCapability(_SDK_RATES, (2, 4, 8, 16)),
    sdk_mode_gyro=StreamCapability(_SDK_RATES, (250, 500, 1000, 2000)),
)
H10 = PolarProfile(
    model="Polar H10",
    name_prefix="Polar H10",
    acc=StreamCapability((25, 50, 100, 200), (2, 4, 8)),
)
OH1 = PolarProfile(
    model="Polar OH1",
    name_prefix="Polar OH1",
    acc=StreamCapability((50,), (8,)),
)
POLAR_MODELS: tuple[PolarProfile, ...] = (VERITY_SENSE, H10, OH1)


def profile_for_name(local_name: str | None) -> PolarProfile | None:
    """The model whose advertised-name prefix matches, if any."""
    return next((p for p in POLAR_MODELS if p.matches(local_name)), None)
