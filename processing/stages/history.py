"""A fixed-capacity history of one pod's samples, addressed by absolute sample index."""

from __future__ import annotations

import numpy as np

from drivers.types import FloatArray


class SampleHistory:
    """The newest ``capacity`` samples (t_s, acc_g xyz, gyro_dps xyz) of one pod.

    Every appended sample gets an absolute index (0, 1, 2, ... since creation); ``rows(i0, i1)``
    returns the samples with indices in [i0, i1) as long as they are still held.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = int(capacity)
        self._rows = np.zeros((self.capacity, 7))
        self.count = 0  # samples ever appended; the next sample's index

    @property
    def first_index(self) -> int:
        return max(0, self.count - self.capacity)

    def append(self, t_s: FloatArray, acc_g: FloatArray, gyro_dps: FloatArray) -> None:
        n = t_s.shape[0]
        if n == 0:
            return
        if n > self.capacity:
            t_s, acc_g, gyro_dps = (
                t_s[-self.capacity :],
                acc_g[-self.capacity :],
                gyro_dps[-self.capacity :],
            )
            self.count += n - self.capacity
            n = self.capacity
        slots = (self.count + np.arange(n)) % self.capacity
        self._rows[slots, 0] = t_s
        self._rows[slots, 1:4] = acc_g
        self._rows[slots, 4:7] = gyro_dps
        self.count += n

    def holds(self, index: int) -> bool:
        return self.first_index <= index < self.count

    def rows(self, i0: int, i1: int) -> FloatArray:
        """Samples with absolute indices in [i0, i1), clipped to what is held; shape (n, 7)."""
        i0 = max(i0, self.first_index)
        i1 = min(i1, self.count)
        if i1 <= i0:
            return np.zeros((0, 7))
        return self._rows[np.arange(i0, i1) % self.capacity]
