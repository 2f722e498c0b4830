"""Typed values that cross the driver boundary: placements, sample blocks, pod status."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


class Placement(enum.StrEnum):
    """Where a pod is worn."""

    TRUNK = "trunk"  # upper trunk, over T8 or the sternum
    PELVIS = "pelvis"  # over the sacrum
    LEFT_SHOE = "left_shoe"
    RIGHT_SHOE = "right_shoe"

    @property
    def is_shoe(self) -> bool:
        return self in (Placement.LEFT_SHOE, Placement.RIGHT_SHOE)


SHOES = (Placement.LEFT_SHOE, Placement.RIGHT_SHOE)


@dataclass(frozen=True)
class SampleBlock:
    """A run of IMU samples from one pod, in the pod's own sensor axes.

    ``t_s`` is (n,) seconds on the session clock; ``acc_g`` is (n, 3) specific force in
    units of standard gravity; ``gyro_dps`` is (n, 3) angular velocity in degrees per second.
    """

    t_s: FloatArray
    acc_g: FloatArray
    gyro_dps: FloatArray

    def __post_init__(self) -> None:
        n = self.t_s.shape[0]
        if self.t_s.ndim != 1 or self.acc_g.shape != (n, 3) or self.gyro_dps.shape != (n, 3):
            raise ValueError(
                f"inconsistent block shapes: t_s {self.t_s.shape}, acc_g {self.acc_g.shape}, "
                f"gyro_dps {self.gyro_dps.shape}"
            )

    def __len__(self) -> int:
        return int(self.t_s.shape[0])

    @classmethod
    def empty(cls) -> SampleBlock:
        return cls(np.empty(0), np.empty((0, 3)), np.empty((0, 3)))

    @classmethod
    def concat(cls, blocks: list[SampleBlock]) -> SampleBlock:
        if not blocks:
            return cls.empty()
        return cls(
            np.concatenate([b.t_s for b in blocks]),
            np.concatenate([b.acc_g for b in blocks]),
            np.concatenate([b.gyro_dps for b in blocks]),
        )

    def slice(self, start: int, stop: int) -> SampleBlock:
        return SampleBlock(self.t_s[start:stop], self.acc_g[start:stop], self.gyro_dps[start:stop])


class PodState(enum.StrEnum):
    """Connection state of one pod, as shown in the pod status row."""

    CONNECTING = "connecting"
    STREAMING = "streaming"
    LOST = "lost"  # no data for longer than the pod's timeout; may come back
    STOPPED = "stopped"


@dataclass(frozen=True)
class PodInfo:
    """What a pod is and where it is worn."""

    pod_id: str
    placement: Placement
    model: str
    address: str
    nominal_rate_hz: float


@dataclass
class LinkStats:
    """Counters a source keeps about its link; read by the status row."""

    state: PodState = PodState.CONNECTING
    notifications: int = 0
    samples: int = 0
    samples_lost: int = 0
    frames_malformed: int = 0
    reconnects: int = 0
    last_arrival_s: float | None = None
    effective_rate_hz: float = 0.0
    # Pod clock on the session clock (drivers.clock_sync.SyncEstimate): session minus device
    # time at the latest sample, the pod's rate error (positive: slower than its clock or
    # nominal rate says), and the median arrival latency above the fitted envelope.
    sync_offset_ms: float | None = None
    sync_drift_ppm: float | None = None
    sync_jitter_ms: float | None = None
    notes: list[str] = field(default_factory=list)
