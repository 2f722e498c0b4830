"""Noisy pods: every pod with the accelerometer noise the literature reports (2–25 mg) is
calibrated on a short standing and gives its steps and angles; a pod far noisier than any
real IMU is left uncalibrated, says so, and loses nothing of the others."""

from __future__ import annotations

import numpy as np

from drivers.sim.conditions import Conditions
from drivers.sim.runner_model import simulate
from drivers.types import Placement
from processing.analysis import analyze

RATE_HZ = 100


def _session(noise_g: dict[Placement, float], seed: int = 5) -> object:
    blocks, _ = simulate(
        "mixed", 30.0, RATE_HZ, seed=seed, conditions=Conditions(acc_noise_g=noise_g)
    )
    return analyze(blocks)


def test_pods_with_2_to_25_mg_of_noise_are_all_calibrated_and_give_numbers() -> None:
    noise = {
        Placement.LEFT_SHOE: 0.025,
        Placement.RIGHT_SHOE: 0.002,
        Placement.TRUNK: 0.025,
        Placement.PELVIS: 0.012,
    }
    result = _session(noise)
    for placement, sd_g in noise.items():
        alignment = result.alignment[placement.value]  # type: ignore[attr-defined]
        assert alignment["calibrated"] and alignment["status"] == "decided", placement
        assert alignment["acc_sd_g"] < 2.5 * sd_g * np.sqrt(3) + 0.005, placement
    steps = result.steps  # type: ignore[attr-defined]
    for side in ("left", "right"):
        assert sum(s.side.value == side for s in steps) > 25, side
    strides = [s for s in result.strides if s.trunk_rot_rom_deg is not None]  # type: ignore[attr-defined]
    assert len(strides) > 15


def test_a_pod_far_noisier_than_any_imu_is_not_calibrated_and_the_rest_still_work() -> None:
    result = _session({Placement.RIGHT_SHOE: 0.2})
    right = result.alignment["right_shoe"]  # type: ignore[attr-defined]
    assert not right["calibrated"]
    steps = result.steps  # type: ignore[attr-defined]
    assert not [s for s in steps if s.side.value == "right"]
    assert sum(s.side.value == "left" for s in steps) > 25
    assert result.alignment["trunk"]["status"] == "decided"  # type: ignore[attr-defined]
