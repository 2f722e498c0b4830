"""Turns MetaWear acc and gyro notifications into paired sample blocks.

MetaWear sensor notifications carry no device time. Acc and gyro run from one IMU at one
output rate and BLE delivers notifications in order and without loss while the link is up,
so the k-th gyro sample of a connection belongs with its k-th acc sample: they are paired
in arrival order (pairing by host-stamped times would break whenever the host stalls).

Times: the pair count is the board's clock — exact within a connection, for the same
reason — and a ``DeviceTimeMapper`` maps count / nominal rate onto the session clock by the
earliest arrivals (estimating the board's real rate as drift). Only across a reconnect are
samples missing: the count then skips the outage (host arrival gap × rate) and counts it in
``samples_lost``. ``RateStamper`` is not used because it must guess gaps from late
arrivals, and a host stall of more than 0.1 s reads as loss there although BLE lost nothing.
If one stream gets more than ``MAX_AHEAD_S`` ahead of the other (a sample lost inside the
board), both queues are dropped, counted, and pairing starts afresh. A dropped link also
clears them (counted).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from drivers.clock_sync import DeviceTimeMapper, record_sync
from drivers.errors import DecodeError
from drivers.models.metamotion.decode import Sensor, StreamConfig, decode_sensor
from drivers.notify.rate import RateMeter
from drivers.types import FloatArray, LinkStats, SampleBlock

MAX_AHEAD_S = 1.0


class MetaMotionNotifications:
    """Decoder path for one board; ``config`` (chip, ranges) is set once module info is read."""

    def __init__(self, rate_hz: float, stats: LinkStats, config: StreamConfig) -> None:
        self.stats = stats
        self.config = config
        self.rate_hz = rate_hz
        self.mapper = DeviceTimeMapper()
        self._count = 0  # pairs so far on the board's clock, outages included
        self._last_arrival_s: float | None = None
        self._resumed = False
        self.max_ahead = max(int(MAX_AHEAD_S * rate_hz), 3)
        self._queues: dict[Sensor, deque[FloatArray]] = {Sensor.ACC: deque(), Sensor.GYRO: deque()}
        self._rate = RateMeter()

    def link_lost(self) -> None:
        """Samples waiting for a partner will not get one: count them lost."""
        self._drop_queues()
        self._resumed = True

    def _drop_queues(self) -> None:
        self.stats.samples_lost += len(self._queues[Sensor.ACC])
        for queue in self._queues.values():
            queue.clear()

    def feed(self, payload: bytes, arrival_s: float) -> SampleBlock:
        self.stats.notifications += 1
        self.stats.last_arrival_s = arrival_s
        try:
            samples = decode_sensor(payload, self.config)
        except DecodeError:
            self.stats.frames_malformed += 1
            return SampleBlock.empty()
        if samples.sensor is Sensor.MAG:
            return SampleBlock.empty()
        self._queues[samples.sensor].extend(samples.values)
        self._resync_if_apart()
        return self._pairs(arrival_s)

    def _resync_if_apart(self) -> None:
        acc, gyro = self._queues[Sensor.ACC], self._queues[Sensor.GYRO]
        if abs(len(acc) - len(gyro)) > self.max_ahead:
            self.stats.notes.append("MetaMotion acc and gyro streams fell apart: re-pairing")
            self._drop_queues()

    def _pairs(self, arrival_s: float) -> SampleBlock:
        acc, gyro = self._queues[Sensor.ACC], self._queues[Sensor.GYRO]
        n = min(len(acc), len(gyro))
        if n == 0:
            return SampleBlock.empty()
        acc_g = np.array([acc.popleft() for _ in range(n)])
        gyro_dps = np.array([gyro.popleft() for _ in range(n)])
        t_s = self._stamp(n, arrival_s)
        self.stats.samples += n
        self.stats.effective_rate_hz = self._rate.add(arrival_s, n)
        record_sync(self.stats, self.mapper.estimate)
        return SampleBlock(t_s, acc_g, gyro_dps)

    def _stamp(self, n: int, arrival_s: float) -> FloatArray:
        """Session times of ``n`` pairs completed at ``arrival_s``."""
        if self._resumed and self._last_arrival_s is not None:
            missing = round((arrival_s - self._last_arrival_s) * self.rate_hz) - n
            self._count += max(missing, 0)
            self.stats.samples_lost += max(missing, 0)
        self._resumed = False
        self._last_arrival_s = arrival_s
        device_s = (self._count + np.arange(n, dtype=np.float64)) / self.rate_hz
        self._count += n
        self.mapper.observe(float(device_s[-1]), arrival_s)
        return self.mapper.to_session_s(device_s)
