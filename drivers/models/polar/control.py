"""Pure parsers for what the PMD control point sends back.

Feature read (read of the CP characteristic)::

    0x0F, then bit flags: byte 1 bit0 ECG, 1 PPG, 2 ACC, 3 PPI, 5 GYRO, 6 MAG, 7 SKIN_TEMP;
    byte 2 bit1 SDK_MODE, 2 LOCATION, 3 PRESSURE, 4 TEMPERATURE, 5 OFFLINE_REC, 6 OFFLINE_HR

Command response (indication)::

    0xF0, op code, measurement type, status (0 = success), more (≠ 0: continuations
    follow, each contributing its bytes from offset 5), parameters...

Settings parameters are TLVs: setting type (u8), count (u8), ``count`` little-endian
values whose width depends on the type (``SETTING_VALUE_BYTES``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, replace

from drivers.errors import DecodeError, GaitdeckError
from drivers.models.polar.profile import (
    CP_RESPONSE_CODE,
    CP_STATUS_NAMES,
    CP_STREAMS_STOPPED,
    FEATURE_BITS,
    FEATURE_READ_MARKER,
    SETTING_VALUE_BYTES,
    MeasurementType,
    SettingType,
)

CP_HEADER_BYTES = 5


@dataclass(frozen=True)
class CpResponse:
    """One control-point response, continuations already appended."""

    op_code: int
    measurement: int
    status: int
    more: bool
    parameters: bytes = b""

    @property
    def ok(self) -> bool:
        return self.status == 0

    @property
    def status_name(self) -> str:
        return CP_STATUS_NAMES.get(self.status, f"UNKNOWN_STATUS_{self.status}")

    def raise_for_status(self) -> None:
        if not self.ok:
            raise GaitdeckError(
                f"Polar PMD refused op 0x{self.op_code:02X} for measurement "
                f"{self.measurement}: {self.status_name}"
            )


@dataclass(frozen=True)
class PmdSettings:
    """Settings offered by a get-settings response, or chosen by a start response."""

    sample_rates_hz: tuple[int, ...] = ()
    resolutions_bits: tuple[int, ...] = ()
    ranges: tuple[int, ...] = ()  # ± G (ACC), ± deg/s (GYRO), ± gauss (MAG)
    ranges_milliunit: tuple[int, ...] = ()
    channels: tuple[int, ...] = ()
    factor: float | None = None  # multiply every sample by this (start response only)


def parse_cp_response(data: bytes) -> CpResponse:
    """Parse a ``F0 ...`` indication; DecodeError if it is short or not a response."""
    if len(data) < CP_HEADER_BYTES or data[0] != CP_RESPONSE_CODE:
        raise DecodeError(f"not a PMD control-point response: {data.hex(' ')}")
    return CpResponse(data[1], data[2] & 0x3F, data[3], data[4] != 0, bytes(data[5:]))


def append_continuation(first: CpResponse, continuation: bytes) -> CpResponse:
    """Join a continuation indication (its bytes from offset 5) onto a response."""
    more = parse_cp_response(continuation).more
    return replace(first, more=more, parameters=first.parameters + continuation[5:])


def parse_stopped_streams(data: bytes) -> tuple[int, ...]:
    """Measurement types of an unsolicited ``01 <type> ...`` 'streams stopped' indication."""
    if not data or data[0] != CP_STREAMS_STOPPED:
        raise DecodeError(f"not a PMD streams-stopped indication: {data.hex(' ')}")
    return tuple(b & 0x3F for b in data[1:])


def parse_features(data: bytes) -> frozenset[MeasurementType]:
    """Measurement types a pod offers, from the read value of the control point."""
    if len(data) < 2 or data[0] != FEATURE_READ_MARKER:
        raise DecodeError(f"not a PMD feature read value: {data.hex(' ')}")
    padded = bytes(data[:3]).ljust(3, b"\0")
    return frozenset(m for (byte, bit), m in FEATURE_BITS.items() if padded[byte] >> bit & 1)


def parse_settings(parameters: bytes) -> PmdSettings:
    """Decode settings TLVs; DecodeError on an unknown type or a cut value."""
    found: dict[SettingType, tuple[float, ...]] = {}
    offset = 0
    while offset < len(parameters):
        setting, values, offset = _read_setting(parameters, offset)
        found[setting] = values

    def ints(setting: SettingType) -> tuple[int, ...]:
        return tuple(int(v) for v in found.get(setting, ()))

    factors = found.get(SettingType.FACTOR, ())
    return PmdSettings(
        sample_rates_hz=ints(SettingType.SAMPLE_RATE),
        resolutions_bits=ints(SettingType.RESOLUTION),
        ranges=ints(SettingType.RANGE),
        ranges_milliunit=ints(SettingType.RANGE_MILLIUNIT),
        channels=ints(SettingType.CHANNELS),
        factor=float(factors[-1]) if factors else None,
    )


def start_factor(response: CpResponse) -> float:
    """The factor every sample of the started stream is multiplied by (1.0 if none sent)."""
    response.raise_for_status()
    factor = parse_settings(response.parameters).factor
    return 1.0 if factor is None else factor


def _read_setting(data: bytes, offset: int) -> tuple[SettingType, tuple[float, ...], int]:
    if offset + 2 > len(data):
        raise DecodeError(f"PMD setting header cut at byte {offset}")
    try:
        setting = SettingType(data[offset])
    except ValueError:
        raise DecodeError(f"unknown PMD setting type {data[offset]} at byte {offset}") from None
    count, width = data[offset + 1], SETTING_VALUE_BYTES[setting]
    start, end = offset + 2, offset + 2 + count * width
    if end > len(data):
        raise DecodeError(f"PMD setting {setting.name} needs {end - start} B")
    return setting, _values(data[start:end], setting, width), end


def _values(chunk: bytes, setting: SettingType, width: int) -> tuple[float, ...]:
    if setting is SettingType.FACTOR:
        return struct.unpack(f"<{len(chunk) // 4}f", chunk)
    if setting is SettingType.SECURITY:
        return ()
    step = range(0, len(chunk), width)
    return tuple(int.from_bytes(chunk[i : i + width], "little") for i in step)
