"""What the calibration wizard checks, without Qt: stillness, its countdown, the calibration
each pod holds, its axes in plain words, and whether a pod slipped since calibration.

* ``StillnessCheck`` judges the last ``window_s`` of a pod's raw samples with the same
  limits the standing calibration uses (‖gyro‖ and | ‖acc‖ − 1 g |), so "still" on screen
  means "still" to the pipeline.
* ``StillnessCountdown`` counts down ``duration_s`` of continuous stillness on the pods'
  own clock (sample time, not wall time) and starts again when anyone moves.
* ``pod_calibrations`` snapshots each chain of a ``GaitPipeline`` (calibration version and
  time, up vector, axes, alignment status and quality); ``alignment_words`` says it for
  people: ``left shoe pod: toes = +x, up = −z, confident (quality 0.93)``.
* ``slip_angle_deg`` / ``check_slip`` compare a later quiet standing with the calibration
  standing: the angle between the gravity direction now and the calibrated ``up_sensor_``.
* ``forward_from_lean``: a trunk or pelvis pod whose forward direction is ambiguous gets it
  from a brief forward lean held still (the lean turns gravity toward the segment's back).

Sensor axes are the pod's own x, y, z; segment axes are x forward (toes), y left, z up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray, Placement, SampleBlock
from processing.pipeline import GaitPipeline
from processing.stages.alignment import AlignmentStatus
from processing.stages.calibration import StandingCalibrationStage
from processing.stages.segment import CONFIRMED_NOTE, SegmentChain
from processing.stages.shoe import ShoeChain

_STAGE = StandingCalibrationStage()
GYRO_QUIET_DPS = _STAGE.gyro_quiet_dps  # the calibration's own limits
ACC_QUIET_G = _STAGE.acc_quiet_g
STANDING_S = _STAGE.min_duration_s
SLIP_THRESHOLD_DEG = 5.0
AXIS_NAMES = ("x", "y", "z")
MINUS = "−"
POD_NAMES = {
    Placement.TRUNK: "trunk pod",
    Placement.PELVIS: "pelvis pod",
    Placement.LEFT_SHOE: "left shoe pod",
    Placement.RIGHT_SHOE: "right shoe pod",
}


# ------------------------------------------------------------------------- stillness
@dataclass(frozen=True)
class Stillness:
    """One pod over the last window: ``still``, the largest ‖gyro‖ (dps) and | ‖acc‖ − 1 |
    (g) in it, the latest sample time (s, NaN without samples) and why it is not still."""

    still: bool
    gyro_dps: float
    acc_dev_g: float
    latest_t_s: float
    reason: str = ""


class StillnessCheck:
    """Still = every sample of the last ``window_s`` has ‖gyro‖ < ``gyro_quiet_dps`` and
    | ‖acc‖ − 1 g | < ``acc_quiet_g``, and the samples cover at least 80 % of the window."""

    def __init__(
        self,
        window_s: float = 0.5,
        gyro_quiet_dps: float = GYRO_QUIET_DPS,
        acc_quiet_g: float = ACC_QUIET_G,
    ) -> None:
        self.window_s = window_s
        self.gyro_quiet_dps = gyro_quiet_dps
        self.acc_quiet_g = acc_quiet_g

    def assess(self, block: SampleBlock) -> Stillness:
        """Judge the last ``window_s`` of ``block`` (any length; NaN rows are ignored)."""
        ok = (
            np.isfinite(block.t_s)
            & np.isfinite(block.acc_g).all(1)
            & np.isfinite(block.gyro_dps).all(1)
        )
        t_s = block.t_s[ok]
        if t_s.size == 0:
            return Stillness(False, math.nan, math.nan, math.nan, "no samples yet")
        latest = float(t_s[-1])
        recent = t_s > latest - self.window_s
        gyro = float(np.linalg.norm(block.gyro_dps[ok][recent], axis=1).max())
        acc = float(np.abs(np.linalg.norm(block.acc_g[ok][recent], axis=1) - 1.0).max())
        if latest - float(t_s[recent][0]) < 0.8 * self.window_s - 1e-9:
            return Stillness(False, gyro, acc, latest, "too few samples yet")
        if gyro >= self.gyro_quiet_dps:
            return Stillness(False, gyro, acc, latest, "turning")
        if acc >= self.acc_quiet_g:
            return Stillness(False, gyro, acc, latest, "moving")
        return Stillness(True, gyro, acc, latest)


def stale(stillness: Mapping[Placement, Stillness], limit_s: float = 1.0) -> set[Placement]:
    """Pods whose latest sample lags the freshest pod's by more than ``limit_s`` (or that
    have none): their stillness is old news."""
    times = [s.latest_t_s for s in stillness.values() if math.isfinite(s.latest_t_s)]
    if not times:
        return set(stillness)
    newest = max(times)
    return {
        p
        for p, s in stillness.items()
        if not math.isfinite(s.latest_t_s) or s.latest_t_s < newest - limit_s
    }


class StillnessCountdown:
    """Counts down ``duration_s`` of continuous stillness on sample time.

    ``update(t_s, still)`` takes the latest sample time and whether every pod is still;
    stillness judged over a window of ``lead_s`` began that much earlier. Movement starts the
    count again (``restarts`` counts how often). ``remaining_s`` is ``duration_s`` before
    any stillness and 0 once the count is complete (while stillness lasts).
    """

    def __init__(self, duration_s: float = STANDING_S, lead_s: float = 0.0) -> None:
        self.duration_s = duration_s
        self.lead_s = lead_s
        self.still_since_s: float | None = None
        self.remaining_s = duration_s
        self.restarts = 0

    def reset(self) -> None:
        self.still_since_s = None
        self.remaining_s = self.duration_s
        self.restarts = 0

    @property
    def done(self) -> bool:
        return self.remaining_s <= 0.0

    def update(self, t_s: float, still: bool) -> float:
        if not still:
            if self.still_since_s is not None:
                self.restarts += 1
            self.still_since_s = None
            self.remaining_s = self.duration_s
            return self.remaining_s
        if self.still_since_s is None:
            self.still_since_s = t_s - self.lead_s
        self.remaining_s = max(0.0, self.duration_s - (t_s - self.still_since_s))
        return self.remaining_s


# ---------------------------------------------------------------------- calibrations
@dataclass(frozen=True)
class PodCalibration:
    """What one pod's chain holds: standing calibration (``version`` counts them, time
    ``calibrated_at_s``, ``up_sensor`` unit vector in sensor axes), the segment ``axes``
    (rows x forward, y left, z up in sensor axes; None until decided), alignment status and
    its 0..1 quality."""

    placement: Placement
    calibrated: bool
    version: int
    calibrated_at_s: float | None
    up_sensor: FloatArray
    axes: FloatArray | None
    status: AlignmentStatus
    quality: float
    note: str = ""  # the latest alignment attempt's (why the axes are not decided)


def pod_calibrations(pipeline: GaitPipeline) -> dict[Placement, PodCalibration]:
    """A snapshot of every chain (safe to take while the engine thread updates them: each
    attribute read is replaced whole, never changed in place)."""
    chains: list[tuple[Placement, ShoeChain | SegmentChain]] = [
        *pipeline.shoes.items(),
        *pipeline.segments.items(),
    ]
    out: dict[Placement, PodCalibration] = {}
    for placement, chain in chains:
        cal, axes = chain.calibration, chain.axes_
        out[placement] = PodCalibration(
            placement, bool(cal.calibrated_), int(cal.version_),
            float(cal.t_s_) if cal.calibrated_ else None, np.array(cal.up_sensor_, dtype=float),
            None if axes is None else np.array(axes, dtype=float),
            AlignmentStatus(chain.status_), float(chain.alignment_quality_),
            str(chain.alignment_note_),
        )  # fmt: skip
    return out


def recalibrated(
    before: Mapping[Placement, PodCalibration], now: Mapping[Placement, PodCalibration]
) -> set[Placement]:
    """Pods whose calibration is newer now than in ``before`` (absent before counts as 0)."""
    return {p for p, cal in now.items() if cal.version > (before[p].version if p in before else 0)}


# ------------------------------------------------------------------------ in words
def axis_words(vector: FloatArray) -> str:
    """The sensor axis a segment direction (unit, sensor axes) points along: ``+x``, ``−z``;
    with ``(tilted 25°)`` when it is more than 20° off that axis (a strap worn askew,
    or a weak forward estimate)."""
    v = np.asarray(vector, dtype=float)
    k = int(np.argmax(np.abs(v)))
    sign = "+" if v[k] >= 0 else MINUS
    off_deg = math.degrees(math.acos(min(1.0, abs(float(v[k])) / float(np.linalg.norm(v)))))
    tilt = f" (tilted {off_deg:.0f}°)" if off_deg > 20.0 else ""
    return f"{sign}{AXIS_NAMES[k]}{tilt}"


def confidence_words(quality: float) -> str:
    if quality >= 0.8:
        return "confident"
    if quality >= 0.5:
        return "fairly confident"
    return "uncertain"


def axes_words(axes: FloatArray, shoe: bool) -> str:
    """``toes = +x, up = −z`` (shoe) or ``forward = −y, up = +x`` (trunk, pelvis)."""
    forward = "toes" if shoe else "forward"
    return f"{forward} = {axis_words(axes[0])}, up = {axis_words(axes[2])}"


def alignment_words(cal: PodCalibration) -> str:
    """One line for people about one pod's calibration and axes."""
    name = POD_NAMES[cal.placement]
    if not cal.calibrated:
        return f"{name}: not calibrated yet — stand still for 3 s"
    up = f"up = {axis_words(cal.up_sensor)}"
    if cal.status is AlignmentStatus.DECIDED and cal.axes is not None:
        words = axes_words(cal.axes, cal.placement.is_shoe)
        if cal.note == CONFIRMED_NOTE:
            return f"{name}: {words}, confirmed by a forward lean"
        return f"{name}: {words}, {confidence_words(cal.quality)} (quality {cal.quality:.2f})"
    if cal.status is AlignmentStatus.AMBIGUOUS or "disagree" in cal.note:
        why = f" ({cal.note})" if cal.note else ""
        return (f"{name}: {up}; forward direction ambiguous{why} — confirm it by a forward "
                "lean, or check the strap and walk or run again")  # fmt: skip
    return f"{name}: {up}; forward not found yet — walk or run for about 10 s"


