"""How far each number can be trusted: quality flags of steps, strides, pods and a session.

A flag is ``good`` or ``low`` (a pod's may also be ``ambiguous``: its axes could not be
decided) with the reasons, in words, that made it low. The rules are physics, not fits to a
data set:

* **step** — the strike angle is estimated twice (``processing.stages.shoe``): carried
  forward from the previous mid-stance at IC, and back from the mid-stance after toe-off.
  Both integrate the same gyro from a still, flat foot, so they agree within a few degrees
  unless the integration drifted or a contact was misplaced (``FSA_SPREAD_MAX_DEG``). The
  contact must last a physiological time (``CONTACT_MS``) and take a share of its stride
  that a walk or a run gives (``DUTY_FACTOR``): stance is about 60 % of a walking stride
  and 20–45 % of a running one (Novacheck 1998), so a share in ``DUTY_FACTOR_GAP`` (neither
  gait) or outside the range means a contact edge is wrong. A pod whose standing noise is
  above ``NOISY_ACC_SD_G`` lowers every step it gives.
* **stride** — a worn trunk or pelvis pod whose axes are not decided leaves the stride's
  angles out: the stride says why. A range beyond ``RANGE_CEILING_DEG`` (an angle wrap, a
  slipped strap) is not a trunk or pelvis motion of running or walking.
* **pod** — its reference (``ReferenceKind``), whether its axes are decided, its noise and
  the share of its steps that are low (``LOW_SHARE_MAX``).
* **session** — counts and shares of low steps and strides per pod, the ambiguous pods, one
  verdict: ``ambiguous`` if any pod is, else ``low`` if any pod is, else ``good``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

FSA_SPREAD_MAX_DEG = 5.0
"""The two strike-angle estimates of one step disagree by more than this: low."""
CONTACT_MS = (80.0, 1500.0)
"""Contact time limits: sprinting contacts last ~80 ms, slow walking stance ~1 s."""
DUTY_FACTOR = (0.15, 0.75)
"""Contact share of the stride, any gait (sprinting ~0.2, slow walking ~0.65)."""
DUTY_FACTOR_GAP = (0.48, 0.52)
"""Shares that are neither a run (≤ ~0.45) nor a walk (≥ ~0.55)."""
NOISY_ACC_SD_G = 0.035
"""Standing accelerometer noise (norm of per-axis SDs) above ~20 mg per axis: noisy pod."""
LOW_SHARE_MAX = 0.2
"""A pod (or session) with more than this share of low steps or strides is low."""
RANGE_CEILING_DEG = {
    "trunk_flex_rom_deg": 45.0,
    "trunk_rot_rom_deg": 90.0,
    "trunk_lat_rom_deg": 60.0,
    "pelvis_rot_rom_deg": 90.0,
    "pelvis_tilt_rom_deg": 45.0,
    "pelvis_obliquity_rom_deg": 60.0,
}
"""Per stride range beyond which it is no trunk or pelvis motion of gait (running ranges
are 5–40°; an angle wrap gives ~355°)."""


class Quality(enum.StrEnum):
    GOOD = "good"
    LOW = "low"
    AMBIGUOUS = "ambiguous"


class ReferenceKind(enum.StrEnum):
    """What a pod's angles are measured from."""

    STANDING = "standing"  # a quiet standing in the samples, found as live finds it
    LATER_STANDING = "later standing"  # the analysis looked ahead to a later standing
    CARRIED = "carried from live"  # the live session's calibration, carried in
    GAIT = "gait"  # no standing: the foot flat at mid-stance (shoe pods)
    NONE = "none"  # no reference: no angles


REFERENCE_WORDS = {
    ReferenceKind.STANDING: "quiet standing in the recording",
    ReferenceKind.LATER_STANDING: "a standing found by looking ahead (short or later)",
    ReferenceKind.CARRIED: "calibration carried from the live session",
    ReferenceKind.GAIT: "no standing: the foot flat at mid-stance, gathered over the steps",
    ReferenceKind.NONE: "no reference",
}


@dataclass(frozen=True)
class Flag:
    """A quality and the reasons for it (none when good)."""

    quality: Quality = Quality.GOOD
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def good(self) -> bool:
        return self.quality is Quality.GOOD


def flag_of(reasons: Iterable[str]) -> Flag:
    """Low with ``reasons``, or good without any."""
    found = tuple(reasons)
    return Flag(Quality.LOW if found else Quality.GOOD, found)


def step_flag(
    contact_ms: float | None,
    fsa_spread_deg: float | None,
    stride_s: float | None,
    pod_reasons: Sequence[str] = (),
) -> Flag:
    """One step: its two strike-angle estimates, its contact time and its share of the
    stride that ends at its IC (None where not known), and the doubts about its pod."""
    reasons = list(pod_reasons)
    if fsa_spread_deg is not None and fsa_spread_deg > FSA_SPREAD_MAX_DEG:
        reasons.append(f"FSA estimates {fsa_spread_deg:.0f}° apart")
    if contact_ms is not None and not CONTACT_MS[0] <= contact_ms <= CONTACT_MS[1]:
        reasons.append(f"contact {contact_ms:.0f} ms: not physiological")
    elif contact_ms is not None and stride_s is not None and stride_s > 0:
        share = contact_ms / 1000.0 / stride_s
        if not DUTY_FACTOR[0] <= share <= DUTY_FACTOR[1]:
            reasons.append(f"contact {100 * share:.0f}% of stride")
        elif DUTY_FACTOR_GAP[0] <= share <= DUTY_FACTOR_GAP[1]:
            reasons.append(f"contact {100 * share:.0f}% of stride: not walk or run")
    return flag_of(reasons)


