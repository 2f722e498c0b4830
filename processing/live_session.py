"""A live session: sources on the I/O thread, buffers, the engine thread and its board.

This is the non-Qt composition of the live path; the desktop app and the benchmarks both
build on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from drivers.loop_thread import LoopThread
from drivers.source import Source
from drivers.types import LinkStats, PodInfo
from drivers.watchdog import SilenceWatchdog
from processing.board import MetricsBoard
from processing.engine import Engine, Pipeline
from processing.pipeline import GaitPipeline
from processing.pod_buffers import PodBuffers


class LiveSession:
    """Owns the three-thread live path for a set of sources."""

    def __init__(self, sources: Sequence[Source], pipeline: Pipeline | None = None) -> None:
        self.sources = list(sources)
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
        self.io.submit(self.watchdog.run())

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        self.io.stop()
        self.engine.stop()

    def pod_status(self) -> list[tuple[PodInfo, LinkStats]]:
        return [(source.info, source.snapshot()) for source in self.sources]

    def request_calibration(self) -> bool:
        """Ask the pipeline to calibrate again from the next quiet standing (the runner
        stands still for about 3 s). Returns False if this pipeline cannot recalibrate."""
        request = getattr(self.engine.pipeline, "request_calibration", None)
        if request is None:
            return False
        request()
        return True