def undecided_segments(calibrations: Mapping[Placement, PodCalibration]) -> dict[Placement, str]:
    """Trunk and pelvis pods whose forward direction is in doubt, with why: ambiguous, or
    not decided while the cues disagree (the braking cue against the forward lean)."""
    out = {}
    for placement, cal in calibrations.items():
        if placement.is_shoe or not cal.calibrated or cal.status is AlignmentStatus.DECIDED:
            continue
        if cal.status is AlignmentStatus.AMBIGUOUS or "disagree" in cal.note:
            out[placement] = cal.note or "direction undecided"
    return out


LEAN_CONFIRM_DEG = 8.0
"""A forward lean at least this large (from the calibration standing) tells forward."""
LEAN_MAX_DEG = 45.0
"""A larger "lean" is a pod that moved on its strap (or a runner bent double): no answer."""


def forward_from_lean(up_sensor: FloatArray, acc_g: FloatArray) -> tuple[FloatArray | None, float]:
    """The segment's forward direction (unit, sensor axes, horizontal at standing) from
    quiet samples ``acc_g`` (n, 3) of a forward lean, and the lean (deg) from the standing
    whose up is ``up_sensor``; None when the lean is under ``LEAN_CONFIRM_DEG`` or over
    ``LEAN_MAX_DEG``. Leaning
    forward turns the segment's front down, so gravity's reaction tilts toward its back:
    forward is the opposite of the reaction's horizontal shift."""
    z = np.asarray(up_sensor, dtype=float) / float(np.linalg.norm(up_sensor))
    mean = np.nanmean(np.asarray(acc_g, dtype=float), axis=0)
    mean /= float(np.linalg.norm(mean))
    lean = -(mean - (mean @ z) * z)
    size_deg = math.degrees(math.asin(min(1.0, float(np.linalg.norm(lean)))))
    if not LEAN_CONFIRM_DEG <= size_deg <= LEAN_MAX_DEG:
        return None, size_deg
    return lean / float(np.linalg.norm(lean)), size_deg


