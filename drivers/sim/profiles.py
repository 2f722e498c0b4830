"""Simulated runner profiles: one runner described as data.

Angles are in degrees, times in the unit their name says. Ranges (``*_rom_deg``) are
peak-to-peak per stride. Values are chosen to sit inside published ranges: foot strike angle
(Altman & Davis 2012: rearfoot > 8°, midfoot -1.6..8°, forefoot < -1.6°), trunk lean
(Teng & Powers 2015: ~4° vs ~11°), trunk and pelvis axial rotation (~5-7° "guarded" vs
~10-15° relaxed) and cadence 165-180 steps/min.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.errors import UnknownRunnerError

STRIKE_STYLES = ("rearfoot", "midfoot", "forefoot", "mixed")


@dataclass(frozen=True)
class RunnerProfile:
    """One simulated runner.

    ``fsa_mean_deg``/``fsa_sd_deg`` are the foot strike angle (+ toes up) drawn per step; for
    ``strike_style == 'mixed'`` each step picks a style and uses that style's own mean and sd
    (see ``drivers.sim.steps.STYLE_FSA_DEG``) instead. ``pelvis_trunk_phase_deg`` is the phase of
    pelvis axial rotation minus that of the trunk: 0 = in phase ("guarded"), 180 = anti-phase.
    """

    name: str
    cadence_spm: float
    speed_mps: float
    strike_style: str
    fsa_mean_deg: float
    fsa_sd_deg: float
    contact_ms: float
    trunk_flex_mean_deg: float
    trunk_flex_rom_deg: float
    trunk_rot_rom_deg: float
    pelvis_rot_rom_deg: float
    pelvis_trunk_phase_deg: float
    trunk_lat_rom_deg: float
    pelvis_tilt_rom_deg: float
    pelvis_obliquity_rom_deg: float
    pelvis_tilt_mean_deg: float = 2.0  # anterior tilt while running, relative to standing
    vertical_osc_m: float = 0.08  # centre-of-mass vertical excursion, peak to peak
    step_width_m: float = 0.10  # lateral distance between the two shoe pods
    toe_out_deg: float = 7.0  # standing foot progression angle (toes lateral)
    step_time_cv: float = 0.015  # step-to-step coefficient of variation of step time
    contact_cv: float = 0.04  # step-to-step coefficient of variation of contact time

    def __post_init__(self) -> None:
        if self.strike_style not in STRIKE_STYLES:
            raise ValueError(
                f"strike_style must be one of {STRIKE_STYLES}, not {self.strike_style!r}"
            )
        if not 100.0 <= self.cadence_spm <= 240.0:
            raise ValueError(f"cadence_spm {self.cadence_spm} outside 100..240")
        if not 0.5 <= self.speed_mps <= 8.0:
            raise ValueError(f"speed_mps {self.speed_mps} outside 0.5..8")
        if not 0.3 <= self.contact_ms / 1000.0 / self.step_period_s <= 0.9:
            raise ValueError("contact_ms must be 30-90 % of the step period")

    @property
    def step_period_s(self) -> float:
        """Nominal time from one initial contact to the next (either foot)."""
        return 60.0 / self.cadence_spm

    @property
    def step_length_m(self) -> float:
        return self.speed_mps * self.step_period_s


PROFILES: dict[str, RunnerProfile] = {
    p.name: p
    for p in (
        RunnerProfile(
            name="heel-striker-guarded",
            cadence_spm=166.0,
            speed_mps=3.2,
            strike_style="rearfoot",
            fsa_mean_deg=18.0,
            fsa_sd_deg=4.0,
            contact_ms=265.0,
            trunk_flex_mean_deg=5.0,
            trunk_flex_rom_deg=4.0,
            trunk_rot_rom_deg=6.0,
            pelvis_rot_rom_deg=6.0,
            pelvis_trunk_phase_deg=30.0,
            trunk_lat_rom_deg=5.0,
            pelvis_tilt_rom_deg=4.0,
            pelvis_obliquity_rom_deg=7.0,
        ),
        RunnerProfile(
            name="forefoot-relaxed",
            cadence_spm=178.0,
            speed_mps=3.8,
            strike_style="forefoot",
            fsa_mean_deg=-7.0,
            fsa_sd_deg=2.5,
            contact_ms=225.0,
            trunk_flex_mean_deg=11.0,
            trunk_flex_rom_deg=6.0,
            trunk_rot_rom_deg=13.0,
            pelvis_rot_rom_deg=12.0,
            pelvis_trunk_phase_deg=170.0,
            trunk_lat_rom_deg=7.0,
            pelvis_tilt_rom_deg=5.0,
            pelvis_obliquity_rom_deg=9.0,
        ),
        RunnerProfile(
            name="midfoot",
            cadence_spm=172.0,
            speed_mps=3.5,
            strike_style="midfoot",
            fsa_mean_deg=3.0,
            fsa_sd_deg=2.0,
            contact_ms=240.0,
            trunk_flex_mean_deg=8.0,
            trunk_flex_rom_deg=5.0,
            trunk_rot_rom_deg=11.0,
            pelvis_rot_rom_deg=11.0,
            pelvis_trunk_phase_deg=150.0,
            trunk_lat_rom_deg=6.0,
            pelvis_tilt_rom_deg=5.0,
            pelvis_obliquity_rom_deg=8.0,
        ),
        RunnerProfile(
            name="mixed",
            cadence_spm=170.0,
            speed_mps=3.4,
            strike_style="mixed",
            fsa_mean_deg=6.5,  # mixture of the three styles; informative only
            fsa_sd_deg=10.6,
            contact_ms=245.0,
            trunk_flex_mean_deg=8.0,
            trunk_flex_rom_deg=5.0,
            trunk_rot_rom_deg=10.0,
            pelvis_rot_rom_deg=10.0,
            pelvis_trunk_phase_deg=120.0,
            trunk_lat_rom_deg=6.0,
            pelvis_tilt_rom_deg=5.0,
            pelvis_obliquity_rom_deg=8.0,
        ),
    )
}


def get_profile(name: str) -> RunnerProfile:
    """The profile called ``name``; raises ``UnknownRunnerError`` listing the known names."""
    try:
        return PROFILES[name]
    except KeyError:
        choices = ", ".join(sorted(PROFILES))
        raise UnknownRunnerError(f"unknown runner {name!r}; choose from: {choices}") from None
