"""``WitMotionBleSource``: a WitMotion pod over BLE, recovering from link loss by itself.

Configure = unlock, rate, save on FFE9; subscribe = notifications on FFE4 (the pod streams
as soon as they are on). The decoder's stamper is *not* reset across a drop: the first
notification after a reconnect arrives late, so the gap is counted in ``samples_lost`` and
the sample times jump — nothing is interpolated. The connect/backoff/close cycle is
``drivers.ble.pod_source.BlePodSource``.
"""

from __future__ import annotations

import asyncio

from drivers.ble.backoff import Backoff
from drivers.ble.errors import ConfigRefused, GattError, LinkLost
from drivers.ble.link import BleTransport, GattService, find_characteristic
from drivers.ble.pod_source import DEFAULT_TIMINGS, BleLinkStats, BlePodSource, LinkTimings
from drivers.clock_sync import SessionClock
from drivers.models.witmotion.commands import set_rate
from drivers.models.witmotion.profile import WITMOTION, WitMotionProfile
from drivers.notify import WitMotionNotifications
from drivers.types import PodInfo

__all__ = ["BleLinkStats", "LinkTimings", "WitMotionBleSource"]


class WitMotionBleSource(BlePodSource):
    """A WitMotion pod at ``info.address`` streaming at ``info.nominal_rate_hz``."""

    model_key = "witmotion"

    def __init__(
        self,
        info: PodInfo,
        transport: BleTransport | None = None,
        *,
        clock: SessionClock | None = None,
        backoff: Backoff | None = None,
        timings: LinkTimings = DEFAULT_TIMINGS,
        profile: WitMotionProfile = WITMOTION,
    ) -> None:
        super().__init__(info, transport, clock=clock, backoff=backoff, timings=timings)
        self.profile = profile
        self._rate_commands = set_rate(info.nominal_rate_hz)  # unsupported rate: fail here
        self._decoder = WitMotionNotifications(info.nominal_rate_hz, self.stats)

    async def _configure(self, services: tuple[GattService, ...]) -> None:
        write = find_characteristic(services, self.profile.write_uuid)
        if write is None or find_characteristic(services, self.profile.notify_uuid) is None:
            raise GattError(f"{self.info.address} is not a WitMotion pod (no FFE4/FFE9)")
        setting = f"output rate {self.info.nominal_rate_hz:g} Hz"
        response = "write" in write.properties
        for i, command in enumerate(self._rate_commands):
            if i:
                await asyncio.sleep(self.timings.command_gap_s)
            try:
                await self.transport.write(self.profile.write_uuid, command, response=response)
            except GattError as exc:
                if self._link_is_down():
                    raise LinkLost(f"link lost while setting {setting}") from exc
                raise ConfigRefused(setting, str(exc)) from exc

    async def _subscribe(self) -> None:
        await self.transport.start_notify(self.profile.notify_uuid, self._on_notification)

    def _on_notification(self, payload: bytes, arrival_ns: int) -> None:
        self._deliver(self._decoder.feed(payload, self._received(payload, arrival_ns)))
