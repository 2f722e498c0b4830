"""Recent strides per key (coupling and foot), summed over for coordination variability."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from drivers.types import FloatArray


class StrideMemory:
    """For each key, the rows (one per stride, any fixed width) of its last ``depth``
    strides, forgetting those that ended more than ``memory_s`` before the newest.

    ``add(keys, ends_s, rows)`` appends a batch of strides in order (the same as adding
    them one by one) and returns, per stride, the sum of the rows of its key's window (the
    stride and those before it still remembered) and the window's size; the sum is NaN
    while the window is smaller than ``minimum``. Sums run oldest first, padded with
    zeros, so they do not depend on how strides were batched.
    """

    def __init__(self, depth: int, minimum: int, memory_s: float) -> None:
        self.depth = depth
        self.minimum = minimum
        self.memory_s = memory_s
        self._rows: dict[Hashable, FloatArray] = {}
        self._ends: dict[Hashable, list[float]] = {}

    def add(
        self, keys: Sequence[Hashable], ends_s: Sequence[float], rows: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        positions: dict[Hashable, list[int]] = {}
        for i, key in enumerate(keys):
            positions.setdefault(key, []).append(i)
        banks = [self._rows.get(key, rows[:0]) for key in positions]
        offsets = np.cumsum([0, *(bank.shape[0] for bank in banks)]).tolist()
        pool = np.concatenate([*banks, rows, np.zeros((1, rows.shape[1]))])
        new_base, zero = offsets[-1], pool.shape[0] - 1
        index = np.full((len(keys), self.depth), zero)
        size = np.zeros(len(keys))
        for key, offset, bank in zip(positions, offsets, banks, strict=False):
            where = positions[key]
            order = [*range(offset, offset + bank.shape[0]), *(new_base + i for i in where)]
            ends = self._ends.get(key, []) + [ends_s[i] for i in where]
            lo = 0
            for p in range(bank.shape[0], len(order)):
                while lo < p and ends[lo] < ends[p] - self.memory_s:
                    lo += 1
                lo = max(lo, p - self.depth + 1)
                i = where[p - bank.shape[0]]
                size[i] = p + 1 - lo
                index[i, : p + 1 - lo] = order[lo : p + 1]
            self._rows[key] = pool[order[lo:]]
            self._ends[key] = ends[lo:]
        sums = pool[index[:, 0]]  # oldest first; row by row beats one (n, depth, width) gather
        for d in range(1, self.depth):
            sums += pool[index[:, d]]
        sums[size < self.minimum] = np.nan
        return sums, size
