"""The sample-level runner simulator: determinism, streaming, physics and ground truth."""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import pytest

from drivers.errors import UnknownRunnerError
from drivers.sim.profiles import PROFILES, get_profile
from drivers.sim.rotations import rotation_angle_deg
from drivers.sim.runner_model import (
    RunnerModel,
    StepTruth,
    identity_mounting,
    random_mounting,
    simulate,
)
from drivers.sim.steps import strike_label
from drivers.types import FloatArray, Placement, SampleBlock

RUN_START_S = 6.0  # standing (3 s) + ramp (1 s) + margin


def clean_model(name: str, seed: int = 0, **kwargs: object) -> RunnerModel:
    """A model without noise, saturation or mounting rotation."""
    opts: dict[str, object] = {"mounting": identity_mounting(), "noise": False, "saturate": False}
    opts.update(kwargs)
    return RunnerModel(get_profile(name), seed, **opts)  # type: ignore[arg-type]


@cache
def clean_run(name: str) -> tuple[dict[Placement, SampleBlock], RunnerModel]:
    return simulate(
        name, 20.0, 1000.0, seed=4, mounting=identity_mounting(), noise=False, saturate=False
    )


def window(block: SampleBlock, t0_s: float, t1_s: float) -> SampleBlock:
    lo, hi = np.searchsorted(block.t_s, [t0_s, t1_s])
    return block.slice(int(lo), int(hi))


def integrate_gyro(t_s: FloatArray, gyro_dps: FloatArray) -> FloatArray:
    """Orientation change since the first sample, at every sample, (n, 3, 3).

    Body-frame rates, midpoint rule, exact rotation per step."""
    out = [np.eye(3)]
    omega = np.radians(0.5 * (gyro_dps[1:] + gyro_dps[:-1]))
    for w, dt in zip(omega, np.diff(t_s), strict=True):
        angle = np.linalg.norm(w) * dt
        k = w / max(np.linalg.norm(w), 1e-12)
        kx = np.array([[0.0, -k[2], k[1]], [k[2], 0.0, -k[0]], [-k[1], k[0], 0.0]])
        out.append(out[-1] @ (np.eye(3) + np.sin(angle) * kx + (1.0 - np.cos(angle)) * kx @ kx))
    return np.stack(out)


# --- determinism and streaming ---------------------------------------------------------------


def test_same_seed_gives_same_samples_and_other_seeds_differ() -> None:
    t = np.arange(0.0, 8.0, 0.01)
    a = RunnerModel(get_profile("mixed"), seed=7).samples(Placement.LEFT_SHOE, t)
    b = RunnerModel(get_profile("mixed"), seed=7).samples(Placement.LEFT_SHOE, t)
    c = RunnerModel(get_profile("mixed"), seed=8).samples(Placement.LEFT_SHOE, t)
    np.testing.assert_array_equal(a.acc_g, b.acc_g)
    np.testing.assert_array_equal(a.gyro_dps, b.gyro_dps)
    assert not np.allclose(a.acc_g, c.acc_g)
    steps_a = RunnerModel(get_profile("mixed"), seed=7).steps_between(0.0, 30.0)
    steps_c = RunnerModel(get_profile("mixed"), seed=8).steps_between(0.0, 30.0)
    assert steps_a == RunnerModel(get_profile("mixed"), seed=7).steps_between(0.0, 30.0)
    assert steps_a != steps_c


@pytest.mark.parametrize("noise", [False, True])
def test_streaming_in_random_chunks_equals_one_shot(noise: bool) -> None:
    t = np.arange(0.0, 12.0, 1 / 200)
    whole = RunnerModel(get_profile("forefoot-relaxed"), seed=3, noise=noise)
    chunked = RunnerModel(get_profile("forefoot-relaxed"), seed=3, noise=noise)
    rng = np.random.default_rng(0)
    cuts = np.unique(np.concatenate([[0, len(t)], rng.integers(0, len(t), 60)]))
    for placement in Placement:
        ref = whole.samples(placement, t)
        parts = [chunked.samples(placement, t[a:b]) for a, b in itertools.pairwise(cuts)]
        got = SampleBlock.concat(parts)
        np.testing.assert_array_equal(got.t_s, ref.t_s)
        np.testing.assert_allclose(got.acc_g, ref.acc_g, rtol=0, atol=1e-9)
        np.testing.assert_allclose(got.gyro_dps, ref.gyro_dps, rtol=0, atol=1e-9)


