"""MetaMotion decoders and command builders against the shared vectors and edge cases."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.errors import DecodeError, GaitdeckError
from drivers.models.metamotion import commands, fusion
from drivers.models.metamotion.decode import (
    AccounterSample,
    BatteryState,
    ModuleInfo,
    Sensor,
    SensorSamples,
    StreamConfig,
    chip_from_module_info,
    decode_acc_payload,
    decode_notification,
)
from drivers.models.metamotion.fusion import FusionMode, FusionOutput, FusionSample
from drivers.models.metamotion.profile import METAMOTION_S, Chip, Module

BMI160, BMI270 = Chip.BMI160, Chip.BMI270


def metamotion_vectors(shared: Path) -> list[dict[str, Any]]:
    vectors = json.loads((shared / "protocols" / "test-vectors.json").read_text())
    return [v for v in vectors if v["device"].startswith("MbientLab MetaMotion")]


def payload(vector: dict[str, Any]) -> bytes:
    return bytes.fromhex(vector["hex"])


def config_for(kind: str) -> StreamConfig:
    """Chip and ranges named in the vector's description (defaults otherwise)."""
    acc = re.search(r"\+-(\d+) g", kind)
    gyro = re.search(r"\+-(\d+) dps", kind)
    return StreamConfig(
        BMI270 if "BMI270" in kind else BMI160,
        float(acc.group(1)) if acc else 16.0,
        float(gyro.group(1)) if gyro else 2000.0,
    )


# --- notifications ------------------------------------------------------------------------


FUSION_WIRE_SCALE = {
    FusionOutput.CORRECTED_ACC: 1e-3,  # milli-g on the wire -> g
    FusionOutput.GRAVITY: 1 / 9.80665,  # m/s² on the wire -> g
    FusionOutput.LINEAR_ACC: 1 / 9.80665,
}
UNIT_KEYS = ("acc_g", "samples_g", "gyro_dps", "samples_dps", "b_field_uT")


def check_samples(decoded: Any, kind: str, expected: dict[str, Any]) -> None:
    assert isinstance(decoded, SensorSamples)
    assert decoded.raw.reshape(-1).tolist() == expected["raw_int16"]
    [unit_key] = [k for k in UNIT_KEYS if k in expected]
    np.testing.assert_allclose(decoded.values, np.reshape(expected[unit_key], (-1, 3)), atol=1e-3)
    for key in ("sdk_expected_g", "sdk_expected_dps"):
        if key in expected:
            sdk = np.reshape(expected[key], (-1, 3))
            np.testing.assert_allclose(decoded.values, sdk, atol=6e-4)
    assert decoded.packed == ("packed" in kind) == (len(decoded) == 3)


def check_fusion(decoded: FusionSample, expected: dict[str, Any]) -> None:
    np.testing.assert_allclose(decoded.values, expected["sdk_expected"], atol=6e-4)
    assert decoded.accuracy == expected.get("accuracy")
    wire = np.divide(decoded.values, FUSION_WIRE_SCALE.get(decoded.output, 1.0))
    np.testing.assert_allclose(wire, expected["float32_wire"], atol=1e-4)


def check_accounter(
    decoded: AccounterSample, config: StreamConfig, expected: dict[str, Any]
) -> None:
    assert (decoded.processor_id, decoded.tick) == (expected["processor_id"], expected["tick"])
    acc_g = decode_acc_payload(decoded.data, config.acc_range_g)
    np.testing.assert_allclose(acc_g[0], expected["acc_g"], atol=1e-4)
    np.testing.assert_allclose(acc_g[0], expected["sdk_expected_g"], atol=6e-4)
    assert decoded.device_time_s == pytest.approx(expected["tick"] * 48 / 32768)


def check_notification(vector: dict[str, Any]) -> None:
    expected, kind, config = vector["decoded"], vector["kind"], config_for(vector["kind"])
    decoded = decode_notification(payload(vector), config)
    if isinstance(decoded, SensorSamples):
        check_samples(decoded, kind, expected)
        if "same bytes in test_accelerometer_bmi270" in vector["source"]:
            bmi270 = StreamConfig(BMI270, config.acc_range_g)
            check_samples(decode_notification(payload(vector), bmi270), kind, expected)
    elif isinstance(decoded, FusionSample):
        check_fusion(decoded, expected)
    elif isinstance(decoded, ModuleInfo):
        got = (decoded.module_id, decoded.implementation, decoded.revision, list(decoded.extra))
        assert got == (
            expected["module_id"],
            expected["implementation"],
            expected["revision"],
            expected["extra"],
        )
    elif isinstance(decoded, BatteryState):
        got_battery = (decoded.charge_percent, decoded.voltage_mv)
        assert got_battery == (expected["charge_percent"], expected["voltage_mV"])
    else:
        assert isinstance(decoded, AccounterSample)
        check_accounter(decoded, config, expected)


# --- commands -----------------------------------------------------------------------------

