"""Pure builders of WitMotion command bytes, and the frame encoder simulated pods use.

Commands go to the write characteristic as ``FF AA <register> <low> <high>``; a setting
change is unlock, write, save.
"""

from __future__ import annotations

import numpy as np

from drivers.errors import GaitdeckError
from drivers.models.witmotion.decode import FLAG_DATA, HEADER
from drivers.models.witmotion.profile import RATE_CODES_HZ, WITMOTION
from drivers.types import FloatArray

REG_SAVE = 0x00
REG_RATE = 0x03
REG_READ = 0x27
REG_KEY = 0x69
UNLOCK_KEY = 0xB588


def write_register(register: int, value: int) -> bytes:
    return bytes([0xFF, 0xAA, register & 0xFF, value & 0xFF, (value >> 8) & 0xFF])


def unlock() -> bytes:
    return write_register(REG_KEY, UNLOCK_KEY)


def save() -> bytes:
    return write_register(REG_SAVE, 0)


def read_register(register: int) -> bytes:
    return write_register(REG_READ, register)


def set_rate(rate_hz: float) -> list[bytes]:
    """The unlock, rate, save sequence for an output rate the pods support."""
    code = RATE_CODES_HZ.get(rate_hz)
    if code is None:
        supported = ", ".join(f"{r:g}" for r in RATE_CODES_HZ)
        raise GaitdeckError(f"WitMotion pods cannot stream at {rate_hz:g} Hz (use {supported})")
    return [unlock(), write_register(REG_RATE, code), save()]


def encode_frames(acc_g: FloatArray, gyro_dps: FloatArray, angle_deg: FloatArray) -> bytes:
    """Encode (n, 3) arrays as n concatenated 0x61 frames, saturating like the sensor."""
    scaled = np.hstack(
        [
            acc_g / WITMOTION.acc_range_g,
            gyro_dps / WITMOTION.gyro_range_dps,
            angle_deg / WITMOTION.angle_range_deg,
        ]
    )
    raw = np.clip(np.round(scaled * 32768.0), -32768, 32767).astype("<i2")
    header = np.tile(np.array([HEADER, FLAG_DATA], dtype=np.uint8), (raw.shape[0], 1))
    return np.hstack([header, raw.view(np.uint8).reshape(raw.shape[0], 18)]).tobytes()