def test_empty_request_gives_empty_block() -> None:
    model = clean_model("midfoot")
    assert len(model.samples(Placement.TRUNK, np.empty(0))) == 0


def test_thirty_minutes_chunk_by_chunk_keeps_memory_flat() -> None:
    model = RunnerModel(get_profile("mixed"), seed=2)
    early = model.steps_between(10.0, 12.0)
    rate_hz, chunk_s = 50.0, 5.0
    peak = 0
    for k in range(int(30 * 60 / chunk_s)):
        t = k * chunk_s + np.arange(int(chunk_s * rate_hz)) / rate_hz
        for placement in Placement:
            block = model.samples(placement, t)
            assert np.isfinite(block.acc_g).all() and np.isfinite(block.gyro_dps).all()
        peak = max(peak, model.cached_step_count)
    assert peak <= 1024
    late = model.steps_between(1795.0, 1800.0)
    assert len(late) >= 10
    assert model.steps_between(10.0, 12.0) == early  # replayed from the seed, identical


# --- physics -----------------------------------------------------------------------------------


def test_standing_reads_one_g_and_no_rotation_in_any_mounting() -> None:
    model = RunnerModel(get_profile("mixed"), seed=5, noise=False)
    t = np.arange(0.0, 2.9, 0.01)
    for placement in Placement:
        block = model.samples(placement, t)
        np.testing.assert_allclose(np.linalg.norm(block.acc_g, axis=1), 1.0, atol=0.002)
        assert np.abs(block.gyro_dps).max() < 1.0
    upright = clean_model("mixed").samples(Placement.TRUNK, t)
    np.testing.assert_allclose(upright.acc_g.mean(axis=0), [0.0, 0.0, 1.0], atol=0.01)


def test_noise_adds_a_constant_gyro_bias_per_pod() -> None:
    model = RunnerModel(
        get_profile("mixed"), seed=5, gyro_bias_dps=2.0, mounting=identity_mounting()
    )
    block = model.samples(Placement.PELVIS, np.arange(0.0, 2.9, 0.005))
    bias = block.gyro_dps.mean(axis=0)
    assert np.abs(bias).max() > 0.1
    np.testing.assert_allclose(bias, model.pod_gyro_bias_dps[Placement.PELVIS], atol=0.1)
    assert 0.3 < block.gyro_dps.std(axis=0).mean() < 0.7


def test_mounting_rotates_segment_signals_into_sensor_axes() -> None:
    t = np.arange(5.0, 7.0, 0.005)
    mounts = random_mounting(np.random.default_rng(11))
    aligned = clean_model("midfoot", seed=1)
    strapped = clean_model("midfoot", seed=1, mounting=mounts)
    for placement, m in mounts.items():
        np.testing.assert_allclose(m.T @ m, np.eye(3), atol=1e-12)
        assert np.linalg.det(m) == pytest.approx(1.0)
        seg, sen = aligned.samples(placement, t), strapped.samples(placement, t)
        np.testing.assert_allclose(sen.acc_g, seg.acc_g @ m, atol=1e-9)  # sensor = M^T segment
        np.testing.assert_allclose(sen.gyro_dps, seg.gyro_dps @ m, atol=1e-9)


def test_saturation_clips_to_the_pod_ranges() -> None:
    model = RunnerModel(get_profile("forefoot-relaxed"), seed=1, noise=False)
    block = model.samples(Placement.RIGHT_SHOE, np.arange(5.0, 10.0, 0.001))
    assert np.abs(block.acc_g).max() <= 16.0
    assert np.abs(block.gyro_dps).max() <= 2000.0


