"""The board the engine publishes to and the UI pulls from at frame rate.

Three kinds of output: a sequence of gait events read from a cursor, named traces of derived
signals held in ring buffers (read latest N), and a snapshot of scalar metrics.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping

import numpy as np

from drivers.types import FloatArray
from processing.events import GaitEvent
from processing.ring_buffer import RingBuffer

TRACE_CAPACITY = 8192


class MetricsBoard:
    """Thread-safe publication point between the processing thread and its readers."""

    def __init__(self, max_events: int = 20_000) -> None:
        self._events: deque[tuple[int, GaitEvent]] = deque(maxlen=max_events)
        self._event_seq = 0
        self._traces: dict[str, RingBuffer] = {}
        self._metrics: dict[str, float] = {}
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.version = 0
        self.epoch = 0  # bumped by reset()
        self.processed_rows = 0  # input rows the engine has fully processed
        self.errors: deque[str] = deque(maxlen=50)

    def publish(
        self,
        events: list[GaitEvent],
        traces: Mapping[str, tuple[FloatArray, FloatArray]],
        metrics: Mapping[str, float],
        rows: int,
    ) -> None:
        for name, (t_s, values) in traces.items():
            if len(t_s):
                self._trace(name).append(np.column_stack([t_s, values]))
        with self._changed:
            for event in events:
                self._event_seq += 1
                self._events.append((self._event_seq, event))
            self._metrics.update(metrics)
            self.processed_rows += rows
            self.version += 1
            self._changed.notify_all()

    def reset(self) -> None:
        """Forget every event, trace and metric (a replay seek); ``epoch`` counts resets so
        readers know to drop what they accumulated. Sequence numbers keep increasing."""
        with self._changed:
            self._events.clear()
            self._traces = {}
            self._metrics = {}
            self.epoch += 1
            self.version += 1
            self._changed.notify_all()

    def report_error(self, message: str) -> None:
        with self._lock:
            self.errors.append(message)

    def events_since(self, seq: int) -> tuple[list[GaitEvent], int]:
        """Events published after sequence number ``seq``, and the newest sequence number."""
        with self._lock:
            newest_first = []
            for s, event in reversed(self._events):
                if s <= seq:
                    break
                newest_first.append(event)
            return newest_first[::-1], self._event_seq

    def trace_latest(self, name: str, n: int) -> tuple[FloatArray, FloatArray]:
        """The newest ``n`` (t_s, value) points of a trace; empty if it does not exist yet."""
        buffer = self._traces.get(name)
        if buffer is None:
            return np.empty(0), np.empty(0)
        rows = buffer.latest(n)
        return rows[:, 0], rows[:, 1]

    def trace_names(self) -> list[str]:
        return sorted(self._traces)

    def metrics(self) -> dict[str, float]:
        with self._lock:
            return dict(self._metrics)

    def wait_for_rows(self, rows: int, timeout_s: float) -> bool:
        """Block until the engine has processed at least ``rows`` input rows (tests, benchmarks)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.processed_rows >= rows, timeout_s)

    def wait_for_version(self, after: int, timeout_s: float) -> int:
        """Block until something newer than version ``after`` is published; the new version."""
        with self._changed:
            self._changed.wait_for(lambda: self.version > after, timeout_s)
            return self.version

    def _trace(self, name: str) -> RingBuffer:
        buffer = self._traces.get(name)
        if buffer is None:
            buffer = self._traces.setdefault(name, RingBuffer(TRACE_CAPACITY, 2))
        return buffer
