"""The one interface that live pods, simulated pods and replay all implement."""

from __future__ import annotations

import abc
import copy
from typing import Protocol

from drivers.types import LinkStats, PodInfo, PodState, SampleBlock


class PodSink(Protocol):
    """Where a source delivers what it decodes. Called on the source's own thread."""

    def push(self, pod_id: str, block: SampleBlock) -> None: ...


class Source(abc.ABC):
    """A stream of IMU sample blocks from one pod.

    ``run`` streams into the sink until it is cancelled, recovering from drop-outs on its
    own; ``stats`` is updated as it goes and may be read from any thread via ``snapshot``.
    """

    def __init__(self, info: PodInfo) -> None:
        self.info = info
        self.stats = LinkStats()

    @abc.abstractmethod
    async def run(self, sink: PodSink) -> None:
        """Stream until cancelled. Must not raise for link faults; they are states."""

    def snapshot(self) -> LinkStats:
        """A copy of the link counters, safe to hand to another thread."""
        return copy.copy(self.stats)

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
