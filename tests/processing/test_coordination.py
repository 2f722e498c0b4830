"""Coordination: vector coding, continuous relative phase, and the stage on the simulator."""

from __future__ import annotations

import dataclasses
import time
from functools import cache

import numpy as np
import pytest

from drivers.sim.runner_model import RunnerModel, simulate
from drivers.types import FloatArray, Placement, SampleBlock
from processing.analysis import AnalysisResult, analyze
from processing.events import Side, StrideEvent
from processing.stages.coordination import (
    COUPLINGS,
    CoordinationStage,
    axial_mean_deg,
    circular_sd_deg,
    coupling_angles_deg,
    field_names,
    phase_shares_pct,
    relative_phase_deg,
)
from processing.stages.trunk import AngleHistory

STRIDE = np.linspace(0.0, 1.0, 101)  # one normalised stride


def sinusoids(phase_deg: float, x_amp: float = 6.0, y_amp: float = 6.0) -> tuple[FloatArray, ...]:
    """x = pelvis, y = trunk lagging it by ``phase_deg`` over one stride-frequency cycle."""
    w = 2 * np.pi * STRIDE
    return x_amp * np.cos(w), y_amp * np.cos(w - np.radians(phase_deg))


# --------------------------------------------------------------------------- pure math
@pytest.mark.parametrize(
    ("gamma", "expected"),
    [
        (10.0, "x"), (30.0, "in"), (60.0, "in"), (90.0, "y"), (120.0, "anti"), (170.0, "x"),
        (200.0, "x"), (210.0, "in"), (270.0, "y"), (300.0, "anti"), (350.0, "x"), (0.0, "x"),
        (22.5, "in"), (67.5, "y"), (112.5, "anti"), (157.5, "x"), (337.5, "x"),
    ],
)  # fmt: skip
def test_coupling_angle_bins(gamma: float, expected: str) -> None:
    in_pct, anti_pct, x_pct, y_pct = phase_shares_pct(np.array([gamma]))
    shares = {"in": in_pct, "anti": anti_pct, "x": x_pct, "y": y_pct}
    assert shares[expected] == 100.0
    assert sum(shares.values()) == 100.0


def test_coupling_angle_is_the_direction_of_the_angle_angle_segment() -> None:
    gamma = coupling_angles_deg(np.array([0.0, 1.0, 1.0, 0.0, 0.0]), np.array([0, 1, 2, 1, 1.0]))
    np.testing.assert_allclose(gamma[:3], [45.0, 90.0, 225.0])
    assert np.isnan(gamma[3])  # nothing moved: left out of the shares
    assert phase_shares_pct(gamma) == pytest.approx((2 / 3 * 100, 0.0, 0.0, 1 / 3 * 100))


@pytest.mark.parametrize(
    ("phase_deg", "shares", "coupling_deg"),
    [
        (0.0, (100.0, 0.0, 0.0, 0.0), 45.0),  # in, anti, pelvis, trunk
        (180.0, (0.0, 100.0, 0.0, 0.0), 135.0),
        (90.0, (25.0, 25.0, 25.0, 25.0), None),  # a circle: every direction equally
    ],
)
def test_vector_coding_of_sinusoids(
    phase_deg: float, shares: tuple[float, ...], coupling_deg: float | None
) -> None:
    x, y = sinusoids(phase_deg)
    gamma = coupling_angles_deg(x, y)
    assert phase_shares_pct(gamma) == pytest.approx(shares, abs=3.0)
    if coupling_deg is not None:
        assert axial_mean_deg(gamma) == pytest.approx(coupling_deg, abs=0.5)


def test_a_still_trunk_is_pelvis_phase_and_a_still_pelvis_trunk_phase() -> None:
    x, y = sinusoids(0.0, y_amp=0.05)
    assert phase_shares_pct(coupling_angles_deg(x, y))[2] == 100.0
    x, y = sinusoids(0.0, x_amp=0.05)
    assert phase_shares_pct(coupling_angles_deg(x, y))[3] == 100.0


@pytest.mark.parametrize("phase_deg", [0.0, 30.0, 90.0, 150.0, 180.0])
def test_crp_of_sinusoids_with_known_relative_phase(phase_deg: float) -> None:
    x, y = sinusoids(phase_deg, x_amp=4.0, y_amp=9.0)  # amplitude does not matter
    crp = relative_phase_deg(x, y)
    assert crp.shape == (101,)
    np.testing.assert_allclose(np.abs(crp), phase_deg, atol=0.5)  # the whole stride, edges too


def test_crp_survives_drift_and_offset() -> None:
    x, y = sinusoids(90.0)
    crp = relative_phase_deg(x + 3.0 * STRIDE + 10.0, y - 2.0 * STRIDE)
    np.testing.assert_allclose(np.abs(crp), 90.0, atol=4.0)


