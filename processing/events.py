"""What the processing engine publishes: strikes, completed steps and strides."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Side(enum.StrEnum):
    LEFT = "left"
    RIGHT = "right"


class StrikeType(enum.StrEnum):
    REARFOOT = "rearfoot"
    MIDFOOT = "midfoot"
    FOREFOOT = "forefoot"


@dataclass(frozen=True)
class StrikeThresholds:
    """Altman & Davis (2012): rearfoot above 8°, forefoot below -1.6°, midfoot between."""

    rearfoot_above_deg: float = 8.0
    forefoot_below_deg: float = -1.6

    def classify(self, fsa_deg: float) -> StrikeType:
        if fsa_deg > self.rearfoot_above_deg:
            return StrikeType.REARFOOT
        if fsa_deg < self.forefoot_below_deg:
            return StrikeType.FOREFOOT
        return StrikeType.MIDFOOT


@dataclass(frozen=True)
class StrikeEvent:
    """Published as soon as an initial contact is detected."""

    side: Side
    ic_s: float
    fsa_deg: float
    strike: StrikeType


@dataclass(frozen=True)
class StepEvent:
    """Published at toe-off, when the step's contact is complete."""

    side: Side
    ic_s: float
    to_s: float
    fsa_deg: float
    strike: StrikeType

    @property
    def contact_ms(self) -> float:
        return (self.to_s - self.ic_s) * 1000.0


@dataclass(frozen=True)
class StrideEvent:
    """One stride of one foot (IC to its next IC) with the trunk and pelvis ranges over it.

    A range is None where its pod is missing or could not be computed.
    """

    side: Side
    start_s: float
    end_s: float
    trunk_flex_mean_deg: float | None = None
    trunk_flex_rom_deg: float | None = None
    trunk_rot_rom_deg: float | None = None
    trunk_lat_rom_deg: float | None = None
    pelvis_rot_rom_deg: float | None = None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


GaitEvent = StrikeEvent | StepEvent | StrideEvent
