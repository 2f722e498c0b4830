"""LslOutlet and GaitLslFeed on loopback, read by real pylsl inlets."""

from __future__ import annotations

import json
import math

import numpy as np
import pylsl
import pytest
from lsl_helpers import RESOLVE_TIMEOUT_S, open_inlet, pull

from drivers.lsl.outlet import LslOutlet
from drivers.lsl.stream_info import pod_source_id
from drivers.sim.runner_model import simulate
from drivers.types import Placement, PodInfo, SampleBlock
from processing.analysis import analyze
from processing.exports.lsl_feed import STRIDE_CHANNELS, GaitLslFeed

SESSION_NOW_S = 42.0  # a frozen session clock: the offset is then local_clock() - 42


def pods() -> list[PodInfo]:
    return [
        PodInfo("p-left", Placement.LEFT_SHOE, "metamotion", "C1:02:03:04:05:06", 100.0),
        PodInfo("p-trunk", Placement.TRUNK, "polar-verity", "A0:9E:1A:00:00:01", 52.0),
    ]


def ramp_block(t0_s: float, n: int, rate_hz: float) -> SampleBlock:
    t = t0_s + np.arange(n) / rate_hz
    values = np.arange(n * 6, dtype=np.float64).reshape(n, 6) * 0.1 - 3.0
    return SampleBlock(t, values[:, :3], values[:, 3:])


def test_one_imu_stream_per_pod(tag: str, inlets: list[pylsl.StreamInlet]) -> None:
    outlet = LslOutlet(pods(), session_now_s=lambda: SESSION_NOW_S, tag=tag)
    try:
        left, trunk = (open_inlet(pod_source_id(p, tag)) for p in pods())
        inlets.extend([left, trunk])
        info = left.info(RESOLVE_TIMEOUT_S)
        assert (info.type(), info.channel_count(), info.nominal_srate()) == ("IMU", 6, 100.0)
        assert info.channel_format() == pylsl.cf_float32
        assert info.get_channel_labels() == [
            "acc_x",
            "acc_y",
            "acc_z",
            "gyro_x",
            "gyro_y",
            "gyro_z",
        ]
        assert info.get_channel_units() == ["g"] * 3 + ["deg/s"] * 3
        assert info.desc().child("acquisition").child_value("placement") == "left_shoe"
        assert trunk.info(RESOLVE_TIMEOUT_S).nominal_srate() == 52.0

        first, second = ramp_block(40.0, 30, 100.0), ramp_block(40.3, 20, 100.0)
        outlet.push_samples("p-left", first)
        outlet.push("p-left", second)  # the PodSink spelling
        outlet.push_samples("p-trunk", ramp_block(40.0, 5, 52.0))
        samples, stamps = pull(left, 50)
        trunk_samples, _ = pull(trunk, 5)
    finally:
        outlet.close()
    sent = SampleBlock.concat([first, second])
    expected = np.column_stack([sent.acc_g, sent.gyro_dps]).astype(np.float32)
    assert np.array_equal(np.asarray(samples, dtype=np.float32), expected)
    assert np.allclose(stamps, sent.t_s + outlet.time_map.offset_s, rtol=0, atol=1e-6)
    assert abs(outlet.time_map.offset_s - (pylsl.local_clock() - SESSION_NOW_S)) < 60.0
    assert len(trunk_samples) == 5 and outlet.samples_sent == 55


def test_samples_without_a_time_are_not_sent(tag: str, inlets: list[pylsl.StreamInlet]) -> None:
    outlet = LslOutlet(pods()[:1], session_now_s=lambda: SESSION_NOW_S, tag=tag)
    try:
        inlet = open_inlet(pod_source_id(pods()[0], tag))
        inlets.append(inlet)
        block = ramp_block(1.0, 10, 100.0)
        block.t_s[3] = np.nan
        block.acc_g[5, 0] = np.nan
        outlet.push_samples("p-left", block)
        outlet.push_samples("p-left", ramp_block(2.0, 1, 100.0))  # a marker for the end
        samples, _ = pull(inlet, 10)
    finally:
        outlet.close()
    assert len(samples) == 10  # 9 with a time, then the end marker
    assert math.isnan(float(samples[4][0]))  # a NaN value is sent as NaN (row 5 -> 4)
    assert outlet.samples_sent == 10


