"""WitMotion BLE 5.0 pods described as data (see shared/protocols/witmotion.md).

The vendor uses a non-standard UUID base (…-8000-00805F9A34FB, note 9A), so the 16-bit
short forms do not match.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WitMotionProfile:
    model: str = "WitMotion WT9011DCL"
    service_uuid: str = "0000ffe5-0000-1000-8000-00805f9a34fb"
    notify_uuid: str = "0000ffe4-0000-1000-8000-00805f9a34fb"
    write_uuid: str = "0000ffe9-0000-1000-8000-00805f9a34fb"
    frame_bytes: int = 20
    acc_range_g: float = 16.0
    gyro_range_dps: float = 2000.0
    angle_range_deg: float = 180.0
    max_frames_per_notification: int = 4


WITMOTION = WitMotionProfile()

# Output-rate register (RRATE, 0x03) codes; rates above 200 Hz exist only in simulation.
RATE_CODES_HZ: dict[float, int] = {
    0.2: 0x01, 0.5: 0x02, 1.0: 0x03, 2.0: 0x04, 5.0: 0x05, 10.0: 0x06,
    20.0: 0x07, 50.0: 0x08, 100.0: 0x09, 125.0: 0x0A, 200.0: 0x0B,
}  # fmt: skip
