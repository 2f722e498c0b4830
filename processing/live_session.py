"""A live session: sources on the I/O thread, buffers, the engine thread and its board.

This is the non-Qt composition of the live path; the desktop app and the benchmarks both
build on it. Auxiliary sources (RSC foot pods) run on the same I/O loop but outside the IMU
pipeline: nothing they push reaches the buffers, and ``foot_pods`` reports their latest
readings for the UI to show beside gaitdeck's own cadence.
"""

from __future__ import annotations

from collections.abc import Sequence

from drivers.foot_pod import FootPodReading, ReadingSource
from drivers.loop_thread import LoopThread
from drivers.source import Source
from drivers.types import LinkStats, PodInfo, SampleBlock
from drivers.watchdog import SilenceWatchdog
from processing.board import MetricsBoard
from processing.engine import Engine, Pipeline
from processing.pipeline import GaitPipeline
from processing.pod_buffers import PodBuffers


class DiscardSink:
    """Where auxiliary sources deliver: they are read through ``foot_pods``, not buffers."""

    def push(self, pod_id: str, block: SampleBlock) -> None:
        return None


class LiveSession:
    """Owns the three-thread live path for a set of sources (plus auxiliary pods)."""

    def __init__(
        self,
        sources: Sequence[Source],
        pipeline: Pipeline | None = None,
        aux_sources: Sequence[Source] = (),
    ) -> None:
        self.sources = list(sources)
        self.aux_sources = list(aux_sources)
        infos = [source.info for source in self.sources]
        self.board = MetricsBoard()
        self.buffers = PodBuffers(infos)
        self.engine = Engine(self.buffers, pipeline or GaitPipeline(infos), self.board)
        self.buffers.on_write = self.engine.notify
        self.watchdog = SilenceWatchdog(self.sources)
        self.io = LoopThread()
        self._started = False

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.engine.start()
        self.io.start()
        for source in self.sources:
            self.io.submit(source.run(self.buffers))
        for source in self.aux_sources:
            self.io.submit(source.run(DiscardSink()))
        self.io.submit(self.watchdog.run())

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        self.io.stop()
        self.engine.stop()

    def pod_status(self) -> list[tuple[PodInfo, LinkStats]]:
        return [(source.info, source.snapshot()) for source in self.sources]

    def foot_pods(self) -> list[tuple[PodInfo, LinkStats, FootPodReading | None]]:
        """Each auxiliary pod with its link counters and latest reading (None before one)."""
        return [(source.info, source.snapshot(), _latest(source)) for source in self.aux_sources]

    def request_calibration(self) -> bool:
        """Ask the pipeline to calibrate again from the next quiet standing (the runner
        stands still for about 3 s; a simulated runner is asked to, see
        ``ask_runner_to_stand``). Returns False if this pipeline cannot recalibrate."""
        request = getattr(self.engine.pipeline, "request_calibration", None)
        if request is None:
            return False
        request()
        self.ask_runner_to_stand()
        return True

    def ask_runner_to_stand(self) -> bool:
        """Have the runner stop and stand still for a few seconds, then run on, if the sources
        can (simulated pods: ``ask_runner_to_stand()``; real pods cannot: the clinician asks
        the runner). Returns whether any source could."""
        asked = False
        for source in self.sources:
            ask = getattr(source, "ask_runner_to_stand", None)
            if callable(ask) and ask():
                asked = True
        return asked


def _latest(source: Source) -> FootPodReading | None:
    return source.latest_reading() if isinstance(source, ReadingSource) else None
