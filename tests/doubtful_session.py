"""A simulated session with two things gaitdeck must not show as fact (issue 12, item 4):

* the trunk pod's standing is bent 25° forward, so the running leans back from it while the
  braking cue says forward is the other way: its axes are ambiguous;
* the right shoe's gyro bias drifts by 25 °/s about its pitch axis from 20 s on (a warm-up
  drift): its strike angle carried forward through the swing and the one carried back
  from the next mid-stance then disagree, so those steps are low confidence.

Shared by the processing, export, CLI and report tests.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy.spatial.transform import Rotation

from drivers.sim.runner_model import RunnerModel, simulate
from drivers.types import Placement, SampleBlock

DURATION_S = 45.0  # the trunk is called ambiguous after 30 s of running without a decision
DRIFT_FROM_S = 20.0
DRIFT_DPS = 25.0
STANDING_BENT_DEG = 25.0


def _unit(v: np.ndarray) -> np.ndarray:
    return np.asarray(v / np.linalg.norm(v))


def bent_standing(block: SampleBlock, forward: np.ndarray, degrees: float) -> SampleBlock:
    """``block`` with its opening standing (until the first ‖gyro‖ > 15 °/s) bent
    ``degrees`` toward ``forward`` (sensor axes): gravity's reaction then tilts backward."""
    end = int(np.flatnonzero(np.linalg.norm(block.gyro_dps, axis=1) > 15.0)[0])
    up = _unit(block.acc_g[:end].mean(axis=0))
    ahead = _unit(forward - (forward @ up) * up)
    turn = Rotation.from_rotvec(np.radians(degrees) * _unit(np.cross(up, -ahead)))
    acc = block.acc_g.copy()
    acc[:end] = turn.apply(acc[:end])
    return SampleBlock(block.t_s, acc, block.gyro_dps)


def drifting_gyro(block: SampleBlock, axis: np.ndarray, from_s: float, dps: float) -> SampleBlock:
    gyro = block.gyro_dps.copy()
    gyro[block.t_s >= from_s] += dps * _unit(axis)
    return SampleBlock(block.t_s, block.acc_g, gyro)


@cache
def doubtful_session() -> tuple[dict[Placement, SampleBlock], RunnerModel]:
    blocks, model = simulate("forefoot-relaxed", DURATION_S, 100, seed=3)
    trunk = np.asarray(model.mounting[Placement.TRUNK])
    blocks[Placement.TRUNK] = bent_standing(blocks[Placement.TRUNK], trunk[0], STANDING_BENT_DEG)
    shoe = np.asarray(model.mounting[Placement.RIGHT_SHOE])
    right = blocks[Placement.RIGHT_SHOE]
    blocks[Placement.RIGHT_SHOE] = drifting_gyro(right, shoe[1], DRIFT_FROM_S, DRIFT_DPS)
    return blocks, model