def test_circular_sd() -> None:
    assert circular_sd_deg(np.array([10.0, 10.0, 10.0])) == pytest.approx(0.0, abs=1e-3)
    assert circular_sd_deg(np.array([355.0, 5.0])) == pytest.approx(5.0, abs=0.1)  # wraps
    per_point = circular_sd_deg(np.array([[0.0, np.nan], [0.0, 20.0]]), axis=0)
    assert per_point[0] == pytest.approx(0.0, abs=1e-3) and per_point[1] == pytest.approx(0.0)


# ----------------------------------------------------------------------------- the stage
def histories(
    t_s: FloatArray, pelvis_lag_deg: float, stride_s: float = 0.7
) -> dict[Placement, AngleHistory]:
    """Trunk and pelvis angle histories: axial rotation at stride frequency, trunk lagging."""
    w = 2 * np.pi * t_s / stride_s
    pelvis = np.stack([2 + np.cos(2 * w), -4 * np.cos(w - 1.0), 6 * np.cos(w)], axis=1)
    trunk_rot = 6 * np.cos(w - np.radians(pelvis_lag_deg))
    trunk = np.stack([8 + np.cos(2 * w - 0.2), 3 * np.cos(w - 1.0), trunk_rot], axis=1)
    out = {}
    for placement, angles in ((Placement.PELVIS, pelvis), (Placement.TRUNK, trunk)):
        history = AngleHistory(4000)
        history.append(t_s, angles)
        out[placement] = history
    return out


def test_stage_on_a_steady_stride_and_variability_from_the_third_stride() -> None:
    t = np.arange(0.0, 10.0, 0.005)
    segments = histories(t, pelvis_lag_deg=170.0)
    stage = CoordinationStage()
    cavs = []
    for k in range(2, 8):
        stage.update(Side.LEFT, 0.7 * k, 0.7 * (k + 1), segments)
        transverse = stage.couplings_["pt_transverse"]
        assert transverse is not None
        assert transverse.crp_mean_deg == pytest.approx(170.0, abs=1.0)
        assert transverse.anti_phase_pct > 80.0
        cavs.append(transverse.cav_deg)
    assert cavs[:2] == [None, None] and all(c is not None and c < 1.0 for c in cavs[2:])
    sagittal = stage.couplings_["pt_sagittal"]
    assert sagittal is not None and sagittal.crp_mean_deg == pytest.approx(11.5, abs=1.0)
    assert stage.fields_["pt_transverse_anti_phase_pct"] == transverse.anti_phase_pct
    stage.update(Side.RIGHT, 0.35, 1.05, segments)  # each foot has its own recent strides
    assert stage.fields_["pt_transverse_cav_deg"] is None


def test_stage_without_pelvis_or_across_a_gap() -> None:
    t = np.arange(0.0, 10.0, 0.005)
    segments = histories(t, pelvis_lag_deg=30.0)
    stage = CoordinationStage()
    stage.update(Side.LEFT, 2.1, 2.8, {Placement.TRUNK: segments[Placement.TRUNK]})
    assert stage.couplings_["pt_transverse"] is None and stage.couplings_["pt_sagittal"] is None
    assert stage.couplings_["trunk_bend_twist"] is not None
    assert stage.fields_["pt_sagittal_crp_mean_deg"] is None
    gap = (t < 2.3) | (t > 2.45)
    stage.update(Side.LEFT, 2.1, 2.8, histories(t[gap], pelvis_lag_deg=30.0))
    assert all(c is None for c in stage.couplings_.values())


def test_first_stride_without_history_before_it_uses_the_stride_alone() -> None:
    t = np.arange(2.1, 10.0, 0.005)  # nothing before the stride
    stage = CoordinationStage()
    stage.update(Side.LEFT, 2.1, 2.8, histories(t, pelvis_lag_deg=30.0))
    transverse = stage.couplings_["pt_transverse"]
    assert transverse is not None and transverse.crp_mean_deg == pytest.approx(30.0, abs=1.0)


def test_field_names_are_stride_event_fields() -> None:
    stride_fields = {f.name for f in dataclasses.fields(StrideEvent)}
    for spec in COUPLINGS:
        assert set(field_names(spec).values()) <= stride_fields
    assert {"pelvis_tilt_rom_deg", "pelvis_obliquity_rom_deg"} <= stride_fields


def test_per_stride_cost_is_small() -> None:
    t = np.arange(0.0, 12.0, 1 / 200)
    segments = histories(t, pelvis_lag_deg=90.0)
    stage = CoordinationStage()
    costs = []
    for _ in range(3):  # the best of three: a busy machine must not fail the test
        start = time.perf_counter()
        for k in range(2, 14):
            stage.update(Side.LEFT, 0.7 * k, 0.7 * (k + 1), segments)
        costs.append((time.perf_counter() - start) / 12)
    assert min(costs) < 0.005  # seconds per stride, all three couplings (~1 ms typical)


