"""A runner who stops mid-stance and stands: the landing counts, the "step" does not."""

from __future__ import annotations

import numpy as np

from drivers.sim.runner_model import simulate
from drivers.types import Placement, SampleBlock
from processing.analysis import analyze
from processing.stages.shoe import MAX_CONTACT_S

RATE_HZ = 200.0
PAUSE_S = 4.0


def stand_from(block: SampleBlock, t_s: float, seconds: float, seed: int = 0) -> SampleBlock:
    """``block`` with ``seconds`` of quiet standing spliced in at ``t_s`` (the pod held as it
    was then, with sensor noise); what follows is moved later by that much."""
    k = int(np.searchsorted(block.t_s, t_s))
    n = int(seconds * RATE_HZ)
    rng = np.random.default_rng(seed)
    t = block.t_s[k - 1] + np.arange(1, n + 1) / RATE_HZ
    acc = np.repeat(block.acc_g[k - 1 : k], n, axis=0) + 0.005 * rng.standard_normal((n, 3))
    gyro = 0.5 * rng.standard_normal((n, 3))
    return SampleBlock(
        np.concatenate([block.t_s[:k], t, block.t_s[k:] + seconds]),
        np.concatenate([block.acc_g[:k], acc, block.acc_g[k:]]),
        np.concatenate([block.gyro_dps[:k], gyro, block.gyro_dps[k:]]),
    )


def test_standing_after_a_landing_is_not_a_step() -> None:
    blocks, model = simulate("heel-striker-guarded", 30.0, RATE_HZ, seed=2)
    landing = next(s for s in model.steps_between(10.0, 12.0) if s.side == "left")
    mid_stance = landing.ic_s + 0.4 * (landing.to_s - landing.ic_s)
    shoe = stand_from(blocks[Placement.LEFT_SHOE], mid_stance, PAUSE_S)
    result = analyze({Placement.LEFT_SHOE: shoe})
    assert any(abs(s.ic_s - landing.ic_s) < 0.02 for s in result.strikes)  # the landing
    assert all(s.to_s - s.ic_s <= MAX_CONTACT_S for s in result.steps)  # no 4 s "step"
    before = [s for s in result.steps if 9.0 < s.ic_s < landing.ic_s]
    after = [s for s in result.steps if landing.ic_s + PAUSE_S < s.ic_s < 17.0]
    assert len(before) >= 1 and len(after) >= 2  # running steps on both sides of it
    assert all(0.2 < s.to_s - s.ic_s < 0.35 for s in before + after)
