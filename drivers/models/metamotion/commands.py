"""Pure builders of MetaWear commands (written without response to the command characteristic).

Streaming one sensor: configure, subscribe, enable the data interrupt, power on::

    03 03 <acc_conf> <acc_range>   03 04 01 (or packed)   03 02 01 00   03 01 01
    13 03 <gyr_conf> <gyr_range>   13 05 01 (BMI160)      13 02 01 00   13 01 01

Stopping reverses it: power off, disable the interrupt (``.. 02 00 01``), unsubscribe.
"""

from __future__ import annotations

from drivers.errors import GaitdeckError
from drivers.models.metamotion.profile import (
    ACC_MAX_ODR_CODE,
    ACC_RANGE_CODES,
    ACC_REGISTERS,
    BATTERY_REGISTER,
    BMI160_UNDERSAMPLING,
    BMI270_FILTER_PERFORMANCE,
    CONNECTION_PARAMS_REGISTER,
    GYRO_MIN_ODR_CODE,
    GYRO_RANGE_CODES,
    GYRO_REGISTERS,
    MODULE_INFO_REGISTER,
    NORMAL_BANDWIDTH,
    ODR_CODES_HZ,
    READ_BIT,
    SILENT_BIT,
    Chip,
    Module,
    SensorRegisters,
)


def command(module: int, register: int, *payload: int) -> bytes:
    return bytes([module, register, *payload])


def read_register(module: int, register: int, silent: bool = False) -> bytes:
    return command(module, register | READ_BIT | (SILENT_BIT if silent else 0))


def read_module_info(module: Module) -> bytes:
    """Ask whether a module exists and which implementation/revision it is."""
    return read_register(module, MODULE_INFO_REGISTER)


def _odr_code(rate_hz: float, lowest: int, highest: int, sensor: str) -> int:
    code = ODR_CODES_HZ.get(rate_hz)
    if code is None or not lowest <= code <= highest:
        rates = [f"{r:g}" for r, c in ODR_CODES_HZ.items() if lowest <= c <= highest]
        raise GaitdeckError(
            f"MetaMotion {sensor} cannot run at {rate_hz:g} Hz ({', '.join(rates)})"
        )
    return code


def configure_acc(chip: Chip, rate_hz: float, range_g: float) -> bytes:
    """``03 03 <acc_conf> <acc_range>``: ODR code | normal bandwidth | chip-specific bit 7."""
    code = _odr_code(rate_hz, 1, ACC_MAX_ODR_CODE, "accelerometer")
    range_code = ACC_RANGE_CODES[chip].get(range_g)
    if range_code is None:
        raise GaitdeckError(f"MetaMotion accelerometer has no ±{range_g:g} g range")
    if chip is Chip.BMI160:
        flag = BMI160_UNDERSAMPLING if rate_hz < 12.5 else 0
    else:
        flag = BMI270_FILTER_PERFORMANCE if rate_hz >= 12.5 else 0
    conf = code | NORMAL_BANDWIDTH | flag
    return command(Module.ACCELEROMETER, ACC_REGISTERS[chip].config, conf, range_code)


def configure_gyro(chip: Chip, rate_hz: float, range_dps: float) -> bytes:
    """``13 03 <gyr_conf> <gyr_range>``; the same encoding on BMI160 and BMI270."""
    code = _odr_code(rate_hz, GYRO_MIN_ODR_CODE, max(ODR_CODES_HZ.values()), "gyro")
    range_code = GYRO_RANGE_CODES.get(range_dps)
    if range_code is None:
        raise GaitdeckError(f"MetaMotion gyro has no ±{range_dps:g} deg/s range")
    conf = code | NORMAL_BANDWIDTH
    return command(Module.GYRO, GYRO_REGISTERS[chip].config, conf, range_code)


def _start(module: Module, registers: SensorRegisters, packed: bool) -> list[bytes]:
    data = registers.packed if packed else registers.data
    return [
        command(module, data, 1),
        command(module, registers.interrupt, 1, 0),
        command(module, registers.power, 1),
    ]


def _stop(module: Module, registers: SensorRegisters, packed: bool) -> list[bytes]:
    data = registers.packed if packed else registers.data
    return [
        command(module, registers.power, 0),
        command(module, registers.interrupt, 0, 1),
        command(module, data, 0),
    ]


def start_acc(chip: Chip, packed: bool = False) -> list[bytes]:
    """Subscribe, enable the data interrupt, power on (after ``configure_acc``)."""
    return _start(Module.ACCELEROMETER, ACC_REGISTERS[chip], packed)


def stop_acc(chip: Chip, packed: bool = False) -> list[bytes]:
    return _stop(Module.ACCELEROMETER, ACC_REGISTERS[chip], packed)


def start_gyro(chip: Chip, packed: bool = False) -> list[bytes]:
    return _start(Module.GYRO, GYRO_REGISTERS[chip], packed)


def stop_gyro(chip: Chip, packed: bool = False) -> list[bytes]:
    return _stop(Module.GYRO, GYRO_REGISTERS[chip], packed)


def stream_imu(
    chip: Chip, rate_hz: float, range_g: float, range_dps: float, packed: bool = False
) -> list[bytes]:
    """Everything to start acc and gyro streaming at one rate."""
    return [
        configure_acc(chip, rate_hz, range_g),
        configure_gyro(chip, rate_hz, range_dps),
        *start_acc(chip, packed),
        *start_gyro(chip, packed),
    ]


def stop_imu(chip: Chip, packed: bool = False) -> list[bytes]:
    return [*stop_acc(chip, packed), *stop_gyro(chip, packed)]


def read_battery() -> bytes:
    """Reply ``11 8C <charge %> <mV uint16>``."""
    return read_register(Module.SETTINGS, BATTERY_REGISTER, silent=True)


def set_connection_parameters(
    min_interval_ms: float, max_interval_ms: float, latency: int, timeout_ms: float
) -> bytes:
    """``11 09``: intervals in 1.25 ms units, supervision timeout in 10 ms units (truncated)."""
    fields = (
        int(min_interval_ms / 1.25),
        int(max_interval_ms / 1.25),
        latency,
        int(timeout_ms / 10),
    )
    if not all(0 <= f <= 0xFFFF for f in fields):
        raise GaitdeckError(f"connection parameters out of range: {fields}")
    payload = b"".join(f.to_bytes(2, "little") for f in fields)
    return command(Module.SETTINGS, CONNECTION_PARAMS_REGISTER) + payload


def teardown() -> list[bytes]:
    """Remove all data processors, events and loggers (the SDK's tear-down)."""
    return [
        command(Module.DATA_PROCESSOR, 0x08),
        command(Module.EVENT, 0x05),
        command(Module.LOGGING, 0x0A),
    ]


def reset() -> bytes:
    return command(Module.DEBUG, 0x01)


def reset_after_garbage_collect() -> bytes:
    return command(Module.DEBUG, 0x05)


def disconnect() -> bytes:
    return command(Module.DEBUG, 0x06)
