"""Conditions a simulated session can be run under, beyond the runner's profile (issue 12).

Each field's default is the simulator as it always was, so a model built without conditions
gives exactly the samples it gave before. The ranges in the field comments are those the
running literature reports and the wide accuracy benchmark draws from.

- ``terminal_swing``: the shoe's forward deceleration just before contact and how long before
  contact its pitch peaks (``drivers.sim.swing``); None: the swing as before (its forward
  deceleration peaks ~125 ms before contact, the pitch rate is zero at contact).
- ``impact_peak_g``: the shoe's landing transient peak (2-15 g), replacing the strike-angle
  dependent peak of ``drivers.sim.impact`` (ringing frequency and decay still follow the
  strike); the trunk and pelvis transients keep their share of it.
- ``trunk_pod_level``: where on the spine the trunk pod sits, "T1".."T12" or "L1".."L5"
  (``trunk_pod_offset_m``); the pod rides rigidly on the trunk segment, so a higher pod
  gets more tangential acceleration from the trunk's pitching and a lower one sees the
  pelvis's braking and bounce nearly unchanged. None: 0.45 m above the pelvis centre and
  0.12 m behind it (about T5).
- ``trunk_flex_phase_deg``: phase of the trunk's step-frequency flexion oscillation, degrees
  of a step cycle: flexion is ``lean + rom/2 cos(2 phi - 2 ms - phase)``, so it peaks
  ``phase / 360`` of a step after mid-stance. Any of 0..360; None: 0.3 rad (17.2°).
- ``acc_noise_g``: accelerometer white noise per pod, g RMS per axis (2-25 mg); pods left out
  keep the model's common ``acc_noise_g``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from drivers.types import FloatArray, Placement

# The spine from T1 to L5 as 17 levels; heights above the pelvis centre (the base point the
# trunk rotates about) and distance behind it of the skin over each spinous process.
SPINE_LEVELS = tuple([f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)])
T1_HEIGHT_M = 0.58
L5_HEIGHT_M = 0.08
THORACIC_BEHIND_M = 0.12  # T1..T12: skin over the spinous processes, behind the base point
L5_BEHIND_M = 0.09  # the lumbar curve brings the skin forward toward the sacrum
DEFAULT_TRUNK_POD_M = np.array([-0.12, 0.0, 0.45])
DEFAULT_FLEX_PHASE_RAD = 0.3


@dataclass(frozen=True)
class TerminalSwing:
    """The last part of the shoe's swing.

    ``decel_g``: the peak forward deceleration (g, 3-10) of the foot in the last
    ``window_s`` before contact; ``pitch_lead_s``: how long before contact the foot's pitch
    peaks (its rate crosses zero, s, 0.01-0.05), after which the toes come down by
    ``pitch_drop_deg`` until the sole touches, so the pitch rate at contact is toes-down.
    """

    decel_g: float
    pitch_lead_s: float = 0.03
    pitch_drop_deg: float = 3.0
    window_s: float = 0.04

    def __post_init__(self) -> None:
        if not 0.5 <= self.decel_g <= 15.0:
            raise ValueError(f"decel_g {self.decel_g} outside 0.5..15")
        if not 0.005 <= self.pitch_lead_s <= 0.08:
            raise ValueError(f"pitch_lead_s {self.pitch_lead_s} outside 0.005..0.08")
        if not 0.02 <= self.window_s <= 0.12:
            raise ValueError(f"window_s {self.window_s} outside 0.02..0.12")


@dataclass(frozen=True)
class Conditions:
    """See the module docstring; the defaults change nothing."""

    terminal_swing: TerminalSwing | None = None
    impact_peak_g: float | None = None
    trunk_pod_level: str | None = None
    trunk_flex_phase_deg: float | None = None
    acc_noise_g: Mapping[Placement, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.trunk_pod_level is not None and self.trunk_pod_level not in SPINE_LEVELS:
            raise ValueError("trunk_pod_level must be one of T1..T12, L1..L5")
        if self.impact_peak_g is not None and not 0.5 <= self.impact_peak_g <= 20.0:
            raise ValueError(f"impact_peak_g {self.impact_peak_g} outside 0.5..20")
        if any(v < 0.0 for v in self.acc_noise_g.values()):
            raise ValueError("acc_noise_g must be >= 0")

    @property
    def flex_phase_rad(self) -> float:
        if self.trunk_flex_phase_deg is None:
            return DEFAULT_FLEX_PHASE_RAD
        return float(np.radians(self.trunk_flex_phase_deg))

    def trunk_pod_m(self) -> FloatArray:
        """The trunk pod's position on the trunk segment, relative to the pelvis centre."""
        if self.trunk_pod_level is None:
            return DEFAULT_TRUNK_POD_M
        return trunk_pod_offset_m(self.trunk_pod_level)

    def noise_g(self, placement: Placement, default_g: float) -> float:
        return float(self.acc_noise_g.get(placement, default_g))

    def describe(self) -> str:
        """One line of the conditions that differ from the defaults."""
        parts = []
        if self.terminal_swing is not None:
            ts = self.terminal_swing
            parts.append(
                f"swing decel {ts.decel_g:.1f} g, pitch peak {1000 * ts.pitch_lead_s:.0f} ms"
            )
        if self.impact_peak_g is not None:
            parts.append(f"impact {self.impact_peak_g:.1f} g")
        if self.trunk_pod_level is not None:
            parts.append(f"trunk pod {self.trunk_pod_level}")
        if self.trunk_flex_phase_deg is not None:
            parts.append(f"flex phase {self.trunk_flex_phase_deg:.0f}°")
        if self.acc_noise_g:
            mg = " ".join(f"{p.value} {1000 * v:.0f}" for p, v in self.acc_noise_g.items())
            parts.append(f"noise mg: {mg}")
        return ", ".join(parts) or "default conditions"


def trunk_pod_offset_m(level: str) -> FloatArray:
    """(3,) position of a pod over spinous process ``level`` ("T1".."L5") on the trunk
    segment: height linear in the level from T1 (0.58 m) to L5 (0.08 m) above the pelvis
    centre; 0.12 m behind it along the thoracic spine, coming forward to 0.09 m at L5."""
    i = SPINE_LEVELS.index(level)
    u = i / (len(SPINE_LEVELS) - 1)
    height = T1_HEIGHT_M + u * (L5_HEIGHT_M - T1_HEIGHT_M)
    lumbar = max(i - 11, 0) / 5.0
    behind = THORACIC_BEHIND_M + lumbar * (L5_BEHIND_M - THORACIC_BEHIND_M)
    return np.array([-behind, 0.0, height])


DEFAULT_CONDITIONS = Conditions()
