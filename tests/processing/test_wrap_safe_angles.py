"""Trunk and pelvis angles and their per-stride ranges are wrap-safe from the first stride,
whenever the samples start: an axial angle crossing ±180° gives its true range, and a
pipeline started from a calibration brought in (a recording made after calibrating live,
a replay's seek) while the runner runs gives the same strides as one that saw the standing.
"""

from __future__ import annotations

import numpy as np
import pytest

from drivers.sim.runner_model import simulate
from drivers.types import Placement, PodInfo, SampleBlock
from processing.analysis import analyze
from processing.events import Side
from processing.pipeline import GaitPipeline
from processing.stages.coordination import CoordinationStage
from processing.stages.trunk import AngleHistory, StrideRangeStage

RATE_HZ = 100.0
STRIDE_S = 0.7
ROTATION_FIELDS = ("trunk_rot_rom_deg", "pelvis_rot_rom_deg")
RANGE_FIELDS = (*ROTATION_FIELDS, "trunk_flex_rom_deg", "trunk_lat_rom_deg",
                "pelvis_tilt_rom_deg", "pelvis_obliquity_rom_deg")  # fmt: skip


def wrapped(angles_deg: np.ndarray) -> np.ndarray:
    return (angles_deg + 180.0) % 360.0 - 180.0


def history(axial_deg: np.ndarray, t_s: np.ndarray) -> AngleHistory:
    flexion = 8.0 + 2.0 * np.sin(4 * np.pi * t_s / STRIDE_S)
    lateral = 3.0 * np.sin(2 * np.pi * t_s / STRIDE_S)
    out = AngleHistory(4000, RATE_HZ)
    out.append(t_s, np.column_stack([flexion, lateral, axial_deg]))
    return out


def test_an_axial_angle_around_180_degrees_has_its_true_range() -> None:
    t_s = np.arange(int(6 * RATE_HZ)) / RATE_HZ
    swing = 5.0 * np.sin(2 * np.pi * t_s / STRIDE_S)
    near_zero, near_180 = history(swing, t_s), history(wrapped(180.0 + swing), t_s)
    assert np.abs(np.diff(near_180.between(0.0, 6.0)[:, 3])).max() < 1.0  # continuous
    spans = [(0.2 + k * STRIDE_S, 0.2 + (k + 1) * STRIDE_S) for k in range(6)]
    for way in ("update_many", "update"):
        expected, found = [], []
        for source, out in ((near_zero, expected), (near_180, found)):
            stage = StrideRangeStage(RATE_HZ)
            if way == "update_many":
                out.extend(stage.update_many(source, spans))
            else:
                for t0, t1 in spans:
                    stage.update(source, t0, t1)
                    out.append(stage.ranges_)
        for a, b in zip(expected, found, strict=True):
            assert a is not None and b is not None
            assert b.rot_rom_deg == pytest.approx(a.rot_rom_deg, abs=1e-9)
            assert 9.0 < b.rot_rom_deg < 10.5  # 2 × 5°, not 355°
            assert b.flex_mean_deg == pytest.approx(a.flex_mean_deg)


def test_coordination_does_not_see_the_wrap() -> None:
    """Pelvis and trunk axial rotation both about ±180°: the same coupling and phase as
    about 0°."""
    t_s = np.arange(int(8 * RATE_HZ)) / RATE_HZ
    pelvis = 6.0 * np.sin(2 * np.pi * t_s / STRIDE_S)
    trunk = 9.0 * np.sin(2 * np.pi * t_s / STRIDE_S + 2.0)
    strides = [(Side.LEFT, 1.0 + k * STRIDE_S, 1.0 + (k + 1) * STRIDE_S) for k in range(8)]
    fields = []
    for offset in (0.0, 180.0):
        segments = {Placement.PELVIS: history(wrapped(offset + pelvis), t_s),
                    Placement.TRUNK: history(wrapped(offset + trunk), t_s)}  # fmt: skip
        fields.append(CoordinationStage().update_many(strides, segments))
    for plain, wrapped_fields in zip(*fields, strict=True):
        crp = plain["pt_transverse_crp_mean_deg"]
        assert crp is not None and 100.0 < crp < 130.0  # 2 rad apart ≈ 115°
        assert wrapped_fields["pt_transverse_crp_mean_deg"] == pytest.approx(crp, abs=1e-6)
        assert wrapped_fields["pt_transverse_coupling_deg"] == pytest.approx(
            plain["pt_transverse_coupling_deg"], abs=1e-6
        )


def sliced(blocks: dict[Placement, SampleBlock], t0_s: float) -> dict[Placement, SampleBlock]:
    return {p: b.slice(int(np.searchsorted(b.t_s, t0_s)), len(b)) for p, b in blocks.items()}


def calibrated_until(blocks: dict[Placement, SampleBlock], t_s: float) -> GaitPipeline:
    """A live pipeline that has seen the session until ``t_s`` (its standing and running)."""
    pods = [PodInfo(f"sim-{p.value}", p, "sim", "", int(RATE_HZ)) for p in blocks]
    pipeline = GaitPipeline(pods)
    pipeline.update({p: b.slice(0, int(np.searchsorted(b.t_s, t_s))) for p, b in blocks.items()})
    return pipeline


@pytest.mark.parametrize("profile", ["heel-striker-guarded", "forefoot-relaxed"])
def test_samples_starting_mid_run_from_a_carried_calibration_match_from_the_first_stride(
    profile: str,
) -> None:
    """What a recording started after calibrating live holds: running from its first sample,
    and the live calibration with its axes. Its strides match those of the whole session
    (which saw the standing) from the first one: rotation ranges and the pelvis–trunk phase
    at once; mean flexion within a few degrees while the filter's levelling settles (its
    first ~6 s), then within 1°."""
    blocks, _ = simulate(profile, 40.0, RATE_HZ, seed=11)
    whole = {(s.side, round(s.start_s, 3)): s for s in analyze(blocks).strides}
    start_s = 17.3
    state = calibrated_until(blocks, start_s).calibration_state()
    assert set(state) == set(Placement) and all(s.axes is not None for s in state.values())
    mid_run = analyze(sliced(blocks, start_s), calibration=state).strides
    assert min(s.start_s for s in mid_run) < start_s + 1.0
    compared = 0
    for stride in mid_run:
        reference = whole.get((stride.side, round(stride.start_s, 3)))
        if reference is None:
            continue
        compared += 1
        for name in RANGE_FIELDS:
            value = getattr(stride, name)
            assert value is not None and value < 60.0, (name, stride.start_s, value)
        for name in ROTATION_FIELDS:
            assert getattr(stride, name) == pytest.approx(getattr(reference, name), abs=2.0)
        settling = stride.start_s < start_s + 6.0
        flex = stride.trunk_flex_mean_deg
        assert flex == pytest.approx(reference.trunk_flex_mean_deg, abs=3.5 if settling else 1.0)
        crp, expected_crp = stride.pt_transverse_crp_mean_deg, reference.pt_transverse_crp_mean_deg
        assert crp is not None and expected_crp is not None
        assert crp == pytest.approx(expected_crp, abs=10.0)
    assert compared >= 25
