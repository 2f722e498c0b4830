"""A preallocated ring buffer of fixed-width float rows with two ways to read.

Writers append rows; a consumer (processing, recorder) reads everything new since its own
cursor, and plots read the latest N rows. The lock is held only to copy.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray


@dataclass(frozen=True)
class ConsumeResult:
    """Rows read from a cursor; ``lost`` counts rows overwritten before they were read."""

    rows: FloatArray
    cursor: int
    lost: int


class RingBuffer:
    """``capacity`` rows of ``width`` float64 columns.

    ``written`` counts every row ever appended; a cursor is a value of ``written``.
    """

    def __init__(self, capacity: int, width: int) -> None:
        if capacity <= 0 or width <= 0:
            raise ValueError("capacity and width must be positive")
        self.capacity = capacity
        self.width = width
        self._data = np.zeros((capacity, width))
        self._written = 0
        self._lock = threading.Lock()
        self.overflowed_rows = 0  # rows any consumer lost, summed over reads

    @property
    def written(self) -> int:
        return self._written

    def append(self, rows: FloatArray) -> None:
        """Append (n, width) rows; rows beyond capacity keep only the newest."""
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, self.width)
        n = rows.shape[0]
        with self._lock:
            if n > self.capacity:
                rows = rows[-self.capacity :]
            m = rows.shape[0]
            start = (self._written + n - m) % self.capacity
            first = min(m, self.capacity - start)
            self._data[start : start + first] = rows[:first]
            self._data[: m - first] = rows[first:]
            self._written += n

    def consume(self, cursor: int, max_rows: int | None = None) -> ConsumeResult:
        """Everything written since ``cursor`` (at most ``max_rows``, oldest first); counts
        what was overwritten unread."""
        with self._lock:
            written = self._written
            oldest = max(0, written - self.capacity)
            lost = max(0, oldest - cursor)
            start = max(cursor, oldest)
            stop = written if max_rows is None else min(written, start + max_rows)
            rows = self._copy_range(start, stop)
        self.overflowed_rows += lost
        return ConsumeResult(rows, stop, lost)

    def latest(self, n: int) -> FloatArray:
        """The newest ``min(n, available)`` rows, oldest first."""
        with self._lock:
            written = self._written
            start = max(0, written - min(n, self.capacity))
            return self._copy_range(start, written)

    def _copy_range(self, start: int, stop: int) -> FloatArray:
        n = stop - start
        if n <= 0:
            return np.empty((0, self.width))
        i = start % self.capacity
        if i + n <= self.capacity:
            return self._data[i : i + n].copy()
        return np.concatenate([self._data[i:], self._data[: n - (self.capacity - i)]])
