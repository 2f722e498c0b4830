"""The pipeline under imperfect input: rates, irregular clocks, lost samples, gaps, bias and
drift, saturation, offsets between pods, any subset of pods, undecidable alignment."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from drivers.sim.runner_model import RunnerModel, simulate
from drivers.types import Placement, SampleBlock
from processing.analysis import AnalysisResult, analyze
from processing.stages.alignment import AlignmentStatus

SECONDS = 25.0
SHOES = (Placement.LEFT_SHOE, Placement.RIGHT_SHOE)


@cache
def session(
    rate_hz: int = 200, profile: str = "mixed", **kw: float
) -> tuple[dict[Placement, SampleBlock], RunnerModel]:
    return simulate(profile, SECONDS, rate_hz, seed=31, **kw)


def scores(result: AnalysisResult, model: RunnerModel, sides: tuple[str, ...] = ("left", "right"),
           t0: float = 0.0, t1: float = SECONDS - 0.5) -> tuple[float, float, float]:  # fmt: skip
    """(recall, precision, median |IC error| ms) of the strikes in [t0, t1)."""
    truth = [s for s in model.steps_between(t0, t1) if s.side in sides]
    strikes = [s for s in result.strikes if t0 <= s.ic_s < t1 and s.side.value in sides]
    errors = []
    for step in truth:
        near = [s.ic_s for s in strikes if s.side.value == step.side]
        if near and min(abs(np.array(near) - step.ic_s)) < 0.05:
            errors.append(min(abs(np.array(near) - step.ic_s)))
    recall = len(errors) / len(truth)
    precision = len(errors) / max(len(strikes), 1)
    return recall, precision, 1000.0 * float(np.median(errors)) if errors else np.inf


def assert_good(result: AnalysisResult, model: RunnerModel, ic_ms: float = 10.0,
                **kw: object) -> None:  # fmt: skip
    recall, precision, error_ms = scores(result, model, **kw)  # type: ignore[arg-type]
    assert recall >= 0.97 and precision >= 0.97, (recall, precision)
    assert error_ms <= ic_ms


def resampled(model: RunnerModel, t_s: np.ndarray) -> dict[Placement, SampleBlock]:
    return {p: model.samples(p, t_s) for p in Placement}


@pytest.mark.parametrize("rate_hz", [50, 416])
def test_sample_rates(rate_hz: int) -> None:
    blocks, model = session(rate_hz)
    result = analyze(blocks)
    assert_good(result, model, ic_ms=0.75 * 1000 / rate_hz + 2)
    assert all(s.trunk_rot_rom_deg is not None for s in result.strides if s.start_s > 11.0)


def test_jittered_and_non_uniform_timestamps() -> None:
    _, model = session()
    rng = np.random.default_rng(1)
    t = np.cumsum(rng.uniform(0.003, 0.007, int(SECONDS * 200)))  # 143..333 Hz intervals
    t = t[t < SECONDS]
    jittered = t + rng.uniform(-0.0005, 0.0005, t.size)
    assert_good(analyze(resampled(model, np.sort(jittered))), model)


def test_randomly_dropped_samples() -> None:
    blocks, model = session()
    keep = np.random.default_rng(2).random(len(blocks[Placement.TRUNK])) > 0.05
    thinned = {p: SampleBlock(b.t_s[keep], b.acc_g[keep], b.gyro_dps[keep]) for p, b in
               blocks.items()}  # fmt: skip
    result = analyze(thinned)
    assert_good(result, model)
    assert len(result.strides) > 20


@pytest.mark.parametrize("gap_s", [0.5, 4.0])
def test_gaps_never_hold_a_step(gap_s: float) -> None:
    blocks, model = session()
    start = 12.0
    kept = {p: b.slice(0, len(b)) for p, b in blocks.items()}
    for p, b in kept.items():
        keep = (b.t_s < start) | (b.t_s >= start + gap_s)
        kept[p] = SampleBlock(b.t_s[keep], b.acc_g[keep], b.gyro_dps[keep])
    result = analyze(kept)
    for step in result.steps:
        assert not (step.ic_s < start + gap_s and step.to_s > start)
    for stride in result.strides:
        assert not (stride.start_s < start + gap_s and stride.end_s > start)
    assert not [s for s in result.strikes if start <= s.ic_s < start + gap_s]
    assert_good(result, model, t0=start + gap_s + 1.5)


def test_gyro_bias_and_slow_drift() -> None:
    blocks, model = session(gyro_bias_dps=3.0)
    drifting = {}
    for p, b in blocks.items():
        drift = np.outer(b.t_s, [0.03, -0.02, 0.04])  # dps per second
        drifting[p] = SampleBlock(b.t_s, b.acc_g, b.gyro_dps + drift)
    result = analyze(drifting)
    assert_good(result, model)
    truth = model.steps_between(5.0, SECONDS - 0.5)
    fsa = {round(s.ic_s, 2): s.fsa_deg for s in truth}
    errors = [s.fsa_deg - fsa[k] for s in result.strikes if (k := round(s.ic_s, 2)) in fsa]
    assert len(errors) > 10 and float(np.median(np.abs(errors))) < 2.0


@pytest.mark.parametrize("range_g", [16.0, 8.0])
def test_accelerometer_saturation(range_g: float) -> None:
    blocks, model = session(saturate=False)
    clipped = {p: SampleBlock(b.t_s, np.clip(b.acc_g, -range_g, range_g), b.gyro_dps)
               for p, b in blocks.items()}  # fmt: skip
    assert_good(analyze(clipped), model)


@pytest.mark.parametrize("offset_s", [-0.04, 0.04])
def test_clock_offset_between_pods(offset_s: float) -> None:
    blocks, model = session()
    reference = analyze(blocks)
    shifted = dict(blocks)
    b = blocks[Placement.RIGHT_SHOE]
    shifted[Placement.RIGHT_SHOE] = SampleBlock(b.t_s + offset_s, b.acc_g, b.gyro_dps)
    result = analyze(shifted)
    assert_good(result, model, sides=("left",))
    right = [s.ic_s - offset_s for s in result.strikes if s.side.value == "right"]
    assert len(right) >= 0.97 * len([s for s in reference.strikes if s.side.value == "right"])
    rom = [s.trunk_rot_rom_deg for s in result.strides if s.trunk_rot_rom_deg is not None]
    rom0 = [s.trunk_rot_rom_deg for s in reference.strides if s.trunk_rot_rom_deg is not None]
    assert abs(float(np.median(rom)) - float(np.median(rom0))) < 1.0


@pytest.mark.parametrize(
    "pods",
    [
        (Placement.LEFT_SHOE,),
        (Placement.TRUNK,),
        (Placement.TRUNK, Placement.PELVIS),
        SHOES,
    ],
)
def test_any_subset_of_pods(pods: tuple[Placement, ...]) -> None:
    blocks, model = session(100)
    result = analyze({p: blocks[p] for p in pods})
    shoes = [p for p in pods if p in SHOES]
    assert set(result.alignment) == {p.value for p in pods}
    assert all(a["status"] == AlignmentStatus.DECIDED for a in result.alignment.values())
    if not shoes:
        assert not result.strikes and not result.strides
        return
    sides = tuple("left" if p is Placement.LEFT_SHOE else "right" for p in shoes)
    assert_good(result, model, sides=sides)
    assert all(s.trunk_rot_rom_deg is None for s in result.strides)


def test_undecidable_alignment_is_reported_not_guessed() -> None:
    rng = np.random.default_rng(4)
    t = np.arange(40 * 100) / 100.0
    acc = np.tile([0.2, 0.1, 0.97], (t.size, 1)) + 0.005 * rng.standard_normal((t.size, 3))
    gyro = 0.3 * rng.standard_normal((t.size, 3))
    still = SampleBlock(t, acc, gyro)  # stands for 40 s: calibrated, never runs
    no_standing = session(100)[0][Placement.PELVIS].slice(400, 4000)  # starts running
    result = analyze({Placement.TRUNK: still, Placement.PELVIS: no_standing})
    trunk, pelvis = result.alignment["trunk"], result.alignment["pelvis"]
    assert trunk["calibrated"] and trunk["status"] == AlignmentStatus.AMBIGUOUS
    assert not pelvis["calibrated"] and pelvis["status"] == AlignmentStatus.WAITING_FOR_STANDING
    assert float(trunk["quality"]) < 0.5  # type: ignore[arg-type]
