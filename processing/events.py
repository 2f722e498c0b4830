"""What the processing engine publishes: strikes, completed steps and strides."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from processing.quality import Quality


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
    """Published as soon as an initial contact is detected. ``quality``: the doubts known
    at IC (its pod's; see ``processing.quality``), ``quality_reason`` why it is low."""

    side: Side
    ic_s: float
    fsa_deg: float
    strike: StrikeType
    quality: Quality = Quality.GOOD
    quality_reason: str = ""


@dataclass(frozen=True)
class StepEvent:
    """Published at toe-off, when the step's contact is complete. ``fsa_spread_deg``: how
    far the two strike-angle estimates (carried forward to IC, carried back from the next
    mid-stance) differ (None with one only); ``quality`` and ``quality_reason`` judge the
    whole step (``processing.quality.step_flag``)."""

    side: Side
    ic_s: float
    to_s: float
    fsa_deg: float
    strike: StrikeType
    quality: Quality = Quality.GOOD
    quality_reason: str = ""
    fsa_spread_deg: float | None = None

    @property
    def contact_ms(self) -> float:
        return (self.to_s - self.ic_s) * 1000.0


@dataclass(frozen=True)
class StrideEvent:
    """One stride of one foot (IC to its next IC) with the trunk and pelvis ranges over it
    and the coordination of the pelvis–trunk and trunk bend–twist couplings.

    Ranges are max − min over the stride (pelvis tilt = its flexion angle, anterior +;
    obliquity = its lateral angle). Coordination per coupling (``pt_transverse``: pelvis vs
    trunk axial rotation, ``pt_sagittal``: pelvis tilt vs trunk flexion, ``trunk_bend_twist``:
    trunk lateral bend vs axial rotation; see ``processing.stages.coordination``):
    ``*_coupling_deg`` mean vector-coding coupling angle (axial mean, 0..180: 45 in-phase,
    135 anti-phase); ``*_in_phase_pct``, ``*_anti_phase_pct`` and the two segment-dominant
    ``*_<segment>_phase_pct`` shares of the stride (sum 100); ``*_cav_deg`` coupling angle
    variability and ``*_crp_sd_deg`` deviation phase over the foot's last 10 strides;
    ``*_crp_mean_deg`` |mean continuous relative phase|, 0 in phase .. 180 anti-phase.

    A value is None where a pod it needs is missing or could not be computed. ``quality``
    and ``quality_reason`` (``processing.quality.stride_flag``) say whether the stride's
    values can be trusted, and why not.
    """

    side: Side
    start_s: float
    end_s: float
    trunk_flex_mean_deg: float | None = None
    trunk_flex_rom_deg: float | None = None
    trunk_rot_rom_deg: float | None = None
    trunk_lat_rom_deg: float | None = None
    pelvis_rot_rom_deg: float | None = None
    pelvis_tilt_rom_deg: float | None = None
    pelvis_obliquity_rom_deg: float | None = None
    pt_transverse_coupling_deg: float | None = None
    pt_transverse_in_phase_pct: float | None = None
    pt_transverse_anti_phase_pct: float | None = None
    pt_transverse_pelvis_phase_pct: float | None = None
    pt_transverse_trunk_phase_pct: float | None = None
    pt_transverse_cav_deg: float | None = None
    pt_transverse_crp_mean_deg: float | None = None
    pt_transverse_crp_sd_deg: float | None = None
    pt_sagittal_coupling_deg: float | None = None
    pt_sagittal_in_phase_pct: float | None = None
    pt_sagittal_anti_phase_pct: float | None = None
    pt_sagittal_pelvis_phase_pct: float | None = None
    pt_sagittal_trunk_phase_pct: float | None = None
    pt_sagittal_cav_deg: float | None = None
    pt_sagittal_crp_mean_deg: float | None = None
    pt_sagittal_crp_sd_deg: float | None = None
    trunk_bend_twist_coupling_deg: float | None = None
    trunk_bend_twist_in_phase_pct: float | None = None
    trunk_bend_twist_anti_phase_pct: float | None = None
    trunk_bend_twist_bend_phase_pct: float | None = None
    trunk_bend_twist_twist_phase_pct: float | None = None
    trunk_bend_twist_cav_deg: float | None = None
    trunk_bend_twist_crp_mean_deg: float | None = None
    trunk_bend_twist_crp_sd_deg: float | None = None
    quality: Quality = Quality.GOOD
    quality_reason: str = ""

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


GaitEvent = StrikeEvent | StepEvent | StrideEvent
