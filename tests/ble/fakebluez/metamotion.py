"""A MetaMotion board (MetaWear firmware) as BlueZ would expose it, plus Battery and DIS.

Commands written to 326A9001 are answered on 326A9006 like the firmware does: module info
(``03 80`` -> ``03 80 <impl> <rev>``), battery (``11 CC`` -> ``11 8C <%> <mV>``). Config
writes set the rate and ranges; subscribe + interrupt + power-on start a sensor, which then
notifies plain (``03 04`` / gyro data register) or packed (3 samples) frames of
``RunnerModel`` samples, paced by absolute deadlines. Power-off stops it.
"""

from __future__ import annotations

import asyncio
import math
import struct
import time
from dataclasses import dataclass, field

import numpy as np
from dbus_fast import DBusError

from drivers.models.metamotion.profile import (
    ACC_LSB_PER_G,
    ACC_RANGE_CODES,
    ACC_REGISTERS,
    COMMAND_UUID,
    GYRO_LSB_PER_DPS,
    GYRO_RANGE_CODES,
    GYRO_REGISTERS,
    METAWEAR_SERVICE_UUID,
    MODEL_NUMBER_UUID,
    NOTIFY_UUID,
    ODR_CODES_HZ,
    Chip,
)
from drivers.sim.runner_model import RunnerModel
from drivers.types import FloatArray, Placement
from fakebluez.battery import battery_service
from fakebluez.device import Peripheral
from fakebluez.gatt import FakeCharacteristic, FakeDescriptor, FakeGattService, GattObject
from fakebluez.witmotion import CCCD

ACC, GYRO = 0x03, 0x13
REPLY_DELAY_S = 0.002
HZ_BY_ODR = {code: hz for hz, code in ODR_CODES_HZ.items()}
MODULE_INFO = {Chip.BMI160: {ACC: (1, 1), GYRO: (0, 1)}, Chip.BMI270: {ACC: (4, 0), GYRO: (1, 0)}}
DIS_SERVICE = "0000180a-0000-1000-8000-00805f9b34fb"


@dataclass
class SensorState:
    rate_hz: float = 100.0
    lsb: float = 1.0
    subscribed: int | None = None  # the data or packed register subscribed to
    powered: bool = False
    t_s: list[FloatArray] = field(default_factory=list)  # host seconds since the epoch
    values: list[FloatArray] = field(default_factory=list)

    def arrays(self) -> tuple[FloatArray, FloatArray]:
        if not self.t_s:
            return np.empty(0), np.empty((0, 3))
        return np.concatenate(self.t_s), np.vstack(self.values)


