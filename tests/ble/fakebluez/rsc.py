"""A Running Speed and Cadence foot pod (0x1814) as BlueZ would expose it, plus Battery.

RSC Measurement (0x2A53) notifies flags 0x07 (stride length, total distance, running),
speed and cadence from the runner profile with a small wobble, every ``interval_s`` (real
pods: about 1 s; shorter here to keep tests quick), paced by absolute deadlines. RSC
Feature (0x2A54) reads 0x0007.
"""

from __future__ import annotations

import asyncio
import struct
import time
from dataclasses import dataclass

from drivers.models.rsc.profile import RSC_FEATURE_UUID, RSC_MEASUREMENT_UUID, RSC_SERVICE_UUID
from drivers.sim.profiles import RunnerProfile
from fakebluez.battery import battery_service
from fakebluez.device import Peripheral
from fakebluez.gatt import FakeCharacteristic, FakeDescriptor, FakeGattService, GattObject
from fakebluez.witmotion import CCCD


@dataclass(frozen=True)
class SentMeasurement:
    host_s: float
    speed_raw: int  # 1/256 m/s
    cadence_per_min: int
    payload: bytes


class RscPeripheral(Peripheral):
    service_uuids = (RSC_SERVICE_UUID,)

    def __init__(
        self, runner: RunnerProfile, interval_s: float = 0.2, battery_pct: int = 64
    ) -> None:
        self.runner = runner
        self.interval_s = interval_s
        self.battery_pct = battery_pct
        self.sent: list[SentMeasurement] = []
        self.distance_dm = 0
        self._epoch = time.monotonic()
        self._notify: FakeCharacteristic | None = None
        self._task: asyncio.Task[None] | None = None

    def gatt(self, device_path: str) -> list[GattObject]:
        service = FakeGattService(device_path, 0x0020, RSC_SERVICE_UUID)
        measurement = FakeCharacteristic(service, 0x0021, RSC_MEASUREMENT_UUID, ["notify"])
        feature = FakeCharacteristic(service, 0x0024, RSC_FEATURE_UUID, ["read"])
        feature.value = struct.pack("<H", 0x0007)
        self._notify = measurement
        return [
            *battery_service(device_path, 0x0010, self.battery_pct),
            service, measurement, FakeDescriptor(measurement, 0x0023, CCCD), feature,
        ]  # fmt: skip

    def link_up(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._stream())

    def link_down(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._notify = None

    def measurement(self, k: int) -> SentMeasurement:
        wobble = (-1, 0, 1, 0)[k % 4]
        speed_raw = round(self.runner.speed_mps * 256) + 3 * wobble
        cadence = round(self.runner.cadence_spm) + wobble
        stride_cm = round(100 * speed_raw / 256 / (cadence / 60))
        self.distance_dm += round(10 * speed_raw / 256 * self.interval_s)
        payload = struct.pack("<BHBHI", 0x07, speed_raw, cadence, stride_cm, self.distance_dm)
        return SentMeasurement(time.monotonic() - self._epoch, speed_raw, cadence, payload)

    async def _stream(self) -> None:
        deadline = time.monotonic()
        k = 0
        while True:
            deadline += self.interval_s
            await asyncio.sleep(max(deadline - time.monotonic(), 0.0))
            notify = self._notify
            if notify is not None and notify.notifying:
                sent = self.measurement(k)
                notify.notify(sent.payload)
                self.sent.append(sent)
                k += 1
