"""Marks a pod lost when it goes quiet, whatever kind of source it is."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from drivers.source import Source
from drivers.types import PodState


class SilenceWatchdog:
    """A source whose notification count has not moved for ``timeout_s`` — or, for pods
    that send long frames rarely, for ``SLOW_FACTOR`` times the time one of their
    notifications covers (samples per notification / rate: a Polar at 52 Hz sends one
    frame of about 60 samples a second) — is LOST.

    Sources set themselves back to STREAMING when data flows again. Wall-clock based, so it
    also works for sources running faster than real time.
    """

    SLOW_FACTOR = 3.0

    def __init__(self, sources: Sequence[Source], timeout_s: float = 1.0) -> None:
        self.sources = list(sources)
        self.timeout_s = timeout_s
        self._seen: dict[str, tuple[int, float]] = {}

    def check(self, now_s: float | None = None) -> None:
        now_s = time.monotonic() if now_s is None else now_s
        for source in self.sources:
            count = source.stats.notifications
            last_count, since_s = self._seen.get(source.info.pod_id, (-1, now_s))
            if count != last_count:
                self._seen[source.info.pod_id] = (count, now_s)
            elif now_s - since_s > self.timeout_for(source) and (
                source.stats.state is PodState.STREAMING
            ):
                source.set_state(PodState.LOST)

    def timeout_for(self, source: Source) -> float:
        stats = source.stats
        if stats.notifications == 0 or source.info.nominal_rate_hz <= 0:
            return self.timeout_s
        span_s = stats.samples / stats.notifications / source.info.nominal_rate_hz
        return max(self.timeout_s, self.SLOW_FACTOR * span_s)

    async def run(self, interval_s: float = 0.1) -> None:
        while True:
            self.check()
            await asyncio.sleep(interval_s)
