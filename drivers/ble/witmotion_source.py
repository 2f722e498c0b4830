"""``WitMotionBleSource``: a WitMotion pod over BLE, recovering from link loss by itself.

One session is connect → configure (unlock, rate, save on FFE9) → subscribe (FFE4) →
stream until the link drops or goes silent. Between sessions the source waits by error
class (``drivers.ble.backoff``) and tries again, for ever, except when the pod keeps
refusing its settings. The decoder's stamper is *not* reset across a drop: the first
notification after a reconnect arrives late, so the gap is counted in ``samples_lost`` and
the sample times jump — nothing is interpolated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from drivers.ble.backoff import Backoff
from drivers.ble.errors import BleError, ConfigRefused, GattError, LinkLost
from drivers.ble.link import BleTransport, find_characteristic
from drivers.ble.state import ConnectionState
from drivers.clock_sync import SessionClock
from drivers.errors import SourceError
from drivers.models.witmotion.commands import set_rate
from drivers.models.witmotion.profile import WITMOTION, WitMotionProfile
from drivers.notify import WitMotionNotifications
from drivers.source import PodSink, Source
from drivers.types import LinkStats, PodInfo, PodState

log = logging.getLogger(__name__)
MAX_NOTES = 10


@dataclass
class BleLinkStats(LinkStats):
    """``LinkStats`` plus what only a radio link knows."""

    rssi_dbm: int | None = None
    connection_state: ConnectionState = ConnectionState.IDLE


@dataclass(frozen=True)
class LinkTimings:
    """Seconds. ``silence_s``: a connected pod sending nothing this long is treated as lost."""

    connect_timeout_s: float = 10.0
    silence_s: float = 2.0
    command_gap_s: float = 0.02  # between unlock, rate and save (vendor apps pace writes)


def default_transport() -> BleTransport:
    from drivers.ble.transport import BleakTransport  # bleak only when a radio is used

    return BleakTransport()


class WitMotionBleSource(Source):
    """A WitMotion pod at ``info.address`` streaming at ``info.nominal_rate_hz``."""

    def __init__(
        self,
        info: PodInfo,
        transport: BleTransport | None = None,
        *,
        clock: SessionClock | None = None,
        backoff: Backoff | None = None,
        timings: LinkTimings = LinkTimings(),
        profile: WitMotionProfile = WITMOTION,
    ) -> None:
        super().__init__(info)
        self.stats: BleLinkStats = BleLinkStats()
        self.transport = transport if transport is not None else default_transport()
        self.clock = clock or SessionClock()
        self.backoff = backoff or Backoff()
        self.timings = timings
        self.profile = profile
        self.last_error: BleError | None = None
        self._rate_commands = set_rate(info.nominal_rate_hz)  # unsupported rate: fail here
        self._decoder = WitMotionNotifications(info.nominal_rate_hz, self.stats)
        self._sink: PodSink | None = None
        self._link_down = asyncio.Event()
        self._streamed = False

    @property
    def connection_state(self) -> ConnectionState:
        return self.stats.connection_state

    async def run(self, sink: PodSink) -> None:
        self._sink = sink
        self.transport.on_disconnect = self._link_down.set
        try:
            while True:
                error = await self._session()
                await self._after_failure(error)
        finally:
            await self._close()

    async def _session(self) -> BleError:
        """One connect-configure-stream cycle; returns the error that ended it, disconnected."""
        self._link_down.clear()
        self._streamed = False
        try:
            await self._connect()
            await self._configure()
            await self._subscribe()
            error = await self._stream()
        except BleError as exc:
            error = exc
        await self.transport.disconnect()
        return error

    async def _connect(self) -> None:
        self._enter(ConnectionState.CONNECTING)
        await self.transport.connect(self.info.address, self.timings.connect_timeout_s)
        self.stats.rssi_dbm = self.transport.rssi_dbm

    async def _configure(self) -> None:
        self._enter(ConnectionState.CONFIGURING)
        services = await self.transport.services()
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
                if self._link_down.is_set() or not self.transport.is_connected:
                    raise LinkLost(f"link lost while setting {setting}") from exc
                raise ConfigRefused(setting, str(exc)) from exc

    async def _subscribe(self) -> None:
        self._enter(ConnectionState.SUBSCRIBING)
        await self.transport.start_notify(self.profile.notify_uuid, self._on_notification)
        self._enter(ConnectionState.STREAMING)

    async def _stream(self) -> BleError:
        """Wait until the link drops, or the pod stays silent for ``silence_s``."""
        while True:
            seen = self.stats.notifications
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._link_down.wait(), self.timings.silence_s)
            if self._link_down.is_set():
                return LinkLost(f"link to {self.info.address} lost")
            if self.stats.notifications == seen:
                return LinkLost(f"{self.info.address} silent for {self.timings.silence_s:g} s")

    def _on_notification(self, payload: bytes, arrival_ns: int) -> None:
        block = self._decoder.feed(payload, self.clock.to_session_s(arrival_ns))
        if not self._streamed:
            self._streamed = True
            self.backoff.reset()
            self.set_state(PodState.STREAMING)
        elif self.stats.state is not PodState.STREAMING:
            self.set_state(PodState.STREAMING)  # back after a watchdog-declared silence
        if self._sink is not None and len(block):
            self._sink.push(self.info.pod_id, block)

    async def _after_failure(self, error: BleError) -> None:
        self.last_error = error
        self._note(str(error))
        self._enter(ConnectionState.LOST)
        if self.stats.state is PodState.STREAMING:
            self.set_state(PodState.LOST)
        delay_s = self.backoff.next_delay_s(error)
        if delay_s is None:
            self._enter(ConnectionState.FAILED)
            self.set_state(PodState.STOPPED)
            raise SourceError(f"{self.info.pod_id}: giving up: {error}") from error
        log.info("%s: %s; retrying in %.1f s", self.info.pod_id, error, delay_s)
        self._enter(ConnectionState.WAITING)
        await asyncio.sleep(delay_s)

    async def _close(self) -> None:
        """Disconnect on cancel or give-up; shielded so a cancelled run still closes."""
        final = self.stats.connection_state
        self._enter(ConnectionState.DISCONNECTING)
        self.transport.on_disconnect = None
        await asyncio.shield(self.transport.disconnect())
        self._enter(
            ConnectionState.FAILED if final is ConnectionState.FAILED else ConnectionState.CLOSED
        )
        self.set_state(PodState.STOPPED)

    def _enter(self, state: ConnectionState) -> None:
        self.stats.connection_state = state

    def _note(self, text: str) -> None:
        self.stats.notes.append(text)
        del self.stats.notes[:-MAX_NOTES]
