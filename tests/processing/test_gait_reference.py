"""A runner who never stands still: shoe pods take their reference from the gait itself (the
foot flat at mid-stance), so steps and strike angles start at once; a standing, when there
is one, stays the reference."""

from __future__ import annotations

from dataclasses import astuple

import numpy as np
import pytest

from drivers.sim.runner_model import simulate
from drivers.types import FloatArray, Placement, SampleBlock
from processing.analysis import analyze
from processing.events import Side
from processing.stages.gait_reference import FootFlatReference
from processing.stages.shoe import ShoeChain

RATE_HZ = 100


def _steps_and_truth(profile: str, standing_s: float) -> tuple[object, object]:
    blocks, model = simulate(profile, 30.0, RATE_HZ, seed=3, standing_s=standing_s)
    return analyze(blocks), model


@pytest.mark.parametrize("profile", ["heel-striker-guarded", "forefoot-relaxed"])
def test_without_any_standing_steps_and_strike_angles_start_at_once(profile: str) -> None:
    result, model = _steps_and_truth(profile, standing_s=0.0)
    truth = model.steps_between(0.0, 29.5)  # type: ignore[attr-defined]
    for side in ("left", "right"):
        assert result.alignment[f"{side}_shoe"]["reference"] == "gait"  # type: ignore[attr-defined]
        mine = [s for s in result.steps if s.side.value == side]  # type: ignore[attr-defined]
        true = [t for t in truth if t.side == side]
        errors = [m.fsa_deg - t.fsa_deg for t in true for m in mine if abs(m.ic_s - t.ic_s) < 0.03]
        assert len(errors) >= len(true) - 1  # every step, the first ones too
        assert float(np.sqrt(np.mean(np.square(errors)))) < 1.5


def test_a_standing_stays_the_reference_when_there_is_one() -> None:
    result, _ = _steps_and_truth("mixed", standing_s=3.5)
    for side in ("left", "right"):
        assert result.alignment[f"{side}_shoe"]["reference"] == "standing"  # type: ignore[attr-defined]


def test_streaming_in_random_chunks_takes_the_same_gait_reference() -> None:
    blocks, _ = simulate("mixed", 20.0, RATE_HZ, seed=4, standing_s=0.0)
    block = blocks[Placement.LEFT_SHOE]

    def stream(sizes: list[int]) -> list[tuple[object, ...]]:
        chain, out, k, i = ShoeChain(Side.LEFT, float(RATE_HZ)), [], 0, 0
        while k < len(block):
            chain.update(block.slice(k, k + sizes[i % len(sizes)]))
            out += [tuple(round(v, 9) if isinstance(v, float) else v for v in astuple(e))
                    for e in chain.events_]  # fmt: skip
            k, i = k + sizes[i % len(sizes)], i + 1
        return out

    whole = stream([len(block)])
    assert len(whole) > 40
    assert stream(np.random.default_rng(2).integers(1, 40, 400).tolist()) == whole


def test_a_foot_shuffling_in_place_gives_no_gait_reference() -> None:
    """Flat moments without a swinging foot in between are no gait: nothing is taken."""
    t = np.arange(3000) / RATE_HZ
    gyro: FloatArray = np.zeros((t.size, 3))
    gyro[:, 1] = 60.0 * np.sin(2 * np.pi * 1.2 * t)  # slow rocking, never a swing
    acc = np.tile([0.0, 0.0, 1.0], (t.size, 1))
    reference = FootFlatReference(RATE_HZ)
    block = SampleBlock(t, acc, gyro)
    reference.update(block.acc_g, block.gyro_dps, 0)
    assert not reference.ready_
