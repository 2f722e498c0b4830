"""``BlePodSource``: the connect → configure → subscribe → stream cycle every BLE pod shares.

One session is connect → ``_configure`` (model-specific settings) → battery read (best
effort) → ``_subscribe`` (enable notifications, start the pod's streams) → stream until the
link drops, the pod goes silent or a model hook calls ``_abort``. Between sessions the
source waits by error class (``drivers.ble.backoff``) and tries again, for ever, except when
the pod keeps refusing its settings. On cancel, and when a session ends for any reason but
a lost link, ``_stop_streaming`` runs while the link is still up (stop measurements, tear
down), then the link is closed: nothing stays connected.

Subclasses implement ``_configure`` and ``_subscribe`` and may override ``_stop_streaming``,
``_read_battery`` and ``_session_ended``; they feed decoded blocks to ``_deliver``.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass

from drivers.ble.backoff import Backoff
from drivers.ble.errors import BleError, GattError, LinkLost
from drivers.ble.link import BleTransport, GattService, find_characteristic
from drivers.ble.state import ConnectionState
from drivers.clock_sync import SessionClock
from drivers.errors import SourceError
from drivers.registry import sig_uuid
from drivers.source import CHANNEL_CONTROL, CHANNEL_DATA, CHANNEL_LINK_LOST, PodSink, Source
from drivers.types import LinkStats, PodInfo, PodState, SampleBlock

log = logging.getLogger(__name__)
MAX_NOTES = 10
BATTERY_LEVEL_UUID = sig_uuid(0x2A19)  # Battery Service 0x180F, uint8 percent


@dataclass
class BleLinkStats(LinkStats):
    """``LinkStats`` plus what only a radio link knows."""

    rssi_dbm: int | None = None
    connection_state: ConnectionState = ConnectionState.IDLE
    battery_pct: int | None = None  # last read after a connect; None if the pod offers none


@dataclass(frozen=True)
class LinkTimings:
    """Seconds. ``silence_s``: a connected pod sending nothing this long is treated as lost."""

    connect_timeout_s: float = 10.0
    silence_s: float = 2.0
    command_gap_s: float = 0.02  # between configuration writes (vendor apps pace them)
    response_timeout_s: float = 3.0  # for pods that answer commands (Polar, MetaMotion)


DEFAULT_TIMINGS = LinkTimings()


def default_transport() -> BleTransport:
    from drivers.ble.transport import BleakTransport  # bleak only when a radio is used

    return BleakTransport()


def battery_percent(payload: bytes) -> int | None:
    """A Battery Level (0x2A19) value, or None if it is not a percentage."""
    return payload[0] if len(payload) >= 1 and payload[0] <= 100 else None


class BlePodSource(Source):
    """A pod at ``info.address``; the subclass knows its GATT layout and its frames.

    Waits use ``asyncio.timeout``, not ``asyncio.wait_for``: on Python 3.11 ``wait_for``
    can swallow a cancellation that lands as its awaitable completes, which would leave a
    cancelled source running and its pod connected.
    """

    def __init__(
        self,
        info: PodInfo,
        transport: BleTransport | None = None,
        *,
        clock: SessionClock | None = None,
        backoff: Backoff | None = None,
        timings: LinkTimings = LinkTimings(),
    ) -> None:
        super().__init__(info)
        self.stats: BleLinkStats = BleLinkStats()
        self.transport = transport if transport is not None else default_transport()
        self.clock = clock or SessionClock()
        self.backoff = backoff or Backoff()
        self.timings = timings
        self.last_error: BleError | None = None
        self._sink: PodSink | None = None
        self._link_down = asyncio.Event()
        self._abort_error: BleError | None = None
        self._streamed = False
        self._live = False  # streams started on the pod in this session

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

    # -- hooks -------------------------------------------------------------------------

    @abc.abstractmethod
    async def _configure(self, services: tuple[GattService, ...]) -> None:
        """Check the GATT layout and write the settings; ``ConfigRefused`` names a refusal."""

    @abc.abstractmethod
    async def _subscribe(self) -> None:
        """Enable notifications and start the pod's streams."""

    async def _stop_streaming(self) -> None:
        """Stop the pod's streams while the link is up: on close, and when a session ends
        with the link still up (a refused setting, a silent or misbehaving pod)."""

    async def _read_battery(self, services: tuple[GattService, ...]) -> int | None:
        """Battery percent from the Battery Service, if the pod has one."""
        if find_characteristic(services, BATTERY_LEVEL_UUID) is None:
            return None
        return battery_percent(await self.transport.read(BATTERY_LEVEL_UUID))

    def _session_ended(self) -> None:
        """The link is gone: drop per-connection state (not the gap bookkeeping)."""

    # -- for subclasses ----------------------------------------------------------------

    def _received(self, payload: bytes, arrival_ns: int, channel: int = CHANNEL_DATA) -> float:
        """Hand a notification to the raw taps (a recorder); its session time in seconds."""
        session_ns = arrival_ns - self.clock.start_ns
        self.tap_raw(channel, session_ns, payload)
        return session_ns * 1e-9

    def _tap_control(self, config: dict[str, object]) -> None:
        """Record decoder settings learned from the pod (replay applies them the same way)."""
        now_ns = round(self.clock.now_s() * 1e9)
        self.tap_raw(CHANNEL_CONTROL, now_ns, json.dumps(config, sort_keys=True).encode())

    def _tap_link_lost(self) -> None:
        self.tap_raw(CHANNEL_LINK_LOST, round(self.clock.now_s() * 1e9), b"")

    def _deliver(self, block: SampleBlock) -> None:
        """Push decoded samples; the first data of a session resets the backoff."""
        if not self._streamed:
            self._streamed = True
            self.backoff.reset()
            self.set_state(PodState.STREAMING)
        elif self.stats.state is not PodState.STREAMING:
            self.set_state(PodState.STREAMING)  # back after a watchdog-declared silence
        if self._sink is not None and len(block):
            self._sink.push(self.info.pod_id, block)

    def _abort(self, error: BleError) -> None:
        """End the session from a notification callback (e.g. the pod stopped streaming)."""
        self._abort_error = error
        self._link_down.set()

    def _note(self, text: str) -> None:
        self.stats.notes.append(text)
        del self.stats.notes[:-MAX_NOTES]

    def _link_is_down(self) -> bool:
        """Whether a GATT failure just now is explained by the link going down."""
        return self._link_down.is_set() or not self.transport.is_connected

    # -- the cycle ---------------------------------------------------------------------

    async def _session(self) -> BleError:
        """One connect-configure-stream cycle; returns the error that ended it, disconnected."""
        self._link_down.clear()
        self._abort_error = None
        self._streamed = False
        try:
            await self._connect()
            self._enter(ConnectionState.CONFIGURING)
            services = await self.transport.services()
            await self._configure(services)
            await self._update_battery(services)
            self._enter(ConnectionState.SUBSCRIBING)
            self._live = True
            await self._subscribe()
            self._enter(ConnectionState.STREAMING)
            error = await self._stream()
        except BleError as exc:
            error = exc
        if not isinstance(error, LinkLost):
            await self._stop_if_live()
        self._live = False
        self._session_ended()
        await self.transport.disconnect()
        return error

    async def _connect(self) -> None:
        self._enter(ConnectionState.CONNECTING)
        await self.transport.connect(self.info.address, self.timings.connect_timeout_s)
        self.stats.rssi_dbm = self.transport.rssi_dbm

    async def _update_battery(self, services: tuple[GattService, ...]) -> None:
        try:
            self.stats.battery_pct = await self._read_battery(services)
        except GattError as exc:
            if self._link_is_down():
                raise LinkLost("link lost while reading the battery level") from exc
            self._note(f"battery level unreadable: {exc}")

    async def _stream(self) -> BleError:
        """Wait until the link drops, a hook aborts, or the pod stays silent too long."""
        while True:
            seen = self.stats.notifications
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.timings.silence_s):
                    await self._link_down.wait()
            if self._abort_error is not None:
                return self._abort_error
            if self._link_down.is_set():
                return LinkLost(f"link to {self.info.address} lost")
            if self.stats.notifications == seen:
                return LinkLost(f"{self.info.address} silent for {self.timings.silence_s:g} s")

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

    async def _stop_if_live(self) -> None:
        """Best-effort ``_stop_streaming`` while connected; errors only noted."""
        if not self._live or not self.transport.is_connected:
            self._live = False
            return
        self._live = False
        try:
            async with asyncio.timeout(self.timings.response_timeout_s):
                await self._stop_streaming()
        except (BleError, TimeoutError) as exc:
            log.debug("%s: stopping streams failed: %s", self.info.pod_id, exc)

    async def _close(self) -> None:
        """Stop streams and disconnect on cancel or give-up; shielded so a cancel still closes."""
        final = self.stats.connection_state
        self._enter(ConnectionState.DISCONNECTING)
        self.transport.on_disconnect = None
        await asyncio.shield(self._stop_and_disconnect())
        self._enter(
            ConnectionState.FAILED if final is ConnectionState.FAILED else ConnectionState.CLOSED
        )
        self.set_state(PodState.STOPPED)

    async def _stop_and_disconnect(self) -> None:
        await self._stop_if_live()
        await self.transport.disconnect()

    def _enter(self, state: ConnectionState) -> None:
        self.stats.connection_state = state
