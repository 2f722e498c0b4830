"""A Polar Verity Sense (or H10) as BlueZ would expose it: PMD service plus Battery Service.

The control point answers reads with the feature bitmap and commands with real
``F0 op type status more params`` indications (get settings, start, stop, SDK mode). The data
characteristic notifies ACC (and GYRO) frames built from ``RunnerModel`` samples: Verity
frames are delta-compressed (ACC 0x81 in mG × factor, GYRO 0x80 in deg/s × factor, the
factor sent in the start response); H10 frames are uncompressed ACC 0x01 (mG). The device
clock counts ns since 2000 and runs ``drift_ppm`` fast against the host; frames are paced by
absolute deadlines and stamped with the device time of their last sample.
"""

from __future__ import annotations

import asyncio
import math
import struct
import time
from dataclasses import dataclass, field

import numpy as np

from drivers.models.polar.profile import PMD_CONTROL_POINT_UUID, PMD_DATA_UUID, PMD_SERVICE_UUID
from drivers.sim.runner_model import RunnerModel
from drivers.types import FloatArray, Placement
from fakebluez.battery import battery_service
from fakebluez.device import Peripheral
from fakebluez.gatt import FakeCharacteristic, FakeDescriptor, FakeGattService, GattObject
from fakebluez.pmd_encode import delta_frame, uncompressed_frame
from fakebluez.witmotion import CCCD

ACC, GYRO, SDK = 2, 5, 9
DEVICE_EPOCH_NS = 847_000_000_000_000_000  # ns since 2000-01-01: late 2026
ANSWER_DELAY_S = 0.002
SDK_RATES = (26, 52, 104, 208, 416)


SETTING_WIDTH = {0: 2, 1: 2, 2: 2, 3: 4, 4: 1}


def start_settings(params: bytes) -> dict[int, int]:
    """Setting type -> value of a start command's TLVs (count 1 each)."""
    chosen, i = {}, 0
    while i + 2 <= len(params):
        width = SETTING_WIDTH.get(params[i], 0)
        chosen[params[i]] = int.from_bytes(params[i + 2 : i + 2 + width], "little")
        i += 2 + params[i + 1] * width
    return chosen


@dataclass(frozen=True)
class Offer:
    rates: tuple[int, ...]
    ranges: tuple[int, ...]

    def tlvs(self) -> bytes:
        rates = b"".join(struct.pack("<H", r) for r in self.rates)
        ranges = b"".join(struct.pack("<H", r) for r in self.ranges)
        return (
            bytes([0, len(self.rates)]) + rates + bytes([1, 1, 16, 0])
            + bytes([2, len(self.ranges)]) + ranges + bytes([4, 1, 3])
        )  # fmt: skip


VERITY_OFFERS = {
    (False, ACC): Offer((52,), (8,)), (False, GYRO): Offer((52,), (2000,)),
    (True, ACC): Offer(SDK_RATES, (2, 4, 8, 16)),
    (True, GYRO): Offer(SDK_RATES, (250, 500, 1000, 2000)),
}  # fmt: skip
H10_OFFERS = {(False, ACC): Offer((25, 50, 100, 200), (2, 4, 8))}


@dataclass
class StreamLog:
    """Samples notified, in order: host seconds since the fake's epoch, simulated values."""

    t_s: list[FloatArray] = field(default_factory=list)
    values: list[FloatArray] = field(default_factory=list)
    device_ns: list[int] = field(default_factory=list)  # each frame's timestamp

    def arrays(self) -> tuple[FloatArray, FloatArray]:
        if not self.t_s:
            return np.empty(0), np.empty((0, 3))
        return np.concatenate(self.t_s), np.vstack(self.values)


@dataclass
class Running:
    rate_hz: int
    range_: int
    gain: float  # physical unit per raw count
    task: asyncio.Task[None]