def test_step_markers_and_stride_metrics(tag: str, inlets: list[pylsl.StreamInlet]) -> None:
    blocks, _ = simulate("mixed", 14.0, 100.0, seed=2)
    result = analyze(blocks)
    feed = GaitLslFeed.open(pods()[:1], lambda: SESSION_NOW_S, tag=tag)
    try:
        markers, strides = open_inlet(f"{tag}-steps"), open_inlet(f"{tag}-strides")
        inlets.extend([markers, strides])
        stride_info = strides.info(RESOLVE_TIMEOUT_S)
        assert markers.info(RESOLVE_TIMEOUT_S).type() == "Markers"
        assert stride_info.get_channel_labels() == [label for label, _ in STRIDE_CHANNELS]
        assert stride_info.nominal_srate() == pylsl.IRREGULAR_RATE
        feed.push_events([*result.strikes, *result.steps, *result.strides])
        texts, marker_stamps = pull(markers, len(result.strikes) + len(result.steps))
        values, stride_stamps = pull(strides, len(result.strides))
    finally:
        feed.close()
    offset = feed.outlet.time_map.offset_s
    decoded = [json.loads(str(t[0])) for t in texts]
    strikes = [m for m in decoded if m["event"] == "foot_strike"]
    offs = [m for m in decoded if m["event"] == "foot_off"]
    assert len(strikes) == len(result.strikes) > 5 and len(offs) == len(result.steps)
    for marker, stamp, strike in zip(strikes, marker_stamps, result.strikes, strict=False):
        assert marker["side"] == strike.side.value and marker["strike"] == strike.strike.value
        assert marker["fsa_deg"] == pytest.approx(strike.fsa_deg, abs=0.005)
        assert stamp == pytest.approx(strike.ic_s + offset, abs=1e-6)
    assert offs[0]["contact_ms"] == pytest.approx(result.steps[0].contact_ms, abs=0.05)
    assert len(values) == len(result.strides) > 3
    names = [label for label, _ in STRIDE_CHANNELS]
    for row, stamp, stride in zip(values, stride_stamps, result.strides, strict=True):
        assert row[0] == (0.0 if stride.side.value == "left" else 1.0)
        assert row[1] == pytest.approx(stride.duration_s, rel=1e-6)
        rom = stride.trunk_rot_rom_deg
        want = math.nan if rom is None else rom
        assert np.isclose(row[names.index("trunk_rot_rom_deg")], want, rtol=1e-6, equal_nan=True)
        assert stamp == pytest.approx(stride.start_s + offset, abs=1e-6)
    assert any(s.trunk_rot_rom_deg is not None for s in result.strides)
    assert any(s.trunk_rot_rom_deg is None for s in result.strides)  # sent as NaN


def test_close_withdraws_the_streams_and_ignores_later_pushes(tag: str) -> None:
    outlet = LslOutlet(pods()[:1], [("x", "")], session_now_s=lambda: 0.0, tag=tag)
    source_id = pod_source_id(pods()[0], tag)
    assert pylsl.resolve_byprop("source_id", source_id, 1, RESOLVE_TIMEOUT_S)
    outlet.close()
    outlet.push_samples("p-left", ramp_block(0.0, 3, 100.0))
    outlet.push_marker(0.0, "late")
    outlet.push_values(0.0, [1.0])
    assert outlet.closed and outlet.samples_sent == 0 and outlet.markers_sent == 0
    assert pylsl.resolve_byprop("source_id", source_id, 1, 1.0) == []


def test_wrong_pod_or_value_count_is_an_error(tag: str) -> None:
    outlet = LslOutlet(pods()[:1], [("a", ""), ("b", "")], session_now_s=lambda: 0.0, tag=tag)
    try:
        with pytest.raises(KeyError, match="p-right"):
            outlet.push_samples("p-right", ramp_block(0.0, 2, 100.0))
        with pytest.raises(ValueError, match="expected 2 values"):
            outlet.push_values(0.0, [1.0])
    finally:
        outlet.close()
