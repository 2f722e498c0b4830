"""Pure builders of PMD control-point commands (written to the control point).

Layout: ``op code, (recording type << 7) | measurement type, settings TLVs...``; a start
command carries each chosen setting with count 1 (the client never sends FACTOR).

    get settings   01 <type>
    start          02 <type> <setting> 01 <value> ...
    stop           03 <type>
    SDK mode       02 09 / 03 09   (Verity Sense: unlocks 26-416 Hz and more ranges)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from drivers.errors import GaitdeckError
from drivers.models.polar.profile import (
    ONLINE_RECORDING,
    SETTING_VALUE_BYTES,
    ControlOp,
    MeasurementType,
    SettingType,
)

SettingValues = Mapping[SettingType, int] | Iterable[tuple[SettingType, int]]


def _type_byte(measurement: MeasurementType, recording_type: int = ONLINE_RECORDING) -> int:
    return (recording_type & 1) << 7 | int(measurement)


def get_settings(measurement: MeasurementType) -> bytes:
    return bytes([ControlOp.GET_SETTINGS, _type_byte(measurement)])


def get_full_settings(measurement: MeasurementType) -> bytes:
    """The settings available in SDK mode."""
    return bytes([ControlOp.GET_FULL_SETTINGS, _type_byte(measurement)])


def get_measurement_status() -> bytes:
    return bytes([ControlOp.GET_STATUS])


def stop_measurement(measurement: MeasurementType) -> bytes:
    return bytes([ControlOp.STOP, _type_byte(measurement)])


def start_sdk_mode() -> bytes:
    return bytes([ControlOp.START, MeasurementType.SDK_MODE])


def stop_sdk_mode() -> bytes:
    return bytes([ControlOp.STOP, MeasurementType.SDK_MODE])


def stream_settings(
    sample_rate_hz: int, range_: int, resolution_bits: int = 16, channels: int | None = 3
) -> dict[SettingType, int]:
    """Settings in the SDK's order: rate, resolution, range (± G or ± deg/s), channels."""
    chosen = {
        SettingType.SAMPLE_RATE: sample_rate_hz,
        SettingType.RESOLUTION: resolution_bits,
        SettingType.RANGE: range_,
    }
    if channels is not None:
        chosen[SettingType.CHANNELS] = channels
    return chosen


def start_measurement(measurement: MeasurementType, settings: SettingValues) -> bytes:
    """Start an online stream with the chosen settings, serialised in the order given."""
    pairs = settings.items() if isinstance(settings, Mapping) else settings
    body = b"".join(_setting_bytes(setting, value) for setting, value in pairs)
    return bytes([ControlOp.START, _type_byte(measurement)]) + body


def _setting_bytes(setting: SettingType, value: int) -> bytes:
    if setting in (SettingType.FACTOR, SettingType.SECURITY):
        raise GaitdeckError(f"the PMD client does not send the {setting.name} setting")
    width = SETTING_VALUE_BYTES[setting]
    if not 0 <= value < 1 << (8 * width):
        raise GaitdeckError(f"PMD {setting.name} value {value} does not fit {width} byte(s)")
    return bytes([setting, 1]) + value.to_bytes(width, "little")
