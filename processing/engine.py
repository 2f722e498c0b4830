"""The processing engine: a thread that wakes on new samples, runs the pipeline, publishes.

The same object can be driven by hand with ``step()`` (tests, offline analysis): the thread
only adds waiting and error containment around it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from drivers.types import FloatArray, Placement, SampleBlock
from processing.board import MetricsBoard
from processing.events import GaitEvent
from processing.pod_buffers import PodBuffers, rows_to_block

log = logging.getLogger(__name__)
MAX_STEP_S = 1.0  # samples per pod one step takes at most: bounded latency and memory


@dataclass
class PipelineOutput:
    """What one pipeline update produced."""

    events: list[GaitEvent] = field(default_factory=list)
    traces: dict[str, tuple[FloatArray, FloatArray]] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)


class Pipeline(Protocol):
    """The stages, composed: fed new samples per placement, keeps its own state."""

    def update(self, blocks: Mapping[Placement, SampleBlock]) -> PipelineOutput: ...


class Engine:
    """Consumes the pod buffers from its own cursors and publishes to a board."""

    def __init__(
        self,
        buffers: PodBuffers,
        pipeline: Pipeline,
        board: MetricsBoard | None = None,
        max_step_s: float = MAX_STEP_S,
    ) -> None:
        self.buffers = buffers
        self.pipeline = pipeline
        self.board = board or MetricsBoard()
        self._cursors = {placement: 0 for placement in buffers.buffers}
        rates = {pod.placement: max(pod.nominal_rate_hz, 1.0) for pod in buffers.pods.values()}
        self._rates = rates
        self._max_rows = {p: max(1, round(rate * max_step_s)) for p, rate in rates.items()}
        self.rows_lost = 0
        self.steps = 0
        self.failures = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._step_lock = threading.Lock()

    def notify(self) -> None:
        """Wake the engine thread; cheap enough to call on every buffer write."""
        self._wake.set()

    def step(self) -> PipelineOutput:
        """Process what is new in every buffer (at most ``max_step_s`` of samples per pod,
        so a backlog is worked off in bounded steps) and publish the result."""
        with self._step_lock:
            blocks, rows = self._consume()
            output = self.pipeline.update(blocks) if rows else PipelineOutput()
            self.board.publish(output.events, output.traces, output.metrics, rows)
            self.steps += 1
            if self.backlog_s() > 0.0:
                self._wake.set()  # more is waiting: the thread steps again at once
            return output

    def restart(self, pipeline: Pipeline) -> None:
        """Start over with ``pipeline`` from the samples written from now on (a replay seek):
        unread samples are skipped, the board is reset."""
        with self._step_lock:
            self.pipeline = pipeline
            self._cursors = {p: b.written for p, b in self.buffers.buffers.items()}
            self.board.reset()

    def backlog_s(self) -> float:
        """Seconds of samples written but not yet processed, for the pod furthest behind."""
        return max(
            ((buffer.written - self._cursors[p]) / self._rates[p]
             for p, buffer in self.buffers.buffers.items()),
            default=0.0,
        )  # fmt: skip

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="gaitdeck-engine", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _consume(self) -> tuple[dict[Placement, SampleBlock], int]:
        blocks: dict[Placement, SampleBlock] = {}
        rows = 0
        for placement, buffer in self.buffers.buffers.items():
            result = buffer.consume(self._cursors[placement], self._max_rows[placement])
            self._cursors[placement] = result.cursor
            self.rows_lost += result.lost
            if len(result.rows):
                blocks[placement] = rows_to_block(result.rows)
                rows += len(result.rows)
        return blocks, rows

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(0.1)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.step()
            except Exception as exc:  # contain: a stage bug must not kill live processing
                self.failures += 1
                log.exception("processing step failed")
                self.board.report_error(f"processing step failed: {exc!r}")
