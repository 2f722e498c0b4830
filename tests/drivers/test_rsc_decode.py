"""RSC (0x1814) measurement and feature decoders against the shared vectors and edge cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.errors import DecodeError
from drivers.models.rsc.decode import RscMeasurement, decode_feature, decode_measurement
from drivers.models.rsc.profile import RSC, RscFeature


def rsc_vectors(shared: Path) -> list[dict[str, Any]]:
    vectors = json.loads((shared / "protocols" / "test-vectors.json").read_text())
    return [v for v in vectors if "Running Speed and Cadence" in v["device"]]


def check_measurement(decoded: RscMeasurement, expected: dict[str, Any]) -> None:
    assert decoded.flags == expected["flags"]
    assert decoded.running == expected["running"]
    assert decoded.speed_m_s == pytest.approx(expected["speed_m_s"])
    if "speed_raw" in expected:
        assert decoded.speed_m_s * 256 == expected["speed_raw"]
    assert decoded.cadence_per_min == expected["cadence_per_min"]
    assert (decoded.stride_length_m is not None) == expected.get(
        "stride_length_present", "stride_length_m" in expected
    )
    if "stride_length_m" in expected:
        assert decoded.stride_length_m == pytest.approx(expected["stride_length_m"])
        assert round(decoded.stride_length_m * 100) == expected["stride_length_raw"]
    if "total_distance_m" in expected:
        assert decoded.total_distance_m == pytest.approx(expected["total_distance_m"])
        assert round(decoded.total_distance_m * 10) == expected["total_distance_raw"]
    else:
        assert decoded.total_distance_m is None


def test_every_rsc_vector_decodes(shared: Path) -> None:
    counts = {"sdk-unit-test": 0, "library-unit-test": 0}
    for vector in rsc_vectors(shared):
        data, expected = bytes.fromhex(vector["hex"]), vector["decoded"]
        if vector["kind"].startswith("read RSC Feature"):
            features = decode_feature(data)
            assert int(features) == expected["features_bits"]
            assert (RscFeature.STRIDE_LENGTH in features) == expected[
                "instantaneous_stride_length_supported"
            ]
            assert (RscFeature.TOTAL_DISTANCE in features) == expected["total_distance_supported"]
            status = RscFeature.WALKING_RUNNING_STATUS in features
            assert status == expected["walking_running_status_supported"]
        else:
            check_measurement(decode_measurement(data), expected)
        counts[vector["provenance"]] += 1
    assert counts == {"sdk-unit-test": 3, "library-unit-test": 1}


def test_message_shorter_than_its_flags_is_rejected() -> None:
    with pytest.raises(DecodeError, match="needs 10 B, got 9"):
        decode_measurement(bytes.fromhex("07 00 03 12 56 00 01 00 00"))
    for data in (b"", b"\x00\x0a\x00", b"\x01\x0a\x00\x14\x56", b"\x02\x0a\x00\x14\x01\x02\x03"):
        with pytest.raises(DecodeError):
            decode_measurement(data)
    with pytest.raises(DecodeError):
        decode_feature(b"\x01")


def test_distance_only_and_trailing_bytes() -> None:
    decoded = decode_measurement(bytes.fromhex("02 00 01 B4 10 27 00 00 FF"))
    assert decoded.stride_length_m is None and decoded.total_distance_m == pytest.approx(1000.0)
    assert decoded.speed_m_s == 1.0 and decoded.cadence_per_min == 180 and not decoded.running


def test_saturated_fields() -> None:
    decoded = decode_measurement(bytes.fromhex("07 FF FF FF FF FF FF FF FF FF"))
    assert decoded.speed_m_s == pytest.approx(65535 / 256)
    assert decoded.cadence_per_min == 255
    assert decoded.stride_length_m == pytest.approx(655.35)
    assert decoded.total_distance_m == pytest.approx(429496729.5)  # wraps at 2**32 decimetres


def test_reserved_feature_bits_are_dropped_and_profile_matches() -> None:
    assert decode_feature(b"\xff\xff") == RscFeature(0x1F)
    assert RSC.matches(
        ("0000180D-0000-1000-8000-00805F9B34FB", "00001814-0000-1000-8000-00805F9B34FB")
    )
    assert not RSC.matches(())


@settings(max_examples=10_000, deadline=None)
@given(st.binary(max_size=14))
def test_any_bytes_decode_or_raise_decode_error(data: bytes) -> None:
    try:
        decoded = decode_measurement(data)
    except DecodeError:
        assert len(data) < 10
    else:
        assert decoded.speed_m_s >= 0
    try:
        decode_feature(data)
    except DecodeError:
        assert len(data) < 2