class MetaMotionPeripheral(Peripheral):
    service_uuids = (METAWEAR_SERVICE_UUID,)

    def __init__(
        self, model: RunnerModel, placement: Placement, chip: Chip = Chip.BMI160,
        battery_pct: int = 99,
    ) -> None:  # fmt: skip
        self.model = model
        self.placement = placement
        self.chip = chip
        self.battery_pct = battery_pct
        self.refuse_config = False  # configuration writes fail with a GATT error
        self.writes: list[bytes] = []
        self.sensors = {ACC: SensorState(), GYRO: SensorState()}
        self._epoch = time.monotonic()
        self._notify: FakeCharacteristic | None = None
        self._task: asyncio.Task[None] | None = None

    def gatt(self, device_path: str) -> list[GattObject]:
        service = FakeGattService(device_path, 0x0040, METAWEAR_SERVICE_UUID)
        command = FakeCharacteristic(
            service, 0x0041, COMMAND_UUID, ["write-without-response", "write"],
            on_write=self.on_write,
        )  # fmt: skip
        notify = FakeCharacteristic(service, 0x0043, NOTIFY_UUID, ["notify"])
        dis = FakeGattService(device_path, 0x0020, DIS_SERVICE)
        model_number = FakeCharacteristic(dis, 0x0021, MODEL_NUMBER_UUID, ["read"])
        model_number.value = b"5" if self.chip is Chip.BMI160 else b"8"
        self._notify = notify
        return [
            *battery_service(device_path, 0x0010, self.battery_pct), dis, model_number,
            service, command, notify, FakeDescriptor(notify, 0x0044, CCCD),
        ]  # fmt: skip

    def link_down(self) -> None:
        for sensor in self.sensors.values():
            sensor.powered = False
            sensor.subscribed = None
        self._sync_task()
        self._notify = None

    def host_s(self) -> float:
        return time.monotonic() - self._epoch

    # -- commands ------------------------------------------------------------------------

    def on_write(self, data: bytes) -> None:
        self.writes.append(data)
        module, register, payload = data[0], data[1], data[2:]
        if register == 0x80 and module in (ACC, GYRO):
            impl, rev = MODULE_INFO[self.chip][module]
            self._reply(bytes([module, 0x80, impl, rev]))
        elif data == b"\x11\xcc":
            self._reply(struct.pack("<BBBH", 0x11, 0x8C, self.battery_pct, 4012))
        elif module in (ACC, GYRO):
            self._sensor_command(module, register, payload)

    def _sensor_command(self, module: int, register: int, payload: bytes) -> None:
        sensor = self.sensors[module]
        registers = ACC_REGISTERS[self.chip] if module == ACC else GYRO_REGISTERS[self.chip]
        if register == registers.config:
            if self.refuse_config:
                raise DBusError("org.bluez.Error.Failed", "Operation failed with ATT error: 0x80")
            sensor.rate_hz = HZ_BY_ODR[payload[0] & 0x0F]
            sensor.lsb = self._lsb(module, payload[1])
        elif register in (registers.data, registers.packed):
            sensor.subscribed = register if payload[0] else None
        elif register == registers.power:
            sensor.powered = bool(payload[0])
            self._sync_task()

    def _lsb(self, module: int, range_code: int) -> float:
        if module == ACC:
            range_g = {c: g for g, c in ACC_RANGE_CODES[self.chip].items()}[range_code]
            return ACC_LSB_PER_G[range_g]
        range_dps = {c: d for d, c in GYRO_RANGE_CODES.items()}[range_code]
        return GYRO_LSB_PER_DPS[range_dps]

    def _reply(self, payload: bytes) -> None:
        def send() -> None:
            if self._notify is not None and self._notify.notifying:
                self._notify.notify(payload)

        asyncio.get_running_loop().call_later(REPLY_DELAY_S, send)

    # -- streaming -----------------------------------------------------------------------

    def _sync_task(self) -> None:
        running = any(s.powered for s in self.sensors.values())
        if running and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._stream())
        elif not running and self._task is not None:
            self._task.cancel()
            self._task = None

    async def _stream(self) -> None:
        rate_hz = self.sensors[ACC].rate_hz
        k = math.ceil(self.host_s() * rate_hz)
        while True:
            t_s = np.array([k / rate_hz])
            await asyncio.sleep(max(float(t_s[0]) - self.host_s(), 0.0))
            block = self.model.samples(self.placement, t_s)
            for module, values in ((ACC, block.acc_g), (GYRO, block.gyro_dps)):
                self._sample(module, t_s, values)
            k += 1

    def _sample(self, module: int, t_s: FloatArray, values: FloatArray) -> None:
        sensor = self.sensors[module]
        registers = ACC_REGISTERS[self.chip] if module == ACC else GYRO_REGISTERS[self.chip]
        if not sensor.powered or sensor.subscribed is None:
            return
        sensor.t_s.append(t_s)
        sensor.values.append(values)
        packed = sensor.subscribed == registers.packed
        if packed and sum(len(t) for t in sensor.t_s) % 3:
            return
        recent = np.vstack(sensor.values[-3:]) if packed else values
        raw = np.clip(np.rint(recent * sensor.lsb), -32768, 32767).astype("<i2")
        if self._notify is not None and self._notify.notifying:
            self._notify.notify(bytes([module, sensor.subscribed]) + raw.tobytes())
