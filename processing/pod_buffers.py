"""One ring buffer of IMU rows per pod placement; the sink that sources write into."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from drivers.types import FloatArray, Placement, PodInfo, SampleBlock
from processing.ring_buffer import RingBuffer

ROW_WIDTH = 7  # t_s, acc_g xyz, gyro_dps xyz
DEFAULT_SECONDS = 120.0


def block_to_rows(block: SampleBlock) -> FloatArray:
    return np.column_stack([block.t_s, block.acc_g, block.gyro_dps])


def rows_to_block(rows: FloatArray) -> SampleBlock:
    return SampleBlock(rows[:, 0].copy(), rows[:, 1:4].copy(), rows[:, 4:7].copy())


class PodBuffers:
    """Ring buffers keyed by placement, fed by sources through ``push``.

    ``on_write`` is called after every append (the engine's wake-up); it must be cheap.
    """

    def __init__(
        self,
        pods: Iterable[PodInfo],
        seconds: float = DEFAULT_SECONDS,
        on_write: Callable[[], None] | None = None,
    ) -> None:
        self.pods = {pod.pod_id: pod for pod in pods}
        self.buffers: dict[Placement, RingBuffer] = {}
        for pod in self.pods.values():
            if pod.placement in self.buffers:
                raise ValueError(f"two pods are placed on {pod.placement.value}")
            capacity = int(seconds * max(pod.nominal_rate_hz, 1.0)) + 1
            self.buffers[pod.placement] = RingBuffer(capacity, ROW_WIDTH)
        self.on_write = on_write

    def push(self, pod_id: str, block: SampleBlock) -> None:
        if len(block) == 0:
            return
        self.buffers[self.pods[pod_id].placement].append(block_to_rows(block))
        if self.on_write is not None:
            self.on_write()

    def latest(self, placement: Placement, n: int) -> SampleBlock:
        return rows_to_block(self.buffers[placement].latest(n))
