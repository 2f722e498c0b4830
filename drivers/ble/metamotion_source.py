"""``MetaMotionBleSource``: an MbientLab MetaMotion board (MetaWear firmware) over BLE.

Configure: enable notifications (every reply arrives there), read the accelerometer and
gyro module info (``03 80`` / ``13 80``: BMI160 on R/RL/C, BMI270 on S), write the acc and
gyro rate and range. Battery: the board's own ``11 CC`` read. Subscribe: per sensor
subscribe, enable the data interrupt, power on — packed (3 samples a notification) above
100 Hz where the board supports it, plain otherwise. Close: power off and disable both
sensors, then the SDK's tear-down (remove processors, events, loggers). Commands are
written without response; a failing configuration write is ``ConfigRefused`` naming it.
"""

from __future__ import annotations

import asyncio

from drivers.ble.backoff import Backoff
from drivers.ble.errors import ConfigRefused, GattError, LinkLost
from drivers.ble.link import BleTransport, GattService, find_characteristic
from drivers.ble.pod_source import DEFAULT_TIMINGS, BlePodSource, LinkTimings
from drivers.clock_sync import SessionClock
from drivers.errors import DecodeError
from drivers.models.metamotion import commands
from drivers.models.metamotion.decode import (
    ModuleInfo,
    StreamConfig,
    chip_from_module_info,
    decode_battery,
    decode_module_info,
)
from drivers.models.metamotion.profile import (
    BATTERY_REGISTER,
    COMMAND_UUID,
    MODULE_INFO_REGISTER,
    NOTIFY_UUID,
    PACKED_GYRO_MIN_REVISION,
    READ_BIT,
    Chip,
    Module,
)
from drivers.notify.metamotion import MetaMotionNotifications
from drivers.types import PodInfo

PACK_ABOVE_HZ = 100.0  # plain notifications carry about 100 samples/s per sensor at most


