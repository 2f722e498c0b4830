"""C3D export read back with ezc3d: labels, units, rates, values, gait events."""

from __future__ import annotations

from pathlib import Path

import ezc3d
import numpy as np
import pytest

from drivers.sim.runner_model import simulate
from drivers.types import Placement, SampleBlock
from processing.analysis import AnalysisResult, analyze
from processing.events import Side, StepEvent, StrikeType
from processing.export import step_rows
from processing.exports.c3d import C3dExportError, frame_ratio, write_c3d
from processing.exports.c3d_events import read_event_times

RATE_HZ = 200.0


@pytest.fixture(scope="module")
def session() -> tuple[dict[Placement, SampleBlock], AnalysisResult]:
    blocks, _ = simulate("heel-striker-guarded", 25.0, RATE_HZ, seed=3)
    return blocks, analyze(blocks)


def read(path: Path) -> ezc3d.c3d:
    return ezc3d.c3d(str(path))


def test_channels_rates_and_units(
    tmp_path: Path, session: tuple[dict[Placement, SampleBlock], AnalysisResult]
) -> None:
    blocks, result = session
    layout = write_c3d(tmp_path / "s.c3d", blocks, result)
    c3d = read(tmp_path / "s.c3d")
    analog = c3d["parameters"]["ANALOG"]
    labels = analog["LABELS"]["value"]
    assert labels[12:18] == [
        "LEFT_SHOE_ACC_X",
        "LEFT_SHOE_ACC_Y",
        "LEFT_SHOE_ACC_Z",
        "LEFT_SHOE_GYRO_X",
        "LEFT_SHOE_GYRO_Y",
        "LEFT_SHOE_GYRO_Z",
    ]
    assert len(labels) == 24 and tuple(labels) == layout.labels
    assert analog["UNITS"]["value"] == (["g"] * 3 + ["deg/s"] * 3) * 4
    assert analog["RATE"]["value"][0] == RATE_HZ
    assert c3d["parameters"]["POINT"]["RATE"]["value"][0] == 100.0
    assert c3d["parameters"]["POINT"]["USED"]["value"][0] == 0
    assert c3d["header"]["analogs"]["frame_rate"] == RATE_HZ


def test_values_equal_the_input_at_sample_instants(
    tmp_path: Path, session: tuple[dict[Placement, SampleBlock], AnalysisResult]
) -> None:
    blocks, result = session
    write_c3d(tmp_path / "s.c3d", blocks, result)
    analogs = read(tmp_path / "s.c3d")["data"]["analogs"][0]
    n = len(blocks[Placement.TRUNK])
    for i, placement in enumerate(Placement):
        block = blocks[placement]
        expected = np.column_stack([block.acc_g, block.gyro_dps]).T.astype(np.float32)
        assert np.array_equal(analogs[6 * i : 6 * i + 6, :n].astype(np.float32), expected)
    assert np.isnan(analogs[:, n:]).all()  # padding to whole frames, if any


def test_gait_events_within_half_a_sample(
    tmp_path: Path, session: tuple[dict[Placement, SampleBlock], AnalysisResult]
) -> None:
    blocks, result = session
    layout = write_c3d(tmp_path / "s.c3d", blocks, result)
    events = read_event_times(read(tmp_path / "s.c3d")["parameters"]["EVENT"])
    rows = step_rows(result)
    for label, key in (("Foot Strike", "ic_s"), ("Foot Off", "to_s")):
        for side, context in ((Side.LEFT, "Left"), (Side.RIGHT, "Right")):
            want = sorted(
                float(r[key]) - layout.start_s  # type: ignore[arg-type]
                for r in rows
                if r["side"] == side and r.get(key) is not None
            )
            got = sorted(t for lab, ctx, t in events if lab == label and ctx == context)
            assert len(got) == len(want) > 5
            assert np.max(np.abs(np.subtract(got, want))) < 0.5 / RATE_HZ
    group = read(tmp_path / "s.c3d")["parameters"]["EVENT"]
    assert group["USED"]["value"][0] == len(events) == layout.events
    assert group["TIMES"]["value"].shape == (2, len(events))
    icons = dict(zip(group["LABELS"]["value"], group["ICON_IDS"]["value"], strict=True))
    assert icons == {"Foot Strike": 1, "Foot Off": 2}
    assert set(group["GENERIC_FLAGS"]["value"]) == {0}


