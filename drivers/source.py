"""The one interface that live pods, simulated pods and replay all implement."""

from __future__ import annotations

import abc
import copy
from collections.abc import Callable
from typing import Protocol

from drivers.types import LinkStats, PodInfo, PodState, SampleBlock


class PodSink(Protocol):
    """Where a source delivers what it decodes. Called on the source's own thread."""

    def push(self, pod_id: str, block: SampleBlock) -> None: ...


RawTap = Callable[[str, int, int, bytes], None]
"""Called with (pod id, channel, arrival ns on the session clock, payload) for everything a
pod sends, as received: what a recording stores so that replay re-runs the same decoders."""

CHANNEL_DATA = 0  # the pod's sample stream
CHANNEL_CONTROL = 1  # responses that configure decoding (e.g. Polar's start response)
CHANNEL_LINK_LOST = 255  # no payload: the link dropped here and the decoder was told so


class Source(abc.ABC):
    """A stream of IMU sample blocks from one pod.

    ``run`` streams into the sink until it is cancelled, recovering from drop-outs on its
    own; ``stats`` is updated as it goes and may be read from any thread via ``snapshot``.
    """

    model_key = ""  # drivers.registry key of the pod model it speaks ("" if none)

    def __init__(self, info: PodInfo) -> None:
        self.info = info
        self.stats = LinkStats()
        self.raw_taps: list[RawTap] = []

    @abc.abstractmethod
    async def run(self, sink: PodSink) -> None:
        """Stream until cancelled. Must not raise for link faults; they are states."""

    def snapshot(self) -> LinkStats:
        """A copy of the link counters, safe to hand to another thread."""
        return copy.copy(self.stats)

    def tap_raw(self, channel: int, arrival_ns: int, payload: bytes) -> None:
        """Hand what was received to the taps (a recorder); call before decoding it."""
        for tap in self.raw_taps:
            tap(self.info.pod_id, channel, arrival_ns, payload)

    def set_state(self, state: PodState) -> None:
        if state is PodState.STREAMING and self.stats.state is PodState.LOST:
            self.stats.reconnects += 1
        self.stats.state = state


class CollectingSink:
    """A sink that keeps every block, per pod: for offline capture and for tests."""

    def __init__(self) -> None:
        self.blocks: dict[str, list[SampleBlock]] = {}

    def push(self, pod_id: str, block: SampleBlock) -> None:
        self.blocks.setdefault(pod_id, []).append(block)

    def joined(self, pod_id: str) -> SampleBlock:
        return SampleBlock.concat(self.blocks.get(pod_id, []))

    def count(self, pod_id: str) -> int:
        return sum(len(b) for b in self.blocks.get(pod_id, []))