class MetaMotionBleSource(BlePodSource):
    """A MetaMotion board at ``info.address`` streaming acc + gyro at ``info.nominal_rate_hz``."""

    model_key = "metamotion"

    def __init__(
        self,
        info: PodInfo,
        transport: BleTransport | None = None,
        *,
        clock: SessionClock | None = None,
        backoff: Backoff | None = None,
        timings: LinkTimings = DEFAULT_TIMINGS,
        acc_range_g: float = 16.0,
        gyro_range_dps: float = 2000.0,
    ) -> None:
        super().__init__(info, transport, clock=clock, backoff=backoff, timings=timings)
        self.rate_hz = info.nominal_rate_hz
        self.config = StreamConfig(Chip.BMI160, acc_range_g, gyro_range_dps)
        commands.stream_imu(Chip.BMI160, self.rate_hz, acc_range_g, gyro_range_dps)  # checks
        self.packed = False
        self.decoder = MetaMotionNotifications(self.rate_hz, self.stats, self.config)
        self._replies: dict[tuple[int, int], asyncio.Future[bytes]] = {}

    async def _configure(self, services: tuple[GattService, ...]) -> None:
        for uuid in (COMMAND_UUID, NOTIFY_UUID):
            if find_characteristic(services, uuid) is None:
                raise GattError(f"{self.info.address} is not a MetaWear board (no {uuid[:8]})")
        await self.transport.start_notify(NOTIFY_UUID, self._on_notification)
        acc, gyro = (
            await self._module_info(Module.ACCELEROMETER),
            await self._module_info(Module.GYRO),
        )
        chip = self._chip(acc, gyro)
        self.config = StreamConfig(chip, self.config.acc_range_g, self.config.gyro_range_dps)
        self.decoder.config = self.config
        self._tap_control({"chip": chip.value, "acc_range_g": self.config.acc_range_g,
                           "gyro_range_dps": self.config.gyro_range_dps})  # fmt: skip
        self.packed = self.rate_hz > PACK_ABOVE_HZ and _packs_gyro(chip, gyro)
        acc_setting = f"MetaMotion accelerometer {self.rate_hz:g} Hz ±{self.config.acc_range_g:g} g"
        await self._write(
            commands.configure_acc(chip, self.rate_hz, self.config.acc_range_g), acc_setting
        )
        gyro_setting = f"MetaMotion gyro {self.rate_hz:g} Hz ±{self.config.gyro_range_dps:g} deg/s"
        await self._write(
            commands.configure_gyro(chip, self.rate_hz, self.config.gyro_range_dps), gyro_setting
        )

    def _chip(self, acc: ModuleInfo, gyro: ModuleInfo) -> Chip:
        try:
            chip = chip_from_module_info(acc)
            if chip_from_module_info(gyro) is not chip:
                raise DecodeError("accelerometer and gyro report different chips")
        except DecodeError as exc:
            raise GattError(f"{self.info.address}: unsupported MetaWear IMU ({exc})") from exc
        return chip

    async def _read_battery(self, services: tuple[GattService, ...]) -> int | None:
        reply = await self._query(
            commands.read_battery(), (Module.SETTINGS, BATTERY_REGISTER | READ_BIT)
        )
        try:
            return decode_battery(reply).charge_percent
        except DecodeError as exc:
            raise GattError(f"battery reply unreadable: {exc}") from exc

    async def _subscribe(self) -> None:
        chip = self.config.chip
        for command in [
            *commands.start_acc(chip, self.packed),
            *commands.start_gyro(chip, self.packed),
        ]:
            await self._write(command, "starting the accelerometer and gyro")

    async def _stop_streaming(self) -> None:
        for command in [*commands.stop_imu(self.config.chip, self.packed), *commands.teardown()]:
            await self.transport.write(COMMAND_UUID, command, response=False)

    def _session_ended(self) -> None:
        self.decoder.link_lost()
        self._tap_link_lost()
        for future in self._replies.values():
            if not future.done():
                future.set_exception(GattError("link lost while waiting for a MetaWear reply"))
        self._replies.clear()

    async def _module_info(self, module: Module) -> ModuleInfo:
        reply = await self._query(
            commands.read_module_info(module), (module, MODULE_INFO_REGISTER | READ_BIT)
        )
        try:
            return decode_module_info(reply)
        except DecodeError as exc:
            raise GattError(f"module 0x{module:02X} info unreadable: {exc}") from exc

    async def _query(self, command: bytes, reply_key: tuple[int, int]) -> bytes:
        """Write a read command and wait for the notification starting with ``reply_key``."""
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._replies[reply_key] = future
        try:
            await self.transport.write(COMMAND_UUID, command, response=False)
            async with asyncio.timeout(self.timings.response_timeout_s):
                return await future
        except TimeoutError:
            raise GattError(f"no MetaWear reply to {command.hex(' ')}") from None
        finally:
            self._replies.pop(reply_key, None)

    async def _write(self, command: bytes, setting: str) -> None:
        try:
            await self.transport.write(COMMAND_UUID, command, response=False)
        except GattError as exc:
            if self._link_is_down():
                raise LinkLost(f"link lost while writing {setting}") from exc
            raise ConfigRefused(setting, str(exc)) from exc
        await asyncio.sleep(self.timings.command_gap_s)

    def _on_notification(self, payload: bytes, arrival_ns: int) -> None:
        future = self._replies.get((payload[0], payload[1])) if len(payload) >= 2 else None
        if future is not None:
            if not future.done():
                future.set_result(payload)
            return
        self._deliver(self.decoder.feed(payload, self._received(payload, arrival_ns)))


def _packs_gyro(chip: Chip, gyro: ModuleInfo) -> bool:
    """BMI270 boards pack both sensors; BMI160 gyro packing needs gyro revision >= 1."""
    return chip is Chip.BMI270 or (gyro.revision or 0) >= PACKED_GYRO_MIN_REVISION
