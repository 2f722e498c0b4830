"""LslOutlet: gaitdeck's Lab Streaming Layer streams, fed from the processing side.

One IMU stream per pod (``drivers.lsl.stream_info.imu_stream_info``), one marker stream
(strings, irregular) and optionally one stream of named values (float32, irregular). Every
time stamp is given explicitly: session-clock seconds mapped to LSL time by an offset
measured once at start (``drivers.lsl.time_map``), so samples carry the time gaitdeck gave
them (after clock sync), not the time they happened to be pushed.

``push`` has the ``PodSink`` signature, so the outlet can be fed where sources deliver, and
every push method is safe to call from any thread; after ``close`` pushes are ignored.
Samples whose time is not finite are not sent (LSL needs a time stamp); NaN values are.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np
import pylsl

from drivers.lsl.stream_info import (
    DEFAULT_TAG,
    imu_stream_info,
    marker_stream_info,
    metrics_stream_info,
)
from drivers.lsl.time_map import LslTimeMap
from drivers.types import PodInfo, SampleBlock


class LslOutlet:
    """Outlets for ``pods`` (by pod id), a marker stream and, if ``value_channels`` are
    given ((label, unit) pairs), a value stream. ``session_now_s`` reads the session clock
    (e.g. ``SessionClock.now_s``); the LSL offset is measured from it here."""

    def __init__(
        self,
        pods: Sequence[PodInfo],
        value_channels: Sequence[tuple[str, str]] = (),
        *,
        session_now_s: Callable[[], float],
        tag: str = DEFAULT_TAG,
    ) -> None:
        self.time_map = LslTimeMap(session_now_s)
        self.pods = {pod.pod_id: pod for pod in pods}
        self._imu = {pod.pod_id: pylsl.StreamOutlet(imu_stream_info(pod, tag)) for pod in pods}
        self._markers: pylsl.StreamOutlet | None = pylsl.StreamOutlet(marker_stream_info(tag))
        self._values = (
            pylsl.StreamOutlet(metrics_stream_info(value_channels, tag)) if value_channels else None
        )
        self.value_channels = [label for label, _ in value_channels]
        self._lock = threading.Lock()
        self._closed = False
        self.samples_sent = 0
        self.markers_sent = 0
        self.values_sent = 0

    def push_samples(self, pod_id: str, block: SampleBlock) -> None:
        """Send a pod's samples (acc_g xyz, gyro_dps xyz) stamped with their own times."""
        if pod_id not in self.pods:
            raise KeyError(f"no LSL stream for pod {pod_id!r}")
        finite = np.isfinite(block.t_s)
        if not finite.any():
            return
        data = np.column_stack([block.acc_g[finite], block.gyro_dps[finite]]).astype(np.float32)
        stamps = self.time_map.to_lsl(block.t_s[finite]).tolist()
        with self._lock:
            if self._closed:
                return
            self._imu[pod_id].push_chunk(data, stamps)
            self.samples_sent += len(stamps)

    push = push_samples  # PodSink

    def push_marker(self, t_s: float, text: str) -> None:
        """Send one marker string stamped at session time ``t_s``."""
        with self._lock:
            if self._markers is None:
                return
            self._markers.push_sample([text], self.time_map.to_lsl_s(t_s))
            self.markers_sent += 1

    def push_values(self, t_s: float, values: Sequence[float]) -> None:
        """Send one sample of the value stream (in ``value_channels`` order) at ``t_s``."""
        if not self.value_channels:
            raise RuntimeError("this outlet was made without value channels")
        if len(values) != len(self.value_channels):
            raise ValueError(f"expected {len(self.value_channels)} values, got {len(values)}")
        with self._lock:
            if self._values is None:
                return
            self._values.push_sample([float(v) for v in values], self.time_map.to_lsl_s(t_s))
            self.values_sent += 1

    def close(self) -> None:
        """Withdraw every stream; later pushes are ignored."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            # dropping the last reference destroys an outlet, which withdraws its stream
            self._imu.clear()
            self._markers = None
            self._values = None

    @property
    def closed(self) -> bool:
        return self._closed
