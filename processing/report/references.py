"""The literature the report compares against, with full citations.

Only values the cited papers report are given; where a paper reports a group difference
without a cut-off, the report says so instead of inventing one. The "guarded" trunk-twist
threshold is a clinic setting (the feedback default), not a published value.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    """A paper: ``key`` is how the report cites it in text ("Altman & Davis 2012")."""

    key: str
    authors: str
    year: int
    title: str
    journal: str
    volume_pages: str
    doi: str = ""

    @property
    def citation(self) -> str:
        doi = f" doi:{self.doi}" if self.doi else ""
        return (
            f"{self.authors} ({self.year}). {self.title}. {self.journal} {self.volume_pages}.{doi}"
        )


ALTMAN_DAVIS_2012 = Reference(
    "Altman & Davis 2012",
    "Altman AR, Davis IS",
    2012,
    "A kinematic method for footstrike pattern detection in barefoot and shod runners",
    "Gait & Posture",
    "35(2):298–300",
    "10.1016/j.gaitpost.2011.09.104",
)
SEAY_2011_CLIN_BIOMECH = Reference(
    "Seay et al. 2011a",
    "Seay JF, Van Emmerik REA, Hamill J",
    2011,
    "Low back pain status affects pelvis-trunk coordination and variability during walking "
    "and running",
    "Clinical Biomechanics",
    "26(6):572–578",
    "10.1016/j.clinbiomech.2010.11.012",
)
SEAY_2011_SPINE = Reference(
    "Seay et al. 2011b",
    "Seay JF, Van Emmerik REA, Hamill J",
    2011,
    "Influence of low back pain status on pelvis-trunk coordination during walking and running",
    "Spine",
    "36(16):E1070–E1079",
    "10.1097/BRS.0b013e3182015f7c",
)
SEAY_2014 = Reference(
    "Seay et al. 2014",
    "Seay JF, Van Emmerik REA, Hamill J",
    2014,
    "Trunk bend and twist coordination is affected by low back pain status during running",
    "European Journal of Sport Science",
    "14(6):563–568",
)
TENG_POWERS_2015 = Reference(
    "Teng & Powers 2015",
    "Teng HL, Powers CM",
    2015,
    "Influence of trunk posture on lower extremity energetics during running",
    "Medicine & Science in Sports & Exercise",
    "47(3):625–630",
    "10.1249/MSS.0000000000000436",
)
REFERENCES = (
    ALTMAN_DAVIS_2012,
    SEAY_2011_CLIN_BIOMECH,
    SEAY_2011_SPINE,
    SEAY_2014,
    TENG_POWERS_2015,
)


@dataclass(frozen=True)
class ReferenceValue:
    """One row of the reference table: the measure, what the literature reports, and how
    gaitdeck's figure relates to it."""

    measure: str
    reported: str
    source: Reference
    caveat: str


REFERENCE_VALUES = (
    ReferenceValue(
        "Foot strike angle (FSA) → strike type",
        "rearfoot above 8°, midfoot −1.6° to 8°, forefoot below −1.6° (FSA: the sagittal foot "
        "angle at initial contact)",
        ALTMAN_DAVIS_2012,
        "gaitdeck classifies with the thresholds shown in the strike section; the defaults "
        "are these.",
    ),
    ReferenceValue(
        "Trunk flexion (forward lean)",
        "mean trunk flexion in stance 10.8° ± 2.2° (high-flexion group) vs 3.6° ± 2.8° "
        "(low-flexion group); 40 recreational runners, overground at 3.4 m/s",
        TENG_POWERS_2015,
        "gaitdeck's trunk flexion is the mean over the whole stride, relative to the runner's "
        "own quiet standing: compare with care.",
    ),
    ReferenceValue(
        "Pelvis–trunk coordination, transverse plane (CRP)",
        "during running, runners with current and with resolved low back pain were more "
        "in-phase than controls; the current-pain group had less coordination variability",
        SEAY_2011_CLIN_BIOMECH,
        "a group difference, not a cut-off: use the runner's own sessions as the baseline.",
    ),
    ReferenceValue(
        "Pelvis–trunk coordination, transverse plane (vector coding)",
        "during running, the low back pain group spent more of the stride in-phase and had "
        "more pelvis axial rotation than controls; current and resolved pain groups showed "
        "less anti-phase coordination",
        SEAY_2011_SPINE,
        "gaitdeck's in-phase / anti-phase / pelvis-phase / trunk-phase shares are the same kind "
        "of vector-coding bins; no cut-off is published.",
    ),
    ReferenceValue(
        "Trunk bend–twist coordination (CRP)",
        "more in-phase in runners with low back pain than in controls, at every running speed",
        SEAY_2014,
        "shown in the coordination section as trunk bend–twist.",
    ),
)
