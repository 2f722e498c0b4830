"""Pairs an accelerometer stream with a gyroscope stream sampled at the same rate.

Pods that send acc and gyro as separate, device-timestamped frames (Polar PMD) deliver two
streams of (time, xyz) samples. A sample pairs with the other stream's sample nearest in
time, if that is within ``tolerance_s`` (half a period by default). A sample whose partner
the other stream has already passed can never be paired: it is dropped and counted, never
filled in. The pair takes the accelerometer's time. Until the first pair is made (the two
streams start a few samples apart), samples before the other stream's first one are
trimmed without being counted as dropped. Times may be in any unit (device or
session seconds) as long as both streams share it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray


@dataclass(frozen=True)
class Paired:
    t: FloatArray  # (n,) accelerometer times
    acc: FloatArray  # (n, 3)
    gyro: FloatArray  # (n, 3)
    acc_dropped: int  # accelerometer samples dropped for want of a gyro partner
    gyro_dropped: int


class _Queue:
    def __init__(self) -> None:
        self.t: FloatArray = np.empty(0)
        self.xyz: FloatArray = np.empty((0, 3))

    def add(self, t: FloatArray, xyz: FloatArray) -> None:
        self.t = np.concatenate([self.t, t])
        self.xyz = np.concatenate([self.xyz, xyz])

    def keep_from(self, i: int) -> None:
        self.t, self.xyz = self.t[i:], self.xyz[i:]


class ImuPairer:
    """Feed each stream as it arrives; ``pop`` returns what can be paired so far."""

    def __init__(self, period_s: float, max_pending: int = 2000) -> None:
        self.tolerance_s = 0.5 * period_s
        self.max_pending = max_pending
        self._acc = _Queue()
        self._gyro = _Queue()
        self._synced = False

    def add_acc(self, t: FloatArray, acc: FloatArray) -> None:
        self._acc.add(t, acc)

    def add_gyro(self, t: FloatArray, gyro: FloatArray) -> None:
        self._gyro.add(t, gyro)

    @property
    def pending_acc(self) -> int:
        return len(self._acc.t)

    def pop(self) -> Paired:
        """Pairs complete so far, oldest first; unpairable samples dropped and counted."""
        ia, ig, pairs = self._match()
        a_idx = np.array([a for a, _ in pairs], dtype=np.int64)
        g_idx = np.array([g for _, g in pairs], dtype=np.int64)
        t, acc, gyro = self._acc.t[a_idx], self._acc.xyz[a_idx], self._gyro.xyz[g_idx]
        acc_overflow = max(len(self._acc.t) - ia - self.max_pending, 0)
        gyro_overflow = max(len(self._gyro.t) - ig - self.max_pending, 0)
        self._acc.keep_from(ia + acc_overflow)
        self._gyro.keep_from(ig + gyro_overflow)
        n = len(pairs)
        acc_skipped, gyro_skipped = ia - n, ig - n
        if not self._synced and pairs:  # samples before the first pair are trimmed
            acc_skipped, gyro_skipped = acc_skipped - pairs[0][0], gyro_skipped - pairs[0][1]
        elif not self._synced:
            acc_skipped = gyro_skipped = 0
        self._synced = self._synced or n > 0
        return Paired(t, acc, gyro, acc_skipped + acc_overflow, gyro_skipped + gyro_overflow)

    def take_acc(self) -> tuple[FloatArray, FloatArray]:
        """All pending accelerometer samples, unpaired (for pods without a gyroscope)."""
        t, xyz = self._acc.t, self._acc.xyz
        self._acc = _Queue()
        return t, xyz

    def clear(self) -> int:
        """Forget pending samples (e.g. the link dropped); the accelerometer samples lost."""
        lost = len(self._acc.t) if self._synced else 0
        self._acc, self._gyro = _Queue(), _Queue()
        self._synced = False
        return lost

    def _match(self) -> tuple[int, int, list[tuple[int, int]]]:
        ta, tg, tol = self._acc.t, self._gyro.t, self.tolerance_s
        ia = ig = 0
        pairs: list[tuple[int, int]] = []
        while ia < len(ta) and ig < len(tg):
            if tg[ig] < ta[ia] - tol:
                ig += 1
            elif ta[ia] < tg[ig] - tol:
                ia += 1
            else:
                pairs.append((ia, ig))
                ia += 1
                ig += 1
        return ia, ig, pairs