# ---------------------------------------------------------------------------- slips
@dataclass(frozen=True)
class SlipResult:
    """One pod's re-check: the angle (deg) between gravity now and at calibration."""

    placement: Placement
    angle_deg: float | None
    moved: bool
    message: str


def slip_angle_deg(up_calibrated: FloatArray, acc_g: FloatArray) -> float:
    """Angle (deg) between the calibrated up vector and the mean specific force of quiet
    standing samples ``acc_g`` (n, 3), both in sensor axes."""
    mean = np.nanmean(np.asarray(acc_g, dtype=float), axis=0)
    up = np.asarray(up_calibrated, dtype=float)
    cos = float(mean @ up / (np.linalg.norm(mean) * np.linalg.norm(up)))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def check_slip(
    calibrations: Mapping[Placement, PodCalibration],
    standing: Mapping[Placement, SampleBlock],
    threshold_deg: float = SLIP_THRESHOLD_DEG,
) -> list[SlipResult]:
    """Each calibrated pod's standing now (``standing``: quiet samples per pod) against its
    calibration; ``moved`` above ``threshold_deg``. Pods in calibration order."""
    results = []
    for placement, cal in calibrations.items():
        name = POD_NAMES[placement]
        block = standing.get(placement)
        if not cal.calibrated:
            results.append(SlipResult(placement, None, False, f"{name}: not calibrated yet"))
        elif block is None or len(block) == 0:
            results.append(SlipResult(placement, None, False, f"{name}: no samples to compare"))
        else:
            angle = slip_angle_deg(cal.up_sensor, block.acc_g)
            moved = angle > threshold_deg
            message = (f"{name} moved {angle:.0f}° since calibration — re-strap and "
                       "recalibrate" if moved else
                       f"{name}: {angle:.1f}° from calibration — in place")  # fmt: skip
            results.append(SlipResult(placement, angle, moved, message))
    return results


def last_seconds(block: SampleBlock, seconds: float) -> SampleBlock:
    """The samples of ``block`` in its last ``seconds`` (by sample time)."""
    if len(block) == 0:
        return block
    keep = block.t_s > float(np.nanmax(block.t_s)) - seconds
    return SampleBlock(block.t_s[keep], block.acc_g[keep], block.gyro_dps[keep])