COMMAND_BUILDERS: dict[str, Callable[[], bytes]] = {
    "acc BMI160 config: ODR 200 Hz": lambda: commands.configure_acc(BMI160, 200, 8),
    "acc BMI160 config: ODR 100 Hz": lambda: commands.configure_acc(BMI160, 100, 16),
    "acc BMI270 config: ODR 200 Hz": lambda: commands.configure_acc(BMI270, 200, 8),
    "acc BMI270 config: ODR 100 Hz": lambda: commands.configure_acc(BMI270, 100, 16),
    "acc enable data interrupt": lambda: commands.start_acc(BMI160)[1],
    "acc disable data interrupt": lambda: commands.stop_acc(BMI160)[1],
    "acc power on": lambda: commands.start_acc(BMI270)[2],
    "acc power off": lambda: commands.stop_acc(BMI160)[0],
    "subscribe acceleration notifications": lambda: commands.start_acc(BMI160)[0],
    "subscribe packed acceleration BMI160": lambda: commands.start_acc(BMI160, packed=True)[0],
    "subscribe packed acceleration BMI270": lambda: commands.start_acc(BMI270, packed=True)[0],
    "gyro BMI160 config: ODR 200 Hz": lambda: commands.configure_gyro(BMI160, 200, 2000),
    "gyro BMI160 config: ODR 100 Hz": lambda: commands.configure_gyro(BMI160, 100, 250),
    "gyro enable data interrupt": lambda: commands.start_gyro(BMI160)[1],
    "gyro power on": lambda: commands.start_gyro(BMI160)[2],
    "gyro power off": lambda: commands.stop_gyro(BMI160)[0],
    "subscribe rotation BMI160": lambda: commands.start_gyro(BMI160)[0],
    "subscribe packed rotation BMI160": lambda: commands.start_gyro(BMI160, packed=True)[0],
    "fusion mode NDoF": lambda: fusion.set_mode(FusionMode.NDOF, 16, 2000),
    "fusion mode IMUPlus": lambda: fusion.set_mode(FusionMode.IMU_PLUS, 16, 2000),
    "enable quaternion output": lambda: fusion.enable_outputs(FusionOutput.QUATERNION),
    "sensor fusion start": fusion.start,
    "sensor fusion stop": fusion.stop,
    "clear all outputs": fusion.clear_outputs,
    "reset orientation": fusion.reset_orientation,
    "connection parameters": lambda: commands.set_connection_parameters(750, 1000, 128, 16384),
    "read battery state": commands.read_battery,
    "debug reset": commands.reset,
    "debug disconnect": commands.disconnect,
}


def test_every_metamotion_vector_decodes_or_builds(shared: Path) -> None:
    built = decoded = 0
    for vector in metamotion_vectors(shared):
        assert vector["provenance"].startswith("sdk-unit-test")
        if vector["kind"].startswith("command"):
            [build] = [b for key, b in COMMAND_BUILDERS.items() if key in vector["kind"]]
            assert build() == payload(vector), vector["kind"]
            built += 1
        else:
            check_notification(vector)
            decoded += 1
    assert (built, decoded) == (29, 20)


# --- edge cases ---------------------------------------------------------------------------

BMI160_CFG, BMI270_CFG = StreamConfig(BMI160), StreamConfig(BMI270)


def test_short_wrong_length_and_unknown_notifications_raise() -> None:
    for data in (b"", b"\x03", b"\x03\x04\x01\x02", b"\x03\x1c" + bytes(12), b"\x04\x01\x00"):
        with pytest.raises(DecodeError):
            decode_notification(data, BMI160_CFG)
    with pytest.raises(DecodeError, match="expected 20"):  # 13 05 is packed gyro on a BMI270
        decode_notification(bytes.fromhex("13 05 3E 43 FF 7F 00 80"), BMI270_CFG)
    for data in (b"\x19\x04" + bytes(12), b"\x19\x0b\x00", b"\x11\x8c\x63", b"\x03\x80\x01"):
        with pytest.raises(DecodeError):
            decode_notification(data, BMI160_CFG)


def test_register_maps_differ_between_chips() -> None:
    gyro = bytes.fromhex("13 04 3E 43 FF 7F 00 80")
    decoded = decode_notification(gyro, StreamConfig(BMI270, gyro_range_dps=500))
    assert isinstance(decoded, SensorSamples) and decoded.sensor is Sensor.GYRO
    with pytest.raises(DecodeError):
        decode_notification(gyro, BMI160_CFG)


def test_saturation_uses_the_sdk_scales() -> None:
    extremes = bytes.fromhex("FF 7F 00 80 00 00")
    acc = decode_notification(b"\x03\x04" + extremes, BMI160_CFG)
    gyro = decode_notification(b"\x13\x05" + extremes, BMI160_CFG)
    assert isinstance(acc, SensorSamples) and isinstance(gyro, SensorSamples)
    np.testing.assert_allclose(acc.values[0], [32767 / 2048, -16.0, 0.0])
    np.testing.assert_allclose(
        gyro.values[0], [32767 / 16.4, -32768 / 16.4, 0.0]
    )  # 16.4, not 16.384