@pytest.mark.parametrize("placement", list(Placement))
def test_integrated_gyro_reproduces_the_ground_truth_rotation(placement: Placement) -> None:
    data, model = clean_run("forefoot-relaxed")
    stride = model.strides_between(10.0, 11.0)[0]
    block = window(data[placement], stride.start_s, stride.end_s)
    change = integrate_gyro(block.t_s, block.gyro_dps)
    rot = model.segment_orientation(placement, block.t_s)
    truth = np.swapaxes(rot[:1], 1, 2) @ rot
    assert rotation_angle_deg(truth).max() > 2.0  # there is something to reproduce
    assert rotation_angle_deg(np.swapaxes(change, 1, 2) @ truth).max() < 0.3


def test_foot_is_still_at_one_g_during_foot_flat() -> None:
    data, model = clean_run("heel-striker-guarded")
    for step in model.steps_between(RUN_START_S, 20.0):
        contact = step.to_s - step.ic_s
        shoe = Placement.LEFT_SHOE if step.side == "left" else Placement.RIGHT_SHOE
        flat = window(data[shoe], step.ic_s + 0.35 * contact, step.ic_s + 0.5 * contact)
        assert np.abs(flat.gyro_dps).max() < 1.0
        np.testing.assert_allclose(flat.acc_g, np.tile([0.0, 0.0, 1.0], (len(flat), 1)), atol=0.01)


@pytest.mark.parametrize("name", ["heel-striker-guarded", "forefoot-relaxed"])
def test_foot_sagittal_gyro_has_the_stance_and_swing_pattern(name: str) -> None:
    data, model = clean_run(name)
    steps = model.steps_between(RUN_START_S, 18.0)
    for step, nxt in zip(steps[:-2], steps[2:], strict=True):
        shoe = Placement.LEFT_SHOE if step.side == "left" else Placement.RIGHT_SHOE
        contact = step.to_s - step.ic_s

        def pitch_rate(t0_s: float, t1_s: float, shoe: Placement = shoe) -> FloatArray:
            return -window(data[shoe], t0_s, t1_s).gyro_dps[:, 1]  # toes up = -y rotation

        early = pitch_rate(step.ic_s, step.ic_s + 0.25 * contact)
        if step.strike == "rearfoot":
            assert early.min() < -300.0  # foot slap: toes rotate down fast
        else:
            assert early.max() > 50.0 and early.min() > -20.0  # heel lowers: toes rotate up
        push_off = pitch_rate(step.to_s - 0.3 * contact, step.to_s + 0.02)
        assert push_off.min() < -500.0
        swing = pitch_rate(step.to_s, nxt.ic_s)
        assert swing.max() > 400.0
        assert abs(pitch_rate(nxt.ic_s - 0.001, nxt.ic_s + 0.001)).max() < 10.0  # turning point


def test_pelvis_bounces_around_one_g() -> None:
    data, _ = clean_run("heel-striker-guarded")
    pelvis = window(data[Placement.PELVIS], RUN_START_S, 20.0)
    vertical = pelvis.acc_g[:, 2]
    assert 1.8 < vertical.max() < 4.0 and vertical.min() < 0.2
    assert vertical.mean() == pytest.approx(1.0, abs=0.02)


# --- ground truth ------------------------------------------------------------------------------


def test_steps_alternate_feet_with_plausible_timing() -> None:
    model = clean_model("midfoot", seed=9)
    steps = model.steps_between(0.0, 60.0)
    assert steps[0].side == "right" and steps[0].ic_s > 3.0
    sides = [s.side for s in steps]
    assert all(a != b for a, b in itertools.pairwise(sides))
    ics = np.array([s.ic_s for s in steps])
    contact_ms = 1000 * np.array([s.to_s - s.ic_s for s in steps])
    cadence_spm = 60.0 / np.diff(ics).mean()
    assert cadence_spm == pytest.approx(172.0, rel=0.01)
    assert 0.0 < np.diff(ics).std() < 0.02
    assert contact_ms.mean() == pytest.approx(240.0, rel=0.03) and contact_ms.std() > 1.0
    assert all(s.ic_s >= 10.0 and s.ic_s < 20.0 for s in model.steps_between(10.0, 20.0))


