"""Pure decoders for WitMotion BLE notifications.

Streaming frame (flag 0x61), 20 bytes, little-endian int16, no checksum, no timestamp::

    0     0x55 header
    1     0x61 flag
    2-7   acc x, y, z       g   = raw / 32768 * 16
    8-13  gyro x, y, z      dps = raw / 32768 * 2000
    14-19 roll, pitch, yaw  deg = raw / 32768 * 180

One notification may carry several frames. Bytes that do not start a frame are skipped
until the next ``55 61`` / ``55 71`` and counted as malformed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.errors import DecodeError
from drivers.models.witmotion.profile import WITMOTION
from drivers.types import FloatArray

HEADER = 0x55
FLAG_DATA = 0x61
FLAG_REGISTER = 0x71
FRAME = WITMOTION.frame_bytes
_INT16 = np.dtype("<i2")


@dataclass(frozen=True)
class WitFrames:
    """Decoded 0x61 frames of one notification, oldest first."""

    acc_g: FloatArray  # (n, 3)
    gyro_dps: FloatArray  # (n, 3)
    angle_deg: FloatArray  # (n, 3) roll, pitch, yaw of the on-board filter
    register_replies: tuple[RegisterReply, ...] = ()
    malformed_bytes: int = 0

    def __len__(self) -> int:
        return int(self.acc_g.shape[0])


@dataclass(frozen=True)
class RegisterReply:
    """A 0x71 read-back: eight int16 registers from ``start_register`` on."""

    start_register: int
    values: tuple[int, ...]


def decode_notification(payload: bytes) -> WitFrames:
    """Split a notification into frames and decode them; never raises on bad bytes."""
    data_frames: list[bytes] = []
    replies: list[RegisterReply] = []
    skipped = 0
    i = 0
    while i < len(payload):
        if _frame_starts(payload, i):
            frame = payload[i : i + FRAME]
            if frame[1] == FLAG_DATA:
                data_frames.append(frame)
            else:
                replies.append(decode_register_reply(frame))
            i += FRAME
        else:
            skipped += 1
            i += 1
    return _decode_data_frames(data_frames, tuple(replies), skipped)


def decode_register_reply(frame: bytes) -> RegisterReply:
    if len(frame) != FRAME or frame[0] != HEADER or frame[1] != FLAG_REGISTER:
        raise DecodeError(f"not a WitMotion register reply: {frame.hex(' ')}")
    raw = np.frombuffer(frame, dtype=_INT16, offset=2)
    return RegisterReply(int(raw[0]), tuple(int(v) for v in raw[1:]))


def _frame_starts(payload: bytes, i: int) -> bool:
    return (
        i + FRAME <= len(payload)
        and payload[i] == HEADER
        and payload[i + 1] in (FLAG_DATA, FLAG_REGISTER)
    )


def _decode_data_frames(
    frames: list[bytes], replies: tuple[RegisterReply, ...], skipped: int
) -> WitFrames:
    if not frames:
        empty = np.empty((0, 3))
        return WitFrames(empty, empty.copy(), empty.copy(), replies, skipped)
    raw = np.frombuffer(b"".join(f[2:] for f in frames), dtype=_INT16).reshape(-1, 9)
    scaled = raw.astype(np.float64) / 32768.0
    return WitFrames(
        acc_g=scaled[:, 0:3] * WITMOTION.acc_range_g,
        gyro_dps=scaled[:, 3:6] * WITMOTION.gyro_range_dps,
        angle_deg=scaled[:, 6:9] * WITMOTION.angle_range_deg,
        register_replies=replies,
        malformed_bytes=skipped,
    )