# ------------------------------------------------------------------- on the simulator
DURATION_S = 25.0


@cache
def simulated(profile: str) -> tuple[dict[Placement, SampleBlock], RunnerModel, AnalysisResult]:
    blocks, model = simulate(profile, DURATION_S, 100, seed=7)
    return blocks, model, analyze(blocks)


def coordinated(profile: str) -> list[tuple[StrideEvent, float]]:
    """(stride with pelvis–trunk coordination, the simulator's true pelvis–trunk phase)."""
    _, model, result = simulated(profile)
    truths = model.strides_between(0.0, DURATION_S)
    out = []
    for stride in result.strides:
        if stride.pt_transverse_crp_mean_deg is None:
            continue
        truth = min(truths, key=lambda t: abs(t.start_s - stride.start_s))
        assert abs(truth.start_s - stride.start_s) < 0.05
        out.append((stride, truth.pelvis_trunk_phase_deg))
    return out


def median(strides: list[tuple[StrideEvent, float]], key: str) -> float:
    return float(np.median([getattr(s, key) for s, _ in strides]))


@pytest.mark.parametrize("profile", ["heel-striker-guarded", "forefoot-relaxed"])
def test_crp_matches_the_simulated_pelvis_trunk_phase(profile: str) -> None:
    strides = coordinated(profile)
    assert len(strides) >= 30  # about 15 s of running once the pods are aligned
    errors = [s.pt_transverse_crp_mean_deg - truth for s, truth in strides]  # type: ignore[operator]
    assert float(np.median(np.abs(errors))) < 5.0
    _, _, result = simulated(profile)
    late = [s for s in result.strides if s.start_s > 12.0]
    assert all(s.pt_transverse_cav_deg is not None for s in late)


def test_guarded_and_relaxed_coordination_differ() -> None:
    guarded, relaxed = coordinated("heel-striker-guarded"), coordinated("forefoot-relaxed")
    assert median(guarded, "pt_transverse_in_phase_pct") > 50.0
    assert median(guarded, "pt_transverse_anti_phase_pct") < 15.0
    assert median(relaxed, "pt_transverse_anti_phase_pct") > 75.0
    assert median(guarded, "pt_transverse_coupling_deg") == pytest.approx(45.0, abs=10.0)
    assert median(relaxed, "pt_transverse_coupling_deg") == pytest.approx(135.0, abs=10.0)
    assert (
        median(relaxed, "pt_transverse_crp_mean_deg")
        - median(guarded, "pt_transverse_crp_mean_deg")
        > 120.0
    )


def test_pelvis_ranges_against_truth() -> None:
    _, model, result = simulated("forefoot-relaxed")
    truth = model.strides_between(0.0, DURATION_S)[-1]
    strides = [s for s in result.strides if s.pelvis_tilt_rom_deg is not None]
    assert len(strides) >= 30
    tilt = np.median([s.pelvis_tilt_rom_deg for s in strides])
    obliquity = np.median([s.pelvis_obliquity_rom_deg for s in strides])
    assert tilt == pytest.approx(truth.pelvis_tilt_rom_deg, abs=1.5)
    assert obliquity == pytest.approx(truth.pelvis_obliquity_rom_deg, abs=1.5)


def test_pipeline_without_pelvis_leaves_pelvis_fields_none() -> None:
    blocks, _, _ = simulated("forefoot-relaxed")
    result = analyze({p: b for p, b in blocks.items() if p is not Placement.PELVIS})
    late = [s for s in result.strides if s.start_s > 12.0]
    assert late
    pelvis_fields = [f.name for f in dataclasses.fields(StrideEvent) if "pelvis" in f.name]
    pelvis_fields += [f.name for f in dataclasses.fields(StrideEvent) if f.name.startswith("pt_")]
    assert all(getattr(s, name) is None for s in late for name in pelvis_fields)
    assert all(s.trunk_bend_twist_crp_mean_deg is not None for s in late)


def test_streaming_chunks_give_the_same_coordination() -> None:
    blocks, _, live_sized = simulated("heel-striker-guarded")
    file_sized = analyze(blocks, chunk_s=1.0)
    keys = [f.name for f in dataclasses.fields(StrideEvent) if f.name.startswith("pt_")]

    def table(result: AnalysisResult) -> list[tuple[object, ...]]:
        return [
            tuple(round(v, 6) if isinstance(v, float) else v for v in (getattr(s, k) for k in keys))
            for s in sorted(result.strides, key=lambda s: (s.start_s, s.side.value))
        ]

    assert table(file_sized) == table(live_sized)
