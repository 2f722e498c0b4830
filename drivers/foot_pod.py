"""Secondary pods that report running metrics rather than IMU samples (RSC 0x1814 foot pods).

They run like any ``Source`` (connect, recover, close) but push no sample blocks; the live
session shows their latest reading beside gaitdeck's own cadence. No BLE here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from drivers.models.rsc.decode import RscMeasurement


@dataclass(frozen=True)
class FootPodReading:
    """The latest RSC Measurement, in SI units, with its arrival on the session clock."""

    t_s: float
    speed_m_s: float
    cadence_per_min: int  # as the pod sends it: steps/min for the pods seen so far
    running: bool
    stride_length_m: float | None = None
    total_distance_m: float | None = None

    @classmethod
    def from_measurement(cls, t_s: float, m: RscMeasurement) -> FootPodReading:
        return cls(
            t_s, m.speed_m_s, m.cadence_per_min, m.running, m.stride_length_m, m.total_distance_m
        )


@runtime_checkable
class ReadingSource(Protocol):
    """A source with a latest foot-pod reading (None until the first one arrives)."""

    def latest_reading(self) -> FootPodReading | None: ...