def test_mixed_rates_gaps_and_jitter(tmp_path: Path) -> None:
    blocks, _ = simulate("midfoot", 6.0, RATE_HZ, seed=4)
    trunk = blocks[Placement.TRUNK]
    slow = SampleBlock(trunk.t_s[::2], trunk.acc_g[::2], trunk.gyro_dps[::2])
    left = blocks[Placement.LEFT_SHOE]
    keep = (left.t_s < 2.0) | (left.t_s >= 2.5)
    gappy = SampleBlock(left.t_s[keep], left.acc_g[keep], left.gyro_dps[keep])
    rng = np.random.default_rng(5)
    right = blocks[Placement.RIGHT_SHOE]
    jittered = SampleBlock(
        right.t_s + rng.uniform(-5e-4, 5e-4, len(right)), right.acc_g, right.gyro_dps
    )
    inputs = {Placement.TRUNK: slow, Placement.LEFT_SHOE: gappy, Placement.RIGHT_SHOE: jittered}
    layout = write_c3d(tmp_path / "m.c3d", inputs)
    analogs = read(tmp_path / "m.c3d")["data"]["analogs"][0]
    assert layout.analog_rate_hz == RATE_HZ and layout.labels[0] == "TRUNK_ACC_X"
    grid = layout.start_s + np.arange(analogs.shape[1]) / RATE_HZ
    # the 100 Hz trunk at its own instants (every other grid point)
    assert np.array_equal(
        analogs[0, 0 : 2 * len(slow) : 2].astype(np.float32), slow.acc_g[:, 0].astype(np.float32)
    )
    # the left shoe's gap is NaN, its samples on either side are kept
    in_gap = (grid > 2.0 - 0.5 / RATE_HZ) & (grid < 2.5 - 0.5 / RATE_HZ)
    assert np.isnan(analogs[6:12, in_gap]).all()
    assert np.isfinite(analogs[6:12, (grid > 1.0) & (grid < 1.9)]).all()
    # the jittered right shoe is interpolated linearly
    inside = (grid > jittered.t_s[0]) & (grid < jittered.t_s[-1])
    want = np.interp(grid[inside], jittered.t_s, jittered.gyro_dps[:, 1])
    assert np.allclose(analogs[16, inside], want, rtol=1e-6, atol=1e-3)


def test_more_than_255_events_continue_in_times2(tmp_path: Path) -> None:
    blocks, _ = simulate("midfoot", 2.0, 100.0, seed=6)
    steps = [
        StepEvent(
            Side.LEFT if k % 2 else Side.RIGHT, 0.01 * k, 0.01 * k + 0.005, 5.0, StrikeType.MIDFOOT
        )
        for k in range(180)
    ]
    result = AnalysisResult(steps=steps)
    layout = write_c3d(tmp_path / "e.c3d", blocks, result)
    group = read(tmp_path / "e.c3d")["parameters"]["EVENT"]
    assert layout.events == 360
    assert group["USED"]["value"][0] == 360
    assert group["TIMES"]["value"].shape == (2, 255) and group["TIMES2"]["value"].shape == (2, 105)
    times = sorted(t for label, _, t in read_event_times(group) if label == "Foot Strike")
    assert np.allclose(times, [0.01 * k for k in range(180)], atol=1e-5)


def test_minutes_and_seconds_add_up(tmp_path: Path) -> None:
    blocks, _ = simulate("midfoot", 2.0, 100.0, seed=6)
    result = AnalysisResult(steps=[StepEvent(Side.LEFT, 125.5, 125.75, 3.0, StrikeType.MIDFOOT)])
    write_c3d(tmp_path / "t.c3d", blocks, result)
    times = read(tmp_path / "t.c3d")["parameters"]["EVENT"]["TIMES"]["value"]
    assert times[0].tolist() == [2.0, 2.0]
    assert np.allclose(times[1], [5.5, 5.75])


@pytest.mark.parametrize(
    ("rate", "samples", "k"),
    [(200.0, 6000, 2), (100.0, 6000, 1), (52.0, 100, 1), (1000.0, 10, 10), (200.0, 360_000, 8)],
)
def test_frame_ratio(rate: float, samples: int, k: int) -> None:
    assert frame_ratio(rate, samples) == k


def test_too_long_or_empty_sessions_are_refused(tmp_path: Path) -> None:
    with pytest.raises(C3dExportError):
        frame_ratio(1.0, 70_000)
    with pytest.raises(C3dExportError, match="no pod"):
        write_c3d(tmp_path / "x.c3d", {Placement.TRUNK: SampleBlock.empty()})
