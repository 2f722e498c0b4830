"""RscBleSource through bleak against a fake foot pod, and as a LiveSession auxiliary source."""

from __future__ import annotations

import asyncio
import time

import pytest
from ble_helpers import Collect, add_pods, fast_timings, start_source, stop, wait_until
from fakebluez import FakeBlueZThread, PodSpec
from fakebluez.rsc import RscPeripheral

from drivers.ble.pods import make_source
from drivers.ble.rsc_source import RscBleSource
from drivers.ble.scan import scan_pods
from drivers.ble.transport import BleakTransport
from drivers.foot_pod import FootPodReading
from drivers.models.rsc.profile import RscFeature
from drivers.types import Placement, PodInfo, PodState
from processing.live_session import LiveSession

pytestmark = pytest.mark.asyncio
STRYD = PodSpec("C0:FF:EE:00:03:01", "Stryd", "rsc", Placement.RIGHT_SHOE)
INFO = PodInfo("footpod", Placement.RIGHT_SHOE, "rsc", STRYD.address, 1.0)


def connected(fake: FakeBlueZThread) -> bool:
    return fake.call(lambda: fake.fake.devices[STRYD.address].connected)


async def test_foot_pod_keeps_the_latest_speed_and_cadence(fake_bluez: FakeBlueZThread) -> None:
    add_pods(fake_bluez, [STRYD])
    found = await scan_pods(BleakTransport(), timeout_s=0.4)
    assert [p.model.key for p in found if p.model] == ["rsc"]
    source, sink = RscBleSource(INFO, timings=fast_timings()), Collect()
    task = start_source(source, sink)
    await wait_until(lambda: source.stats.notifications >= 3, 5.0, "three measurements")
    await stop(task)

    pod = fake_bluez.call(fake_bluez.fake.peripheral, STRYD.address, RscPeripheral)
    sent = fake_bluez.call(lambda: list(pod.sent))
    reading = source.latest_reading()
    assert isinstance(reading, FootPodReading)
    last = next(s for s in reversed(sent) if s.speed_raw / 256 == reading.speed_m_s)
    assert reading.cadence_per_min == last.cadence_per_min and reading.running
    assert reading.stride_length_m is not None and reading.total_distance_m is not None
    assert 0.0 < reading.t_s <= source.clock.now_s()
    assert source.features == RscFeature(0x07) and source.stats.battery_pct == 64
    assert sink.blocks == {}  # no IMU samples
    assert source.stats.frames_malformed == 0 and not connected(fake_bluez)


async def test_a_dropped_foot_pod_reconnects_by_itself(fake_bluez: FakeBlueZThread) -> None:
    add_pods(fake_bluez, [STRYD])
    source = RscBleSource(INFO, timings=fast_timings())
    task = start_source(source, Collect())
    await wait_until(lambda: source.stats.state is PodState.STREAMING, 5.0, "streaming")
    fake_bluez.call(fake_bluez.fake.drop_link, STRYD.address)
    await wait_until(lambda: source.stats.state is PodState.LOST, 2.0, "LOST")
    seen = source.stats.notifications
    await wait_until(lambda: source.stats.notifications > seen + 1, 5.0, "readings again")
    await stop(task)
    assert source.stats.reconnects == 1 and source.stats.state is PodState.STOPPED
    assert not connected(fake_bluez)


async def test_live_session_runs_foot_pods_beside_the_imu_pipeline(
    fake_bluez: FakeBlueZThread,
) -> None:
    add_pods(fake_bluez, [STRYD])
    session = LiveSession([], aux_sources=[make_source("rsc", INFO)])
    assert session.foot_pods()[0][2] is None
    session.start()
    try:
        deadline = time.monotonic() + 8.0
        while session.foot_pods()[0][2] is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        ((info, stats, reading),) = session.foot_pods()
    finally:
        await asyncio.get_running_loop().run_in_executor(None, session.stop)
    assert info == INFO and stats.state is PodState.STREAMING
    assert reading is not None and 2.0 < reading.speed_m_s < 6.0
    assert 140 <= reading.cadence_per_min <= 200
    await wait_until(lambda: not connected(fake_bluez), 2.0, "the foot pod disconnected")