def pod_noise_reasons(acc_sd_g: float) -> tuple[str, ...]:
    """Why a calibrated pod's numbers are doubtful on their own account (its noise)."""
    if acc_sd_g > NOISY_ACC_SD_G:
        return (f"noisy pod ({1000 * acc_sd_g:.0f} mg standing)",)
    return ()


def stride_flag(values: Mapping[str, float | None], missing: Mapping[str, str]) -> Flag:
    """One stride: its ranges (StrideEvent field → value) and, per worn trunk or pelvis pod
    that gave nothing for it, why (``"trunk": "axes ambiguous"``)."""
    reasons = [f"{pod} {why}" for pod, why in missing.items()]
    for name, ceiling in RANGE_CEILING_DEG.items():
        value = values.get(name)
        if value is not None and value > ceiling:
            label = name.removesuffix("_rom_deg").replace("_", " ")
            reasons.append(f"{label} range {value:.0f}° is implausible")
    return flag_of(reasons)


@dataclass(frozen=True)
class PodQuality:
    """One pod: its quality and why, the reference its angles rest on (kind, time on the
    session clock), its alignment status and noise, and its steps (shoes) or strides
    (trunk, pelvis) with how many are low."""

    placement: str
    quality: Quality
    reasons: tuple[str, ...]
    reference: ReferenceKind
    reference_at_s: float | None
    alignment: str
    acc_sd_g: float | None
    rows: int
    low_rows: int

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def low_share(self) -> float | None:
        return self.low_rows / self.rows if self.rows else None

    def as_json(self) -> dict[str, object]:
        return {
            "quality": self.quality.value,
            "reason": self.reason,
            "reference": self.reference.value,
            "reference_at_s": self.reference_at_s,
            "alignment": self.alignment,
            "acc_sd_g": self.acc_sd_g,
            "rows": self.rows,
            "low_rows": self.low_rows,
            "low_share": self.low_share,
        }


def pod_quality(
    placement: str, entry: Mapping[str, object], flags: Sequence[Flag], rows: str = "steps"
) -> PodQuality:
    """A pod from its ``GaitPipeline.alignment_report`` entry and the flags of its ``rows``:
    its steps (a shoe) or the strides its angles are in (trunk, pelvis)."""
    status = str(entry.get("status", ""))
    reference = ReferenceKind(str(entry.get("reference", ReferenceKind.NONE.value)))
    noise = entry.get("acc_sd_g")
    acc_sd_g = float(noise) if isinstance(noise, int | float) else None
    low = sum(not f.good for f in flags)
    reasons: list[str] = []
    quality = Quality.GOOD
    if status == "ambiguous":
        quality = Quality.AMBIGUOUS
        reasons.append(str(entry.get("note", "axes ambiguous")))
    elif reference is ReferenceKind.NONE:
        quality = Quality.LOW
        reasons.append("not calibrated: no quiet standing found")
    elif status != "decided":
        quality = Quality.LOW
        reasons.append("axes not found yet")
    if acc_sd_g is not None:
        reasons.extend(pod_noise_reasons(acc_sd_g))
    if flags and low / len(flags) > LOW_SHARE_MAX:
        reasons.append(f"{low} of {len(flags)} {rows} low-confidence")
    if reasons and quality is Quality.GOOD:
        quality = Quality.LOW
    at = entry.get("reference_at_s")
    return PodQuality(
        placement, quality, tuple(reasons), reference,
        float(at) if isinstance(at, int | float) else None, status, acc_sd_g,
        len(flags), low,
    )  # fmt: skip


def session_quality(pods: Sequence[PodQuality], steps: Sequence[Flag],
                    strides: Sequence[Flag]) -> dict[str, object]:  # fmt: skip
    """The session's summary: low steps and strides (count, share), ambiguous and low pods
    with their reasons, and one ``verdict``."""
    ambiguous = [p for p in pods if p.quality is Quality.AMBIGUOUS]
    low = [p for p in pods if p.quality is Quality.LOW]
    verdict = Quality.AMBIGUOUS if ambiguous else Quality.LOW if low else Quality.GOOD
    return {
        "verdict": verdict.value,
        "steps": len(steps),
        "low_steps": sum(not f.good for f in steps),
        "low_step_share": _share(steps),
        "strides": len(strides),
        "low_strides": sum(not f.good for f in strides),
        "low_stride_share": _share(strides),
        "ambiguous_pods": {p.placement: p.reason for p in ambiguous},
        "low_pods": {p.placement: p.reason for p in low},
    }


def _share(flags: Sequence[Flag]) -> float | None:
    return sum(not f.good for f in flags) / len(flags) if flags else None
