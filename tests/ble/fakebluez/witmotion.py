"""A WitMotion WT9011DCL as BlueZ would expose it, streaming the runner simulator's frames.

GATT (9A-base UUIDs): service FFE5 with notify FFE4 (+ CCCD) and write FFE9. Frames come
from ``RunnerModel.samples`` encoded by ``encode_frames``, ``frames_per_notification`` to a
notification, paced by absolute deadlines on the device clock. The output rate starts at
the factory 10 Hz and follows an unlocked ``FF AA 03 <code> 00`` write.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field

import numpy as np
from dbus_fast import DBusError

from drivers.models.witmotion.commands import REG_KEY, REG_RATE, REG_SAVE, UNLOCK_KEY, encode_frames
from drivers.models.witmotion.profile import RATE_CODES_HZ, WITMOTION
from drivers.sim.runner_model import RunnerModel
from drivers.types import FloatArray, Placement
from fakebluez.device import Peripheral
from fakebluez.gatt import FakeCharacteristic, FakeDescriptor, FakeGattService, GattObject

FACTORY_RATE_HZ = 10.0
UNLOCK_WINDOW_S = 10.0
CHUNK = 64  # samples simulated per RunnerModel call (amortises its cost)
CCCD = "00002902-0000-1000-8000-00805f9b34fb"
HZ_BY_CODE = {code: hz for hz, code in RATE_CODES_HZ.items()}


@dataclass
class SentLog:
    """Every sample notified to the host, in order, as the simulator produced it."""

    t_s: list[FloatArray] = field(default_factory=list)
    acc_g: list[FloatArray] = field(default_factory=list)
    gyro_dps: list[FloatArray] = field(default_factory=list)
    notifications: int = 0

    def arrays(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        if not self.t_s:
            return np.empty(0), np.empty((0, 3)), np.empty((0, 3))
        return np.concatenate(self.t_s), np.vstack(self.acc_g), np.vstack(self.gyro_dps)


class WitMotionPeripheral(Peripheral):
    service_uuids = (WITMOTION.service_uuid,)
    manufacturer_data = {0x0000: b"WT"}  # noqa: RUF012

    def __init__(
        self, model: RunnerModel, placement: Placement, frames_per_notification: int = 4
    ) -> None:
        self.model = model
        self.placement = placement
        self.frames = frames_per_notification
        self.rate_hz = FACTORY_RATE_HZ
        self.saved_rate_hz = FACTORY_RATE_HZ
        self.refuse_config = False
        self.writes: list[bytes] = []
        self.sent = SentLog()
        self._epoch = time.monotonic()
        self._unlocked_until = -math.inf
        self._notify: FakeCharacteristic | None = None
        self._task: asyncio.Task[None] | None = None
        self._cache: tuple[float, int, FloatArray, FloatArray] | None = None

    def gatt(self, device_path: str) -> list[GattObject]:
        service = FakeGattService(device_path, 0x000A, WITMOTION.service_uuid)
        notify = FakeCharacteristic(service, 0x000B, WITMOTION.notify_uuid, ["read", "notify"])
        cccd = FakeDescriptor(notify, 0x000D, CCCD)
        write = FakeCharacteristic(
            service, 0x000E, WITMOTION.write_uuid,
            ["write-without-response", "write"], on_write=self.on_write,
        )  # fmt: skip
        self._notify = notify
        return [service, notify, cccd, write]

    def on_write(self, data: bytes) -> None:
        if self.refuse_config:
            raise DBusError("org.bluez.Error.NotPermitted", "Write not permitted")
        self.writes.append(data)
        if len(data) == 5 and data[:2] == b"\xff\xaa":
            self._command(data[2], data[3] | data[4] << 8)

    def _command(self, register: int, value: int) -> None:
        now = self.now_s()
        if register == REG_KEY and value == UNLOCK_KEY:
            self._unlocked_until = now + UNLOCK_WINDOW_S
        elif now > self._unlocked_until:
            return  # locked: the pod ignores settings
        elif register == REG_RATE and value in HZ_BY_CODE:
            self.rate_hz = HZ_BY_CODE[value]
        elif register == REG_SAVE:
            self.saved_rate_hz = self.rate_hz

    def link_up(self) -> None:
        self.rate_hz = self.saved_rate_hz  # a reconnect finds the saved setting
        self._task = asyncio.get_running_loop().create_task(self._stream())

    def link_down(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._notify = None

    def now_s(self) -> float:
        return time.monotonic() - self._epoch

    async def _stream(self) -> None:
        rate_hz = self.rate_hz
        k = math.ceil(self.now_s() * rate_hz)
        while True:
            if self.rate_hz != rate_hz:  # re-anchor the sample grid on a rate change
                rate_hz = self.rate_hz
                k = math.ceil(self.now_s() * rate_hz)
            acc_g, gyro_dps = self._samples(rate_hz, k, self.frames)
            t_s = (k + np.arange(self.frames)) / rate_hz
            k += self.frames
            await asyncio.sleep(max(float(t_s[-1]) - self.now_s(), 0.0))
            notify = self._notify
            if notify is not None and notify.notifying:
                notify.notify(encode_frames(acc_g, gyro_dps, np.zeros_like(acc_g)))
                self._record(t_s, acc_g, gyro_dps)

    def _samples(self, rate_hz: float, k: int, n: int) -> tuple[FloatArray, FloatArray]:
        cache = self._cache
        if (
            cache is None
            or cache[0] != rate_hz
            or not cache[1] <= k <= cache[1] + len(cache[2]) - n
        ):
            t_s = (k + np.arange(max(n, CHUNK))) / rate_hz
            block = self.model.samples(self.placement, t_s)
            cache = self._cache = (rate_hz, k, block.acc_g, block.gyro_dps)
        i = k - cache[1]
        return cache[2][i : i + n], cache[3][i : i + n]

    def _record(self, t_s: FloatArray, acc_g: FloatArray, gyro_dps: FloatArray) -> None:
        self.sent.t_s.append(t_s)
        self.sent.acc_g.append(acc_g)
        self.sent.gyro_dps.append(gyro_dps)
        self.sent.notifications += 1


class AdvertiserPeripheral(Peripheral):
    """A device known only by its advertisement (Polar, MetaMotion, RSC pods, strangers)."""

    def __init__(self, service_uuids: tuple[str, ...]) -> None:
        self.service_uuids = service_uuids
