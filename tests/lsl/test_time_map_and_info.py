"""The LSL clock offset and the stream descriptions, without the network."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pylsl

from drivers.lsl.stream_info import imu_stream_info, marker_stream_info, pod_source_id
from drivers.lsl.time_map import LslTimeMap, measure_offset
from drivers.types import Placement, PodInfo


def clock(readings: list[float]) -> Callable[[], float]:
    values: Iterator[float] = iter(readings)
    return lambda: next(values)


def test_offset_comes_from_the_tightest_bracket() -> None:
    # LSL readings around each session reading: brackets of 2.0, 0.2 and 1.0 s
    lsl = clock([100.0, 102.0, 200.0, 200.2, 300.0, 301.0])
    session = clock([1.0, 110.0, 250.0])
    offset, half_width = measure_offset(session, lsl, tries=3)
    assert np.isclose(offset, 200.1 - 110.0) and np.isclose(half_width, 0.1)


def test_time_map_adds_the_offset() -> None:
    mapping = LslTimeMap(lambda: 5.0, lambda: 1005.0, tries=2)
    assert mapping.offset_s == 1000.0
    assert mapping.to_lsl_s(1.5) == 1001.5
    assert np.array_equal(mapping.to_lsl(np.array([0.0, 2.0])), [1000.0, 1002.0])


def test_real_clocks_give_a_tight_offset() -> None:
    mapping = LslTimeMap(lambda: 0.0)
    assert mapping.uncertainty_s < 0.01
    assert abs(mapping.to_lsl_s(0.0) - pylsl.local_clock()) < 1.0


def test_source_ids_are_stable_and_come_from_the_address() -> None:
    pod = PodInfo("pod-3", Placement.PELVIS, "witmotion", "DE:AD:BE:EF:00:01", 200.0)
    again = PodInfo("pod-9", Placement.PELVIS, "witmotion", "DE:AD:BE:EF:00:01", 200.0)
    assert pod_source_id(pod) == pod_source_id(again) == "gaitdeck-witmotion-DE:AD:BE:EF:00:01"
    no_address = PodInfo("sim-pelvis", Placement.PELVIS, "sim", "", 100.0)
    assert pod_source_id(no_address) == "gaitdeck-sim-sim-pelvis"


def test_descriptions_name_channels_units_and_pod() -> None:
    pod = PodInfo("pod-3", Placement.RIGHT_SHOE, "metamotion", "C0:FF:EE:00:00:02", 100.0)
    info = imu_stream_info(pod)
    assert info.get_channel_labels() == ["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"]
    assert info.get_channel_units() == ["g", "g", "g", "deg/s", "deg/s", "deg/s"]
    assert "<address>C0:FF:EE:00:00:02</address>" in info.as_xml()
    markers = marker_stream_info()
    assert (markers.type(), markers.channel_format()) == ("Markers", pylsl.cf_string)
    assert markers.nominal_srate() == pylsl.IRREGULAR_RATE
