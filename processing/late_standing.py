"""The first pass of offline analysis: each pod's first quiet standing anywhere in its
samples, so the running before a late standing is analysed too.

Live, a pod waits for a standing before its angles (and, for a shoe, its steps) start. A
recording holds the whole session, so offline analysis and replay can look ahead
(``start_from``): a runner who stood still only after the run, or only briefly at the
start, is still analysed from the first sample. A standing of ``STANDING_S`` (the live
rule) is preferred; without one, the longest wait is ``SHORT_STANDING_S``, which still
averages 100–400 samples of gravity and gyro bias at 100–416 Hz under the same stillness
and noise limits.
"""

from __future__ import annotations

from collections.abc import Mapping

from drivers.types import Placement, SampleBlock
from processing.calibration_state import CalibrationState, PodCalibration
from processing.pipeline import GaitPipeline
from processing.quality import ReferenceKind
from processing.stages.calibration import StandingCalibrationStage
from processing.stages.guard import clean_block

STANDING_S = 3.0
"""The live rule's quiet standing (``StandingCalibrationStage``'s default)."""
SHORT_STANDING_S = 1.0
"""The shortest quiet standing the first pass takes when a pod has no longer one."""
AT_START_S = 0.5
"""A standing that begins this close to a pod's first sample is the live case: the analysis
finds it in its stride, and the first pass leaves that pod alone (results as live)."""


def first_standings(
    blocks: Mapping[Placement, SampleBlock], known: CalibrationState | None = None
) -> CalibrationState:
    """The first quiet standing of each pod not in ``known``, as a calibration without axes
    (the analysis finds the axes from the running), for pods whose samples do not open
    with a ``STANDING_S`` standing; pods with no standing at all are left out."""
    found: CalibrationState = {}
    for placement, block in blocks.items():
        if known and placement in known:
            continue
        standing = _first_standing(block, STANDING_S)
        if standing is not None and _opens_with(block, standing, STANDING_S):
            continue
        standing = standing or _first_standing(block, SHORT_STANDING_S)
        if standing is not None:
            found[placement] = standing
    return found


def start_from(
    pipeline: GaitPipeline, calibration: CalibrationState | None, ahead: CalibrationState
) -> None:
    """Before any samples: where analysing a session from its start begins, offline
    (``analysis.analyze``) and in a replay alike. Each pod starts from ``calibration`` (e.g.
    the live one a recording holds) or, without one, from ``ahead`` (``first_standings`` of
    the session's samples); a quiet standing in the samples still replaces either."""
    if calibration:
        pipeline.restore_calibration(calibration)
    if ahead:
        pipeline.restore_calibration(ahead, origin=ReferenceKind.LATER_STANDING)


def _first_standing(block: SampleBlock, min_duration_s: float) -> PodCalibration | None:
    t_s, acc_g, gyro_dps = clean_block(block, float("-inf"))
    stage = StandingCalibrationStage(min_duration_s=min_duration_s)
    stage.update(t_s, acc_g, gyro_dps)
    if not stage.calibrated_:
        return None
    up, bias = stage.up_sensor_, stage.gyro_bias_dps_
    return PodCalibration(
        (float(up[0]), float(up[1]), float(up[2])),
        (float(bias[0]), float(bias[1]), float(bias[2])),
        float(stage.acc_sd_g_),
        float(stage.t_s_),
    )


def _opens_with(block: SampleBlock, standing: PodCalibration, duration_s: float) -> bool:
    """Whether ``standing`` (decided ``duration_s`` after its quiet run began) begins at
    the block's first sample."""
    began_s = standing.calibrated_at_s - duration_s
    return bool(len(block)) and began_s - float(block.t_s[0]) <= AT_START_S
