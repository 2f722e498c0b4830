"""Turns Polar PMD data frames into sample blocks on the session clock.

Each frame carries the device time (ns since 2000) of its last sample. Per stream (ACC,
GYRO) the frame's samples are spaced evenly since the previous frame, as the Polar SDK
does — unless the interval holds clearly more samples than the frame (a gap: frames were
lost, or the link dropped and the stream restarted). Then the missing samples are counted
in ``samples_lost`` and the frame's samples are spaced at the nominal rate ending at its
timestamp: nothing is interpolated across the gap. The frame's last-sample device time and
its host arrival feed a ``DeviceTimeMapper`` (offset and drift onto the session clock),
which maps every paired sample's device time to session seconds; its estimate (offset,
drift, jitter) goes into ``LinkStats.sync_*``.

ACC and GYRO (Verity Sense) are paired by device time (``drivers.notify.pairing``). On an
acc-only pod (H10, OH1) ``gyro_dps`` is NaN: downstream stages must treat NaN gyro as
"no gyroscope" (orientation from gravity alone), not as data.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from drivers.clock_sync import DeviceTimeMapper, record_sync
from drivers.errors import DecodeError
from drivers.models.polar.decode import PmdFrame, decode_data_frame, sample_timestamps_ns
from drivers.models.polar.profile import MeasurementType
from drivers.notify.pairing import ImuPairer
from drivers.notify.rate import RateMeter
from drivers.types import FloatArray, LinkStats, SampleBlock

CLOCK_RESET_S = 10.0  # a device clock this far backwards was reset (H10 off its strap)
MIN_STEP_S = 1e-6  # session times stay strictly increasing by at least this much


@dataclass
class _StreamClock:
    """Device-time bookkeeping of one PMD stream."""

    rate_hz: float
    factor: float = 1.0
    last_ns: int | None = None

    def times_ns(self, frame: PmdFrame) -> tuple[np.ndarray, int]:
        """Device time of each sample, and the samples missing before this frame."""
        n, ts = len(frame), frame.timestamp_ns
        missing = 0
        previous = self.last_ns
        if previous is not None:
            missing = round((ts - previous) * self.rate_hz * 1e-9) - n
            if missing > max(1, n // 10):
                previous = None  # a gap: space at the nominal rate, do not stretch
            else:
                missing = 0
        self.last_ns = ts
        return sample_timestamps_ns(ts, n, self.rate_hz, previous), missing


class PolarNotifications:
    """Decoder path for PMD data frames; ``gyro=False`` for acc-only pods."""

    def __init__(
        self,
        rate_hz: float,
        stats: LinkStats,
        *,
        gyro: bool = True,
        mapper_factory: Callable[[], DeviceTimeMapper] = DeviceTimeMapper,
    ) -> None:
        self.rate_hz = rate_hz
        self.stats = stats
        self.gyro = gyro
        self.mapper_factory = mapper_factory
        self.mapper = mapper_factory()
        self._clocks = {
            m: _StreamClock(rate_hz) for m in (MeasurementType.ACC, MeasurementType.GYRO)
        }
        self._pairer = ImuPairer(1.0 / rate_hz)
        self._rate = RateMeter()
        self._base_ns: int | None = None
        self._last_t_s = -math.inf

    def set_factor(self, measurement: MeasurementType, factor: float) -> None:
        """The FACTOR of a start response (1.0 if it sent none)."""
        self._clocks[measurement].factor = factor

    def link_lost(self) -> None:
        """Samples waiting for a partner will not get one: count them lost."""
        self.stats.samples_lost += self._pairer.clear()

    def feed(self, payload: bytes, arrival_s: float) -> SampleBlock:
        self.stats.notifications += 1
        self.stats.last_arrival_s = arrival_s
        frame = self._decode(payload)
        if frame is None:
            self.stats.frames_malformed += 1
            return SampleBlock.empty()
        measurement = MeasurementType(frame.header.measurement)
        try:
            device_s = self._device_s(measurement, frame, arrival_s)
        except DecodeError:  # a timestamp no clock can have
            self.stats.frames_malformed += 1
            return SampleBlock.empty()
        if device_s is None:
            return SampleBlock.empty()
        if measurement is MeasurementType.ACC:
            self._pairer.add_acc(device_s, frame.values)
        else:
            self._pairer.add_gyro(device_s, frame.values)
        return self._emit(arrival_s)

    def _decode(self, payload: bytes) -> PmdFrame | None:
        wanted = {MeasurementType.ACC, MeasurementType.GYRO} if self.gyro else {MeasurementType.ACC}
        if len(payload) < 1 or payload[0] & 0x3F not in wanted:
            return None
        try:
            frame = decode_data_frame(
                payload, self._clocks[MeasurementType(payload[0] & 0x3F)].factor
            )
        except DecodeError:
            return None
        return frame if len(frame) else None

    def _device_s(
        self, measurement: MeasurementType, frame: PmdFrame, arrival_s: float
    ) -> FloatArray | None:
        """Device seconds of the frame's samples; None for an out-of-order frame."""
        clock = self._clocks[measurement]
        if clock.last_ns is not None and frame.timestamp_ns <= clock.last_ns:
            if (clock.last_ns - frame.timestamp_ns) * 1e-9 < CLOCK_RESET_S:
                self.stats.frames_malformed += 1
                return None
            self._restart_device_clock()
        times_ns, missing = clock.times_ns(frame)
        if measurement is MeasurementType.ACC:
            self.stats.samples_lost += missing
        if self._base_ns is None:
            self._base_ns = int(times_ns[0])
        device_s = (times_ns - self._base_ns).astype(np.float64) * 1e-9
        self.mapper.observe(float(device_s[-1]), arrival_s)
        record_sync(self.stats, self.mapper.estimate)
        return device_s

    def _restart_device_clock(self) -> None:
        self.stats.notes.append("Polar device clock went backwards: re-synchronising")
        self.link_lost()
        self.mapper = self.mapper_factory()
        self._base_ns = None
        for clock in self._clocks.values():
            clock.last_ns = None

    def _emit(self, arrival_s: float) -> SampleBlock:
        if self.gyro:
            paired = self._pairer.pop()
            device_s, acc_g, gyro_dps = paired.t, paired.acc, paired.gyro
            self.stats.samples_lost += paired.acc_dropped
        else:
            acc = self._pairer.take_acc()
            device_s, acc_g = acc
            gyro_dps = np.full_like(acc_g, np.nan)
        if not len(device_s):
            return SampleBlock.empty()
        t_s = self._monotone(self.mapper.to_session_s(device_s))
        self.stats.samples += len(t_s)
        self.stats.effective_rate_hz = self._rate.add(arrival_s, len(t_s))
        return SampleBlock(t_s, acc_g, gyro_dps)

    def _monotone(self, t_s: FloatArray) -> FloatArray:
        """Session times never step back when the clock estimate moves (by microseconds)."""
        floor = self._last_t_s + MIN_STEP_S * np.arange(1, len(t_s) + 1)
        out = np.maximum(np.maximum.accumulate(t_s), floor)
        self._last_t_s = float(out[-1])
        return np.asarray(out, dtype=np.float64)