class PolarPeripheral(Peripheral):
    service_uuids = (PMD_SERVICE_UUID,)

    def __init__(
        self, model: RunnerModel, placement: Placement, *, h10: bool = False,
        drift_ppm: float = 40.0, battery_pct: int = 87, samples_per_frame: int = 0,
    ) -> None:  # fmt: skip
        self.model = model
        self.placement = placement
        self.h10 = h10
        self.drift = drift_ppm * 1e-6
        self.battery_pct = battery_pct
        self.samples_per_frame = samples_per_frame
        self.offers = H10_OFFERS if h10 else VERITY_OFFERS
        self.refuse_config = False  # answer starts with INVALID_PARAMETER
        self.sdk_mode = False
        self.commands: list[bytes] = []
        self.logs = {ACC: StreamLog(), GYRO: StreamLog()}
        self.running: dict[int, Running] = {}
        self._epoch = time.monotonic()
        self._cp: FakeCharacteristic | None = None
        self._data: FakeCharacteristic | None = None

    def features(self) -> bytes:
        if self.h10:
            return bytes([0x0F, 0x05, 0x00])  # ECG + ACC
        return bytes([0x0F, 0x26, 0x02])  # PPG, ACC, GYRO; SDK mode

    def gatt(self, device_path: str) -> list[GattObject]:
        service = FakeGattService(device_path, 0x0030, PMD_SERVICE_UUID)
        cp = FakeCharacteristic(
            service, 0x0031, PMD_CONTROL_POINT_UUID, ["read", "write", "indicate"],
            on_write=self.on_command, on_read=self.features,
        )  # fmt: skip
        data = FakeCharacteristic(service, 0x0034, PMD_DATA_UUID, ["notify"])
        self._cp, self._data = cp, data
        return [
            *battery_service(device_path, 0x0010, self.battery_pct),
            service, cp, FakeDescriptor(cp, 0x0033, CCCD), data, FakeDescriptor(data, 0x0036, CCCD),
        ]  # fmt: skip

    def link_down(self) -> None:
        for stream in list(self.running):
            self._stop(stream)
        self.sdk_mode = False
        self._cp = self._data = None

    # -- the device clock ----------------------------------------------------------------

    def host_s(self) -> float:
        return time.monotonic() - self._epoch

    def device_s(self, host_s: float) -> float:
        return host_s * (1.0 + self.drift)

    def device_ns(self, device_s: float) -> int:
        return DEVICE_EPOCH_NS + round(device_s * 1e9)

    # -- control point -------------------------------------------------------------------

    def on_command(self, data: bytes) -> None:
        self.commands.append(data)
        op, kind = data[0], data[1] & 0x3F if len(data) > 1 else 0
        answer = self._answer(op, kind, data[2:])
        asyncio.get_running_loop().call_later(ANSWER_DELAY_S, self._indicate, answer)

    def _answer(self, op: int, kind: int, params: bytes) -> list[bytes]:
        if op == 0x01:
            offer = self.offers.get((self.sdk_mode, kind))
            if offer is None:
                return [bytes([0xF0, op, kind, 3, 0])]  # NOT_SUPPORTED
            tlvs = offer.tlvs()
            if self.sdk_mode:  # long answers come in two indications
                return [
                    bytes([0xF0, op, kind, 0, 1]) + tlvs[:6],
                    bytes([0xF0, op, kind, 0, 0]) + tlvs[6:],
                ]
            return [bytes([0xF0, op, kind, 0, 0]) + tlvs]
        if op == 0x02:
            return [self._start(kind, params)]
        if op == 0x03:
            if kind == SDK:
                self.sdk_mode = False
            self._stop(kind)
            return [bytes([0xF0, op, kind, 0, 0])]
        return [bytes([0xF0, op, kind, 1, 0])]  # INVALID_OP_CODE

    def _start(self, kind: int, params: bytes) -> bytes:
        if kind == SDK and not self.h10:
            status = 6 if self.sdk_mode else 0
            self.sdk_mode = True
            return bytes([0xF0, 0x02, kind, status, 0])
        chosen = start_settings(params)
        offer = self.offers.get((self.sdk_mode, kind))
        rate, range_ = chosen.get(0, 0), chosen.get(2, 0)
        if kind in self.running:
            return bytes([0xF0, 0x02, kind, 6, 0])
        if (
            self.refuse_config
            or offer is None
            or rate not in offer.rates
            or range_ not in offer.ranges
        ):
            return bytes([0xF0, 0x02, kind, 5, 0])  # INVALID_PARAMETER
        factor = (range_ * 1000.0 if kind == ACC else float(range_)) / 32768.0
        gain = 1e-3 if kind == ACC and self.h10 else factor * (1e-3 if kind == ACC else 1.0)
        task = asyncio.get_running_loop().create_task(self._stream(kind, rate, gain))
        self.running[kind] = Running(rate, range_, gain, task)
        if self.h10:
            return bytes([0xF0, 0x02, kind, 0, 0])
        return bytes([0xF0, 0x02, kind, 0, 0, 5, 1]) + struct.pack("<f", factor)

    def _stop(self, kind: int) -> None:
        running = self.running.pop(kind, None)
        if running is not None:
            running.task.cancel()

    def _indicate(self, answers: list[bytes]) -> None:
        cp = self._cp
        if cp is not None and cp.notifying:
            for answer in answers:
                cp.notify(answer)

    # -- data ----------------------------------------------------------------------------

    async def _stream(self, kind: int, rate_hz: int, gain: float) -> None:
        n = self.samples_per_frame or min(max(1, round(rate_hz / 8)), 36)
        k = math.ceil(self.device_s(self.host_s()) * rate_hz)
        while True:
            device_s = (k + np.arange(n)) / rate_hz
            host_s = device_s / (1.0 + self.drift)
            values = self._values(kind, host_s)
            await asyncio.sleep(max(float(host_s[-1]) - self.host_s(), 0.0))
            raw = np.clip(np.rint(values / gain), -32768, 32767).astype(np.int64)
            stamp = self.device_ns(float(device_s[-1]))
            self._send(kind, stamp, raw, host_s, values)
            k += n

    def _values(self, kind: int, host_s: FloatArray) -> FloatArray:
        block = self.model.samples(self.placement, host_s)
        return block.acc_g if kind == ACC else block.gyro_dps

    def _send(
        self, kind: int, stamp: int, raw: np.ndarray, host_s: FloatArray, values: FloatArray
    ) -> None:
        data = self._data
        if data is None or not data.notifying:
            return
        if self.h10:
            frame = uncompressed_frame(kind, stamp, raw)
        else:
            frame = delta_frame(kind, stamp, raw, 0x81 if kind == ACC else 0x80)
        data.notify(frame)
        log = self.logs[kind]
        log.t_s.append(host_s)
        log.values.append(values)
        log.device_ns.append(stamp)