def test_unknown_ranges_raise() -> None:
    with pytest.raises(DecodeError):
        decode_notification(b"\x03\x04" + bytes(6), StreamConfig(BMI160, acc_range_g=3))
    with pytest.raises(DecodeError):
        decode_notification(b"\x13\x05" + bytes(6), StreamConfig(BMI160, gyro_range_dps=300))


def test_accounter_tick_at_the_wrap() -> None:
    decoded = decode_notification(bytes.fromhex("09 03 01 FF FF FF FF") + bytes(6), BMI160_CFG)
    assert isinstance(decoded, AccounterSample) and decoded.tick == 2**32 - 1
    with pytest.raises(DecodeError):
        decode_acc_payload(decoded.data[:5], 2.0)


def test_module_info_absent_and_chip_detection() -> None:
    absent = decode_notification(b"\x15\x80", BMI160_CFG)
    assert absent == ModuleInfo(Module.MAGNETOMETER, present=False)
    acc_s = decode_notification(b"\x03\x80\x04\x00", BMI160_CFG)
    gyro_r = decode_notification(b"\x13\x80\x00\x01", BMI160_CFG)
    assert isinstance(acc_s, ModuleInfo) and isinstance(gyro_r, ModuleInfo)
    assert chip_from_module_info(acc_s) is BMI270 and chip_from_module_info(gyro_r) is BMI160
    for info in (absent, ModuleInfo(0x03, True, 9, 0), ModuleInfo(0x04, True, 1, 0)):
        with pytest.raises(DecodeError):
            chip_from_module_info(info)


def test_config_flags_at_low_rates_and_rejections() -> None:
    assert commands.configure_acc(BMI160, 6.25, 2) == bytes.fromhex("03 03 A4 03")
    assert commands.configure_acc(BMI270, 0.78125, 2) == bytes.fromhex("03 03 21 00")
    assert commands.configure_gyro(BMI270, 50, 125) == bytes.fromhex("13 03 27 04")
    with pytest.raises(GaitdeckError, match="416 Hz"):
        commands.configure_acc(BMI160, 416, 8)
    with pytest.raises(GaitdeckError, match="3200"):
        commands.configure_acc(BMI160, 3200, 8)
    with pytest.raises(GaitdeckError):
        commands.configure_gyro(BMI160, 12.5, 2000)
    with pytest.raises(GaitdeckError):
        commands.configure_acc(BMI270, 100, 3)
    with pytest.raises(GaitdeckError):
        fusion.set_mode(FusionMode.NDOF, 16, 125)


def test_stream_and_stop_sequences() -> None:
    start = commands.stream_imu(BMI270, 200, 8, 2000, packed=True)
    assert [c.hex(" ") for c in start] == [
        "03 03 a9 02", "13 03 29 00",
        "03 05 01", "03 02 01 00", "03 01 01",
        "13 05 01", "13 02 01 00", "13 01 01",
    ]  # fmt: skip
    stop = commands.stop_imu(BMI160)
    assert [c.hex(" ") for c in stop] == [
        "03 01 00", "03 02 00 01", "03 04 00", "13 01 00", "13 02 00 01", "13 05 00",
    ]  # fmt: skip
    assert commands.teardown() == [b"\x09\x08", b"\x0a\x05", b"\x0b\x0a"]
    assert commands.read_module_info(Module.GYRO) == b"\x13\x80"
    assert commands.reset_after_garbage_collect() == b"\xfe\x05"
    assert fusion.subscribe(FusionOutput.QUATERNION) == b"\x19\x07\x01"
    assert (
        fusion.enable_outputs(FusionOutput.CORRECTED_ACC, FusionOutput.LINEAR_ACC)
        == b"\x19\x03\x41\x00"
    )


def test_profile_matches_by_service_or_name() -> None:
    assert METAMOTION_S.matches(None, ("326A9000-85CB-9195-D9DD-464CFBBAE75A",))
    assert METAMOTION_S.matches("MetaWear") and not METAMOTION_S.matches("Polar H10 1")


# --- fuzz ---------------------------------------------------------------------------------

MODULES = (0x03, 0x13, 0x15, 0x19, 0x11, 0x09, 0xFE)
REGISTERS = (0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x1C, 0x80, 0x8C)


def steer(data: bytes) -> bytes:
    """Most generated notifications get a module and register gaitdeck decodes.

    A map over one ``st.binary`` keeps generation cheap; about 1 in 8 stays fully random.
    """
    if len(data) < 2 or data[0] < 0x20:
        return data
    module, register = MODULES[data[0] % len(MODULES)], REGISTERS[data[1] % len(REGISTERS)]
    return bytes([module, register]) + data[2:]


@settings(max_examples=10_000, deadline=None)
@given(st.binary(max_size=24).map(steer))
def test_any_bytes_decode_or_raise_decode_error(data: bytes) -> None:
    for config in (BMI160_CFG, BMI270_CFG):
        with contextlib.suppress(DecodeError):
            decode_notification(data, config)
