"""Offline analysis finds each pod's first quiet standing anywhere (a first pass), so a
session whose standing comes late, or is short, is analysed from its first step; a session
that opens with the usual standing is analysed exactly as live."""

from __future__ import annotations

import numpy as np

from drivers.sim.runner_model import simulate
from drivers.types import Placement
from processing.analysis import analyze
from processing.late_standing import first_standings

RATE_HZ = 100.0
SHOES = (Placement.LEFT_SHOE, Placement.RIGHT_SHOE)


def shoes_of(blocks: dict[Placement, object]) -> dict[Placement, object]:
    return {p: b for p, b in blocks.items() if p in SHOES}


def recall_and_fsa_error(result, truth) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Share of true steps with a strike within 30 ms, and the median |FSA error| (°)."""
    found, errors = 0, []
    for step in truth:
        near = [s for s in result.strikes
                if s.side.value == step.side and abs(s.ic_s - step.ic_s) < 0.03]  # fmt: skip
        if near:
            found += 1
            errors.append(abs(near[0].fsa_deg - step.fsa_deg))
    return found / len(truth), float(np.median(errors)) if errors else float("inf")


def test_a_standing_only_after_the_run_still_gives_every_step() -> None:
    """No standing at the start; the runner stops at 24 s and stands until 32 s."""
    blocks, model = simulate("heel-striker-guarded", 32.0, RATE_HZ, seed=4, standing_s=0.0,
                             stop_s=24.0)  # fmt: skip
    found = first_standings(blocks)
    assert set(found) == set(Placement)  # every pod stood still at the end
    assert all(f.calibrated_at_s > 24.0 for f in found.values())
    result = analyze(shoes_of(blocks))
    truth = model.steps_between(4.0, 22.0)  # the axes are found in the first seconds
    recall, fsa_error = recall_and_fsa_error(result, truth)
    assert recall >= 0.95 and fsa_error < 2.0
    assert all(s.strike.value == "rearfoot" for s in result.strikes if 4.0 < s.ic_s < 22.0)


def test_a_short_standing_at_the_start_is_enough() -> None:
    """1.5 s of standing, less than the live 3 s: the first pass takes it."""
    blocks, model = simulate("forefoot-relaxed", 25.0, RATE_HZ, seed=5, standing_s=1.5)
    found = first_standings(blocks)
    assert set(found) == set(Placement)
    assert all(f.calibrated_at_s < 1.6 for f in found.values())
    result = analyze(shoes_of(blocks))
    recall, fsa_error = recall_and_fsa_error(result, model.steps_between(6.0, 24.0))
    assert recall >= 0.95 and fsa_error < 2.0


def test_a_session_that_opens_with_a_standing_is_analysed_as_live() -> None:
    blocks, _ = simulate("midfoot", 20.0, RATE_HZ, seed=6, standing_s=3.5)
    assert first_standings(blocks) == {}  # the pipeline finds that standing itself


def test_no_standing_anywhere_gives_no_reference() -> None:
    blocks, _ = simulate("midfoot", 20.0, RATE_HZ, seed=7, standing_s=0.0)
    assert first_standings(blocks) == {}


def test_a_pod_already_calibrated_is_left_alone() -> None:
    blocks, _ = simulate("midfoot", 30.0, RATE_HZ, seed=8, standing_s=0.0, stop_s=22.0)
    known = first_standings({Placement.TRUNK: blocks[Placement.TRUNK]})
    found = first_standings(blocks, known)
    assert Placement.TRUNK not in found and set(found) == set(Placement) - {Placement.TRUNK}
