"""``PlaybackClock``: the recording time a replay shows now, shared by its pods.

At a speed it runs ``speed`` × wall time from its last anchor; paused it stands still; as
fast as possible (``speed=None``) it runs ``ASAP_LEAD_S`` ahead of the slowest pod still
playing, so pods stay within that of each other whatever their decoding cost, and stands
still while the consumer (``backlog_s``, e.g. the engine) is more than
``ASAP_MAX_BACKLOG_S`` behind, so nothing overflows its buffers. ``seek`` (and
a loop wrapping around) bumps ``generation``: pods then restart from ``origin_s``, the
position jumped to.
Thread-safe: the GUI sets it, the I/O loop's pods read it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

ASAP_LEAD_S = 0.2  # well inside the pipeline's STRIDE_WAIT_S: strides see every pod
ASAP_WAIT_S = 0.001
ASAP_MAX_BACKLOG_S = 1.0  # as fast as possible, but never further ahead of the consumer
POLL_S = 0.02  # longest a waiting pod sleeps before looking at the clock again
SPEEDS = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)


class PlaybackClock:
    def __init__(
        self,
        start_s: float = 0.0,
        speed: float | None = 1.0,
        *,
        wall: Callable[[], float] = time.monotonic,
        backlog_s: Callable[[], float] | None = None,
    ) -> None:
        self._wall = wall
        self.backlog_s = backlog_s  # as fast as possible: seconds the consumer is behind
        self.on_jump: Callable[[], None] | None = None  # after a seek or loop wrap
        self._lock = threading.Lock()
        self._anchor_s = start_s
        self._anchor_wall = wall()
        self.origin_s = start_s
        self._speed = speed
        self._paused = False
        self._loop: tuple[float, float] | None = None
        self._progress: dict[str, float] = {}
        self._pods: set[str] = set()
        self.generation = 0

    @property
    def speed(self) -> float | None:
        return self._speed

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def loop(self) -> tuple[float, float] | None:
        return self._loop

    def position_s(self) -> float:
        with self._lock:
            position = self._position()
            if self._loop is not None and position >= self._loop[1]:
                self._jump(self._loop[0])
                position = self._loop[0]
            return position

    def seek(self, t_s: float) -> None:
        with self._lock:
            self._jump(t_s)

    def set_speed(self, speed: float | None) -> None:
        """Real-time multiple (e.g. 0.25–20), or None for as fast as possible."""
        if speed is not None and speed <= 0.0:
            raise ValueError("speed must be positive")
        with self._lock:
            self._anchor_s, self._anchor_wall = self._position(), self._wall()
            self._speed = speed

    def pause(self) -> None:
        with self._lock:
            self._anchor_s, self._anchor_wall = self._position(), self._wall()
            self._paused = True

    def resume(self) -> None:
        with self._lock:
            self._anchor_wall = self._wall()
            self._paused = False

    def set_loop(self, start_s: float, end_s: float) -> None:
        """Play [start_s, end_s) over and over; from start_s now."""
        if end_s <= start_s:
            raise ValueError("a loop must end after it starts")
        with self._lock:
            self._loop = (start_s, end_s)
            self._jump(start_s)

    def clear_loop(self) -> None:
        with self._lock:
            self._loop = None

    def join(self, pod_id: str) -> None:
        """A pod plays on this clock: as fast as possible, nobody runs ahead of it until it
        reports where it is."""
        with self._lock:
            self._pods.add(pod_id)
            self._progress[pod_id] = self.origin_s

    def report(self, pod_id: str, t_s: float | None) -> None:
        """A pod's next item is at ``t_s`` (None: it has nothing more to play)."""
        with self._lock:
            if t_s is None:
                self._progress.pop(pod_id, None)
            else:
                self._progress[pod_id] = t_s

    async def wait_until(self, t_s: float, generation: int) -> bool:
        """Sleep until the clock reaches ``t_s``; False if a seek happened meanwhile."""
        while True:
            if self.generation != generation:
                return False
            position = self.position_s()
            if position >= t_s and self.generation == generation:
                return True
            if self._speed is None and not self._paused:
                await asyncio.sleep(ASAP_WAIT_S)  # ahead of the slowest: let it catch up
                continue
            rate = self._speed or 1.0
            await asyncio.sleep(POLL_S if self._paused else min(POLL_S, (t_s - position) / rate))

    def _position(self) -> float:
        if self._paused:
            return self._anchor_s
        if self._speed is None:
            behind = self.backlog_s() if self.backlog_s is not None else 0.0
            if self._progress and behind <= ASAP_MAX_BACKLOG_S:  # else stand still
                slowest = min(self._progress.values())
                self._anchor_s = max(self._anchor_s, slowest + ASAP_LEAD_S)
            return self._anchor_s
        return self._anchor_s + (self._wall() - self._anchor_wall) * self._speed

    def _jump(self, t_s: float) -> None:
        self._anchor_s, self._anchor_wall = t_s, self._wall()
        self.origin_s = t_s
        self._progress = dict.fromkeys(self._pods, t_s)
        self.generation += 1
        if self.on_jump is not None:
            self.on_jump()  # on the thread that jumped: before any pod plays on