def test_fsa_in_truth_is_the_foot_pitch_at_contact() -> None:
    model = clean_model("heel-striker-guarded", seed=2)
    steps = model.steps_between(RUN_START_S, 15.0)
    for shoe, side in ((Placement.LEFT_SHOE, "left"), (Placement.RIGHT_SHOE, "right")):
        own = [s for s in steps if s.side == side]
        pitch = model.segment_angles_deg(shoe, np.array([s.ic_s for s in own]))[:, 0]
        np.testing.assert_allclose(pitch, [s.fsa_deg for s in own], atol=1e-9)
    fsa = np.array([s.fsa_deg for s in model.steps_between(RUN_START_S, 120.0)])
    assert fsa.mean() == pytest.approx(18.0, abs=1.0) and fsa.std() == pytest.approx(4.0, abs=1.0)


def test_strike_labels_follow_altman_davis_thresholds() -> None:
    steps = clean_model("mixed", seed=1).steps_between(0.0, 120.0)
    assert {s.strike for s in steps} == {"rearfoot", "midfoot", "forefoot"}
    for s in steps:
        assert s.strike == strike_label(s.fsa_deg)
        assert (s.strike == "rearfoot") == (s.fsa_deg > 8.0)
        assert (s.strike == "forefoot") == (s.fsa_deg < -1.6)
    assert strike_label(8.0) == "midfoot" and strike_label(-1.6) == "midfoot"
    assert strike_label(8.01) == "rearfoot" and strike_label(-1.61) == "forefoot"
    assert isinstance(steps[0], StepTruth)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_stride_truth_matches_the_profile(name: str) -> None:
    profile = get_profile(name)
    model = clean_model(name, seed=6)
    strides = model.strides_between(RUN_START_S, 16.0)
    assert {s.side for s in strides} == {"left", "right"}

    def mean(field: str) -> float:
        return float(np.mean([getattr(s, field) for s in strides]))

    for field in (
        "trunk_flex_mean_deg",
        "trunk_flex_rom_deg",
        "trunk_rot_rom_deg",
        "trunk_lat_rom_deg",
        "pelvis_rot_rom_deg",
        "pelvis_tilt_rom_deg",
        "pelvis_obliquity_rom_deg",
        "pelvis_trunk_phase_deg",
    ):
        expected = getattr(profile, field)
        assert mean(field) == pytest.approx(expected, rel=0.06, abs=0.3), field


def test_guarded_runner_twists_less_than_relaxed_runner() -> None:
    guarded = clean_model("heel-striker-guarded").strides_between(RUN_START_S, 15.0)
    relaxed = clean_model("forefoot-relaxed").strides_between(RUN_START_S, 15.0)
    assert max(s.trunk_rot_rom_deg for s in guarded) < min(s.trunk_rot_rom_deg for s in relaxed)
    assert max(s.pelvis_trunk_phase_deg for s in guarded) < 60.0
    assert min(s.pelvis_trunk_phase_deg for s in relaxed) > 150.0


def test_body_angles_rest_at_standing_then_follow_the_run() -> None:
    model = clean_model("forefoot-relaxed")
    standing = model.segment_angles_deg(Placement.TRUNK, np.arange(0.0, 2.9, 0.01))
    assert np.abs(standing).max() < 0.5
    feet = model.segment_angles_deg(Placement.LEFT_SHOE, np.arange(0.0, 2.9, 0.01))
    np.testing.assert_allclose(feet, 0.0, atol=1e-12)


def test_simulate_returns_all_pods_on_a_uniform_clock() -> None:
    data, model = simulate("midfoot", 2.0, 100.0, seed=1)
    assert set(data) == set(Placement)
    for block in data.values():
        assert len(block) == 200
        np.testing.assert_allclose(np.diff(block.t_s), 0.01)
        assert block.t_s[0] == 0.0
    assert model.profile is get_profile("midfoot") and model.seed == 1


def test_unknown_runner_lists_the_choices() -> None:
    with pytest.raises(UnknownRunnerError) as err:
        get_profile("nobody")
    message = str(err.value)
    assert message.startswith("unknown runner 'nobody'; choose from: ")
    for name in PROFILES:
        assert name in message
    with pytest.raises(UnknownRunnerError):
        simulate("nobody", 1.0, 100.0)
