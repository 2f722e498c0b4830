"""A pipeline's calibration as plain data: exact JSON round trip, restoring it into a fresh
pipeline, and the offline analysis of running that starts from it."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest

from drivers.sim.runner_model import simulate
from drivers.types import Placement, PodInfo, SampleBlock
from processing.analysis import analyze
from processing.calibration_state import (
    CalibrationState,
    CalibrationStateError,
    from_json,
    recorded_calibration,
    to_json,
)
from processing.pipeline import GaitPipeline
from processing.stages.alignment import AlignmentStatus

RATE_HZ = 100
SESSION_S = 50.0
CUT_S = 20.0  # standing 0–3 s, running from ~4 s; every pod aligned by 20 s


@cache
def blocks() -> dict[Placement, SampleBlock]:
    return simulate("mixed", SESSION_S, RATE_HZ, seed=11)[0]  # random strap orientations


def pipeline() -> GaitPipeline:
    return GaitPipeline([PodInfo(f"p-{p.value}", p, "sim", "", RATE_HZ) for p in Placement])


def span(t0: float, t1: float) -> dict[Placement, SampleBlock]:
    out = {}
    for p, b in blocks().items():
        a, z = np.searchsorted(b.t_s, [t0, t1])
        out[p] = b.slice(int(a), int(z))
    return out


def fed(until_s: float) -> GaitPipeline:
    """A pipeline fed the session up to ``until_s`` in live-sized blocks (0.5 s)."""
    pipe = pipeline()
    for t in np.arange(0.0, until_s, 0.5):
        pipe.update(span(float(t), min(float(t) + 0.5, until_s)))
    return pipe


@cache
def aligned_state() -> CalibrationState:
    state = fed(CUT_S).calibration_state()
    assert set(state) == set(Placement) and all(s.axes is not None for s in state.values())
    return state


def test_the_state_round_trips_through_json_exactly() -> None:
    state = aligned_state()
    text = json.dumps(to_json(state), sort_keys=True)
    back = from_json(json.loads(text))
    assert back == state  # every float bit for bit
    assert json.dumps(to_json(back), sort_keys=True) == text


def test_a_fresh_pipeline_restored_from_it_holds_the_same_calibration() -> None:
    source = fed(CUT_S)
    restored = pipeline()
    restored.restore_calibration(
        from_json(json.loads(json.dumps(to_json(source.calibration_state()))))
    )
    assert restored.calibration_state() == source.calibration_state()
    for placement, chain in restored._chains():
        other = dict(source._chains())[placement]
        assert np.array_equal(chain.calibration.up_sensor_, other.calibration.up_sensor_)
        assert np.array_equal(chain.calibration.gyro_bias_dps_, other.calibration.gyro_bias_dps_)
        assert chain.calibration.acc_sd_g_ == other.calibration.acc_sd_g_
        assert chain.calibration.t_s_ == other.calibration.t_s_
        assert chain.axes_ is not None and other.axes_ is not None
        assert np.array_equal(chain.axes_, other.axes_)
        assert chain.status_ == other.status_ == AlignmentStatus.DECIDED
        assert chain.alignment_quality_ == other.alignment_quality_
    report = restored.alignment_report()
    assert all(r["calibrated"] and r["calibrated_before"] for r in report.values())


def test_running_analysed_from_the_state_finds_what_the_whole_session_finds() -> None:
    whole = analyze(blocks())
    running = span(CUT_S, SESSION_S)
    cold = analyze(running)  # running only: no standing to calibrate from
    for name, alignment in cold.alignment.items():  # shoes only, from the foot flat
        assert alignment["reference"] == ("gait" if name.endswith("shoe") else "none"), name

    warm = analyze(running, calibration=aligned_state())
    assert all(a["calibrated"] and a["calibrated_before"] for a in warm.alignment.values())
    assert all(a["status"] == "decided" for a in warm.alignment.values())
    inside = [s for s in whole.strikes if CUT_S + 1.0 <= s.ic_s <= SESSION_S - 1.0]
    found = {(s.side, round(s.ic_s, 2)): s for s in warm.strikes}
    same = [found.get((s.side, round(s.ic_s, 2))) for s in inside]
    assert len(inside) > 40 and sum(x is not None for x in same) >= len(inside) - 2
    kinds = [x.strike == s.strike for s, x in zip(inside, same, strict=True) if x is not None]
    assert np.mean(kinds) >= 0.95
    assert abs(len(warm.strides) - len([s for s in whole.strides if s.start_s >= CUT_S])) <= 3


def test_calibration_without_axes_finds_them_from_the_running() -> None:
    early = fed(3.5).calibration_state()  # standing seen, no running yet
    assert set(early) == set(Placement) and all(s.axes is None for s in early.values())
    restored = pipeline()
    restored.restore_calibration(from_json(json.loads(json.dumps(to_json(early)))))
    assert all(r["status"] == "pending" for r in restored.alignment_report().values())
    result = analyze(span(CUT_S, SESSION_S), calibration=early)
    assert all(a["status"] == "decided" for a in result.alignment.values())
    assert len(result.strikes) > 30


def test_a_standing_in_the_samples_still_replaces_a_restored_calibration() -> None:
    whole = analyze(blocks())
    later = analyze(blocks(), calibration=aligned_state())  # as if calibrated before
    for name, entry in later.alignment.items():
        assert entry["calibrated"] and not entry["calibrated_before"]
        assert entry["calibrated_at_s"] == whole.alignment[name]["calibrated_at_s"]
    assert abs(len(later.strikes) - len(whole.strikes)) <= 2


def test_a_changing_calibration_is_announced() -> None:
    pipe = pipeline()
    seen: list[int] = []
    pipe.calibration_listeners.append(lambda p: seen.append(len(p.calibration_state())))
    for t in np.arange(0.0, CUT_S, 0.5):
        pipe.update(span(float(t), float(t) + 0.5))
    assert pipe.calibration_changes == len(seen) >= 2  # calibrated, then the axes decided
    assert seen[-1] == 4 and pipe.calibration_state() == aligned_state()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"pods": {"nose": {}}},
        {"pods": {"trunk": {"up_sensor": [0, 0, 1]}}},
        {"pods": {"trunk": {"up_sensor": [0, 0, 2], "gyro_bias_dps": [0, 0, 0],
                            "acc_sd_g": 0.01, "calibrated_at_s": 3.0}}},
        {"pods": {"trunk": {"up_sensor": [0, 0, 1], "gyro_bias_dps": [0, "x", 0],
                            "acc_sd_g": 0.01, "calibrated_at_s": 3.0}}},
    ],
)  # fmt: skip
def test_a_damaged_state_is_refused_and_a_recording_then_starts_from_scratch(
    data: dict[str, object],
) -> None:
    with pytest.raises(CalibrationStateError):
        from_json(data)
    assert recorded_calibration({"type": "calibration", **data}) is None
    assert recorded_calibration(None) is None
