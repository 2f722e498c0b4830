"""The SIG Running Speed and Cadence profile as data (see shared/protocols/ble-rsc-0x1814.md).

RSC pods (Stryd, Polar Stride, ...) send derived metrics, not IMU samples; the notification
rate is not fixed by the profile (commonly about 1 Hz).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


def sig_uuid(short: int) -> str:
    """The 128-bit form of a 16-bit SIG UUID."""
    return f"0000{short:04x}-0000-1000-8000-00805f9b34fb"


RSC_SERVICE_UUID = sig_uuid(0x1814)
RSC_MEASUREMENT_UUID = sig_uuid(0x2A53)  # notify
RSC_FEATURE_UUID = sig_uuid(0x2A54)  # read, uint16 bit field
SENSOR_LOCATION_UUID = sig_uuid(0x2A5D)  # read
SC_CONTROL_POINT_UUID = sig_uuid(0x2A55)  # write + indicate, optional

# Measurement flags (byte 0).
FLAG_STRIDE_LENGTH = 0x01
FLAG_TOTAL_DISTANCE = 0x02
FLAG_RUNNING = 0x04

SPEED_M_S_PER_LSB = 1 / 256
STRIDE_M_PER_LSB = 1 / 100
DISTANCE_M_PER_LSB = 1 / 10


class RscFeature(enum.IntFlag):
    """RSC Feature (0x2A54) bits."""

    STRIDE_LENGTH = 1 << 0
    TOTAL_DISTANCE = 1 << 1
    WALKING_RUNNING_STATUS = 1 << 2
    CALIBRATION = 1 << 3
    MULTIPLE_SENSOR_LOCATIONS = 1 << 4


@dataclass(frozen=True)
class RscProfile:
    model: str = "BLE foot pod (RSC 0x1814)"
    service_uuid: str = RSC_SERVICE_UUID
    measurement_uuid: str = RSC_MEASUREMENT_UUID
    feature_uuid: str = RSC_FEATURE_UUID

    def matches(self, service_uuids: tuple[str, ...]) -> bool:
        """RSC pods advertise the 0x1814 service."""
        return self.service_uuid in (u.lower() for u in service_uuids)


RSC = RscProfile()
