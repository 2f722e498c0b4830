"""WitMotion decoder and command builders against the shared test vectors and edge cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.errors import GaitdeckError
from drivers.models.witmotion import commands
from drivers.models.witmotion.decode import decode_notification

TRUSTED = ("real-device", "unit-test", "datasheet", "vendor sdk command")


def witmotion_vectors(shared: Path) -> list[dict[str, Any]]:
    vectors = json.loads((shared / "protocols" / "test-vectors.json").read_text())
    return [v for v in vectors if v["device"].startswith("WitMotion")]


def trusted(vector: dict[str, Any]) -> bool:
    provenance = vector["provenance"].lower()
    return any(word in provenance for word in TRUSTED)


def payload(vector: dict[str, Any]) -> bytes:
    return bytes.fromhex(vector["hex"].replace("|", " "))


def test_every_trusted_notification_vector_decodes(shared: Path) -> None:
    checked = 0
    for vector in witmotion_vectors(shared):
        if not trusted(vector) or "notify" not in vector["kind"]:
            continue
        decoded = decode_notification(payload(vector))
        expected = vector["decoded"]
        if "start_register" in expected:
            reply = decoded.register_replies[0]
            assert reply.start_register == expected["start_register"]
            assert reply.values[:3] == (expected["HX_raw"], expected["HY_raw"], expected["HZ_raw"])
            assert len(decoded) == 0
        else:
            frames = expected.get("frames", [expected])
            assert len(decoded) == len(frames)
            for i, frame in enumerate(frames):
                np.testing.assert_allclose(decoded.acc_g[i], frame["acc_g"], atol=1e-6)
                np.testing.assert_allclose(decoded.gyro_dps[i], frame["gyro_dps"], atol=1e-6)
                np.testing.assert_allclose(
                    decoded.angle_deg[i], frame["angle_deg_roll_pitch_yaw"], atol=1e-6
                )
        assert decoded.malformed_bytes == 0
        checked += 1
    assert checked == 4


COMMAND_BUILDERS = {
    "unlock": lambda: commands.unlock(),
    "10 Hz": lambda: commands.set_rate(10.0)[1],
    "50 Hz": lambda: commands.set_rate(50.0)[1],
    "100 Hz": lambda: commands.set_rate(100.0)[1],
    "200 Hz": lambda: commands.set_rate(200.0)[1],
    "save": lambda: commands.save(),
    "start reg 0x3A": lambda: commands.read_register(0x3A),
    "start reg 0x51": lambda: commands.read_register(0x51),
    "start reg 0x64": lambda: commands.read_register(0x64),
    "start reg 0x40": lambda: commands.read_register(0x40),
}


def test_every_command_vector_is_built_exactly(shared: Path) -> None:
    built = 0
    for vector in witmotion_vectors(shared):
        if not vector["kind"].startswith("command"):
            continue
        [builder] = [b for key, b in COMMAND_BUILDERS.items() if key in vector["kind"]]
        assert builder() == payload(vector), vector["kind"]
        built += 1
    assert built == 10


def test_rate_change_is_unlock_rate_save() -> None:
    sequence = commands.set_rate(200.0)
    assert sequence == [
        bytes.fromhex("FFAA6988B5"),
        bytes.fromhex("FFAA030B00"),
        bytes.fromhex("FFAA000000"),
    ]


def test_unsupported_rate_names_the_setting() -> None:
    with pytest.raises(GaitdeckError, match="416 Hz"):
        commands.set_rate(416.0)


def test_encode_then_decode_round_trips_within_one_lsb() -> None:
    rng = np.random.default_rng(1)
    acc, gyro = rng.uniform(-15, 15, (7, 3)), rng.uniform(-1900, 1900, (7, 3))
    angle = rng.uniform(-179, 179, (7, 3))
    decoded = decode_notification(commands.encode_frames(acc, gyro, angle))
    np.testing.assert_allclose(decoded.acc_g, acc, atol=16 / 32768)
    np.testing.assert_allclose(decoded.gyro_dps, gyro, atol=2000 / 32768)


def test_encoder_saturates_like_the_sensor() -> None:
    big = np.array([[40.0, -40.0, 0.0]])
    decoded = decode_notification(commands.encode_frames(big, big * 100, np.zeros((1, 3))))
    assert decoded.acc_g[0, 0] == pytest.approx(16 * 32767 / 32768)
    assert decoded.acc_g[0, 1] == pytest.approx(-16.0)


def test_short_frame_and_garbage_are_skipped_and_counted() -> None:
    good = commands.encode_frames(np.ones((2, 3)), np.zeros((2, 3)), np.zeros((2, 3)))
    decoded = decode_notification(b"\x01\x02" + good + good[:7])
    assert len(decoded) == 2
    assert decoded.malformed_bytes == 9


def test_wrong_flag_is_not_a_frame() -> None:
    frame = bytearray(commands.encode_frames(np.ones((1, 3)), np.zeros((1, 3)), np.zeros((1, 3))))
    frame[1] = 0x62
    decoded = decode_notification(bytes(frame))
    assert len(decoded) == 0
    assert decoded.malformed_bytes == 20


def test_empty_notification() -> None:
    decoded = decode_notification(b"")
    assert len(decoded) == 0 and decoded.malformed_bytes == 0


@settings(max_examples=10_000, deadline=None)
@given(st.binary(max_size=90))
def test_any_bytes_decode_without_raising(data: bytes) -> None:
    decoded = decode_notification(data)
    assert decoded.malformed_bytes + 20 * (len(decoded) + len(decoded.register_replies)) == len(
        data
    )
