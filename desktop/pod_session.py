"""The live session of real pods: links that come and go, and the processing they feed.

``PodSession`` is what the window runs on when pods are connected from the pod manager or
the ``--pod`` option. Radio links live in ``drivers.pod_links.PodLinks`` (the BLE thread);
the processing is a ``processing.live_session.LiveSession`` over relay sources, rebuilt
whenever the set of connected pods changes (the pipeline is built for a fixed set of pods
and rates). Rebuilding never touches the other pods' links; all pods share one clock, so
times go on increasing across rebuilds. No Qt here.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from dataclasses import dataclass

from desktop.pod_view_models import FootPodStatus
from drivers.errors import GaitdeckError
from drivers.pod_links import PodLink, PodLinks
from drivers.pod_memory import PodMemory, normalise_address
from drivers.registry import model_by_key
from drivers.source import Source
from drivers.types import LinkStats, Placement, PodInfo
from processing.board import MetricsBoard
from processing.live_session import LiveSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PodChoice:
    """A pod to connect: its address, model key, where it is worn and the rate to ask for."""

    address: str
    model_key: str
    placement: Placement
    rate_hz: float

    def info(self) -> PodInfo:
        label = _model_label(self.model_key)
        return PodInfo(normalise_address(self.address), self.placement, label, self.address,
                       self.rate_hz)  # fmt: skip


def _model_label(model_key: str) -> str:
    try:
        return model_by_key(model_key).label
    except KeyError:
        return model_key


def is_imu(model_key: str) -> bool:
    """Whether pods of this model stream IMU samples (RSC foot pods do not)."""
    try:
        return model_by_key(model_key).imu
    except KeyError:
        return True


class PodSession:
    """Satisfies ``desktop.app.RunnableSession`` over pods connected at run time."""

    def __init__(self, links: PodLinks, memory: PodMemory | None = None) -> None:
        self.links = links
        self.memory = memory
        self.live: LiveSession | None = None
        self._idle_board = MetricsBoard()
        self._lock = threading.Lock()  # one rebuild at a time

    # -------------------------------------------------------------- RunnableSession
    @property
    def board(self) -> MetricsBoard:
        live = self.live
        return live.board if live is not None else self._idle_board

    def pod_status(self) -> list[tuple[PodInfo, LinkStats]]:
        live = self.live
        return live.pod_status() if live is not None else []

    def foot_pods(self) -> list[FootPodStatus]:
        """Running speed & cadence foot pods: link counters and latest reading."""
        live = self.live
        return live.foot_pods() if live is not None else []

    def request_calibration(self) -> bool:
        live = self.live
        return live.request_calibration() if live is not None else False

    def start(self) -> None:
        self.links.start()

    def stop(self) -> None:
        """Stop processing and close every link: nothing is left connected."""
        with self._lock:
            live, self.live = self.live, None
        if live is not None:
            live.stop()
        self.links.close()

    # ---------------------------------------------------------------------- pods
    def connect(self, choice: PodChoice) -> PodLink:
        """Connect the pod (returns at once; it streams when linked) and remember its
        placement. Raises ``GaitdeckError`` if the placement is taken or the model or rate
        is not supported."""
        taken = self.placement_owner(choice.placement) if is_imu(choice.model_key) else None
        if taken is not None and taken.address != normalise_address(choice.address):
            raise GaitdeckError(
                f"{choice.placement.value.replace('_', ' ')} already has pod {taken.info.address}"
            )
        try:
            link = self.links.connect(choice.model_key, choice.info())
        except KeyError:
            raise GaitdeckError(f"gaitdeck cannot stream from {_model_label(choice.model_key)} "
                                "pods yet") from None  # fmt: skip
        except ValueError as exc:
            raise GaitdeckError(str(exc)) from None
        if self.memory is not None:
            self.memory.remember(choice.address, choice.placement, choice.model_key,
                                 choice.rate_hz)  # fmt: skip
        self.rebuild()
        return link

    def disconnect(self, address: str) -> Future[None]:
        """Close one pod's link; the others keep theirs and processing restarts over them."""
        future = self.links.disconnect(address)
        self.rebuild()
        return future

    def placement_owner(self, placement: Placement) -> PodLink | None:
        """The connected IMU pod worn at ``placement``, if any."""
        for link in self.active_links():
            if link.info.placement is placement and is_imu(link.model_key):
                return link
        return None

    def active_links(self) -> list[PodLink]:
        return [link for link in self.links.links() if not link.stopping]

    def rebuild(self) -> None:
        """A new processing session over the pods connected now (none: idle)."""
        with self._lock:
            links = self.active_links()
            imu: list[Source] = [self.links.relay(k) for k in links if is_imu(k.model_key)]
            aux: list[Source] = [self.links.relay(k) for k in links if not is_imu(k.model_key)]
            old = self.live
            if old is not None:
                old.stop()
            self.live = LiveSession(imu, aux_sources=aux) if imu or aux else None
            if self.live is not None:
                self.live.start()
        log.info("session rebuilt over %d pods and %d foot pods", len(imu), len(aux))
