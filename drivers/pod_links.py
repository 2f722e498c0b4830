"""Live pod links that outlive a processing session: scan, connect, disconnect, relay.

``PodLinks`` owns the BLE loop thread (bleak runs there and only there). Scans and every
pod's ``Source.run`` execute on it; the GUI thread only submits work and reads snapshots.
Each connected pod streams into ``PodLinks.push``, which forwards its blocks to whichever
sink is currently bound to it. A processing session binds through ``RelaySource`` — a
``Source`` that shares the pod's link counters and, while its ``run`` is active, routes the
pod's samples into the session's buffers. So the session can be rebuilt when pods come or
go without touching the radio links of the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from drivers.ble.link import BleTransport
from drivers.ble.scan import FoundPod, scan_pods
from drivers.clock_sync import SessionClock
from drivers.foot_pod import FootPodReading, ReadingSource
from drivers.loop_thread import LoopThread
from drivers.pod_memory import normalise_address
from drivers.source import PodSink, Source
from drivers.types import LinkStats, PodInfo, PodState, SampleBlock

log = logging.getLogger(__name__)

SourceFactory = Callable[[str, PodInfo, BleTransport | None, SessionClock], Source]
STOP_TIMEOUT_S = 5.0


def bleak_transport() -> BleTransport:
    from drivers.ble.transport import BleakTransport  # bleak only when a radio is used

    return BleakTransport()


def ble_source(
    model_key: str, info: PodInfo, transport: BleTransport | None, clock: SessionClock
) -> Source:
    from drivers.ble.pods import make_source

    return make_source(model_key, info, transport, clock=clock)


@dataclass
class PodLink:
    """One pod being streamed: what it is, its source, and how its run ended (if it did)."""

    info: PodInfo
    model_key: str
    source: Source
    task: asyncio.Task[None] | None = None
    error: str | None = None  # why the source gave up, in one line
    stopping: bool = False

    @property
    def address(self) -> str:
        return normalise_address(self.info.address)

    def snapshot(self) -> LinkStats:
        return self.source.snapshot()


@dataclass
class _Routes:
    """pod_id -> the sink its samples go to; guarded by a lock (BLE thread vs others)."""

    sinks: dict[str, PodSink] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class PodLinks:
    """Scans for and streams from pods on one BLE loop thread.

    ``source_factory(model_key, info, transport, clock)`` makes each pod's source (default:
    ``drivers.ble.pods.make_source`` with its own bleak transport); ``scan_transport``
    makes the transport a scan runs on. All pods share ``clock``, so their samples are on
    one time base for the whole run of the app.
    """

    def __init__(
        self,
        *,
        source_factory: SourceFactory = ble_source,
        scan_transport: Callable[[], BleTransport] = bleak_transport,
        clock: SessionClock | None = None,
    ) -> None:
        self.source_factory = source_factory
        self.scan_transport = scan_transport
        self.clock = clock or SessionClock()
        self.io = LoopThread("gaitdeck-ble")
        self._links: dict[str, PodLink] = {}  # by address; GUI thread adds, BLE thread removes
        self._links_lock = threading.Lock()
        self._routes = _Routes()
        self._started = False

    # ---------------------------------------------------------------------- lifecycle
    def start(self) -> None:
        if not self._started:
            self._started = True
            self.io.start()

    def close(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Disconnect every pod (waiting for the links to close), then end the loop thread."""
        if not self._started:
            return
        futures = [self.disconnect(link.address) for link in self.links()]
        for future in futures:
            with contextlib.suppress(Exception):
                future.result(timeout_s)
        self._started = False
        self.io.stop()

    # --------------------------------------------------------------------------- scan
    def scan(self, timeout_s: float, *, include_unknown: bool = False) -> Future[list[FoundPod]]:
        """Pods heard within ``timeout_s``; the future raises ``BleError`` on failure."""
        self.start()
        scan = scan_pods(self.scan_transport(), timeout_s, include_unknown=include_unknown)
        # Not io.submit: a failed scan (no Bluetooth) is the caller's to report, not a crash.
        return asyncio.run_coroutine_threadsafe(scan, self.io.loop)

    # -------------------------------------------------------------------------- links
    def connect(self, model_key: str, info: PodInfo) -> PodLink:
        """Start streaming from the pod ``info`` describes; returns at once.

        Raises ``KeyError`` for a model gaitdeck cannot stream from, ``GaitdeckError`` for
        settings the model refuses (e.g. a rate it cannot do), ``ValueError`` if the pod is
        already linked.
        """
        address = normalise_address(info.address)
        if self.link(address) is not None:
            raise ValueError(f"pod {info.address} is already connected")
        self.start()
        source = self.source_factory(model_key, info, None, self.clock)
        link = PodLink(info, model_key, source)
        with self._links_lock:
            self._links[address] = link
        self.io.submit(self._start(link))
        return link

    def disconnect(self, address: str) -> Future[None]:
        """Stop the pod's source (it closes its link); the future is done once it has."""
        link = self.link(address)
        if link is None or not self._started:
            done: Future[None] = Future()
            done.set_result(None)
            self._forget(normalise_address(address))
            return done
        link.stopping = True
        return self.io.submit(self._stop(link))

    def links(self) -> list[PodLink]:
        with self._links_lock:
            return list(self._links.values())

    def link(self, address: str) -> PodLink | None:
        with self._links_lock:
            return self._links.get(normalise_address(address))

    def _forget(self, address: str) -> None:
        with self._links_lock:
            self._links.pop(address, None)

    def relay(self, link: PodLink) -> RelaySource:
        """The session-side stand-in for ``link``'s source (with its readings, for foot pods)."""
        if isinstance(link.source, ReadingSource):
            return ReadingRelaySource(self, link)
        return RelaySource(self, link)

    # ------------------------------------------------------------------------ routing
    def push(self, pod_id: str, block: SampleBlock) -> None:
        """The sink every pod source writes to (BLE thread): forward to the bound sink."""
        with self._routes.lock:
            sink = self._routes.sinks.get(pod_id)
        if sink is not None:
            sink.push(pod_id, block)

    def bind(self, pod_id: str, sink: PodSink) -> None:
        with self._routes.lock:
            self._routes.sinks[pod_id] = sink

    def unbind(self, pod_id: str, sink: PodSink) -> None:
        with self._routes.lock:
            if self._routes.sinks.get(pod_id) is sink:
                del self._routes.sinks[pod_id]

    # ------------------------------------------------------------------ on the loop
    async def _start(self, link: PodLink) -> None:
        link.task = asyncio.get_running_loop().create_task(link.source.run(self))
        link.task.add_done_callback(lambda task: self._ended(link, task))

    async def _stop(self, link: PodLink) -> None:
        task = link.task
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        self._forget(link.address)

    def _ended(self, link: PodLink, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            link.error = str(error) or type(error).__name__
            log.warning("pod %s stopped: %s", link.info.address, link.error)


class RelaySource(Source):
    """A processing session's view of a pod streaming through ``PodLinks``.

    It shares the pod source's counters (so the session's watchdog and status row see the
    real link) and, while ``run`` is active, routes the pod's samples into ``sink``.
    """

    def __init__(self, links: PodLinks, link: PodLink) -> None:
        super().__init__(link.info)
        self.links = links
        self.link = link
        self.stats = link.source.stats

    async def run(self, sink: PodSink) -> None:
        self.links.bind(self.info.pod_id, sink)
        try:
            await asyncio.Event().wait()  # until cancelled: the pod streams on its own
        finally:
            self.links.unbind(self.info.pod_id, sink)

    def snapshot(self) -> LinkStats:
        return self.link.source.snapshot()

    def set_state(self, state: PodState) -> None:
        self.link.source.set_state(state)


class ReadingRelaySource(RelaySource):
    """A relay for a foot pod: also passes on its latest reading (``ReadingSource``)."""

    def latest_reading(self) -> FootPodReading | None:
        source = self.link.source
        return source.latest_reading() if isinstance(source, ReadingSource) else None
