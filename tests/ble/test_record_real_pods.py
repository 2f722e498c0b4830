"""Recording real pods (through bleak and the fake BlueZ), then replaying the file: the
replayed samples are the live ones, bit for bit, for WitMotion, Polar and MetaMotion —
across a dropped link too."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest
from ble_helpers import Collect, add_pods, fast_timings, start_source, stop, wait_until
from fakebluez import FakeBlueZThread, PodSpec

from drivers.ble.pods import make_source
from drivers.clock_sync import SessionClock
from drivers.recording import Recording
from drivers.recording.session_recorder import SessionRecorder
from drivers.replay.blocks import recording_blocks
from drivers.source import CHANNEL_CONTROL, CHANNEL_LINK_LOST
from drivers.types import Placement, PodInfo, PodState

pytestmark = pytest.mark.asyncio
PODS = [
    (PodSpec("C0:FF:EE:00:07:01", "WT901BLE67", "witmotion", Placement.TRUNK), 100.0),
    (PodSpec("C0:FF:EE:00:07:02", "Polar Sense 11223344", "polar", Placement.LEFT_SHOE), 52.0),
    (PodSpec("C0:FF:EE:00:07:03", "MetaWear", "metamotion", Placement.PELVIS), 100.0),
]


async def test_recorded_pods_replay_to_the_same_samples(
    fake_bluez: FakeBlueZThread, tmp_path: Path
) -> None:
    add_pods(fake_bluez, [spec for spec, _ in PODS])
    clock = SessionClock()
    sources = [
        make_source(spec.kind, PodInfo(f"pod-{spec.kind}", spec.placement, spec.kind,
                                       spec.address, rate), clock=clock)
        for spec, rate in PODS
    ]  # fmt: skip
    for source in sources:
        source.timings = fast_timings()  # type: ignore[attr-defined]
    path = tmp_path / "pods.gdrec"
    recorder = SessionRecorder(sources, path, clock, runner_id="R-2")
    sink = Collect()
    tasks = [start_source(s, sink) for s in sources]
    try:
        await wait_until(lambda: all(s.stats.samples >= 150 for s in sources), 15.0, "samples")
        fake_bluez.call(fake_bluez.fake.drop_link, PODS[1][0].address)  # Polar drops
        polar = sources[1].stats
        await wait_until(lambda: polar.state is PodState.LOST or polar.reconnects > 0, 5.0,
                         "polar lost")  # fmt: skip
        await wait_until(lambda: polar.reconnects >= 1 and polar.state is PodState.STREAMING,
                         15.0, "polar back")  # fmt: skip
        before = sources[1].stats.samples
        await wait_until(lambda: sources[1].stats.samples >= before + 60, 10.0, "more samples")
    finally:
        for task in tasks:
            await stop(task)
        recorder.stop()
    await asyncio.sleep(0)

    with Recording(path) as rec:
        assert rec.clean
        assert [p.model_key for p in rec.header.pods] == ["witmotion", "polar", "metamotion"]
        channels = {(b.pod, b.channel) for b in map(rec.raw_batch, rec.rows())}
        assert (1, CHANNEL_CONTROL) in channels and (2, CHANNEL_CONTROL) in channels
        assert (1, CHANNEL_LINK_LOST) in channels
        replayed = recording_blocks(rec)
    for source in sources:
        live = sink.joined(source.info.pod_id)
        again = replayed[source.info.placement]
        assert len(live) > 100
        assert np.array_equal(again.t_s, live.t_s), source.model_key
        assert np.array_equal(again.acc_g, live.acc_g, equal_nan=True)
        assert np.array_equal(again.gyro_dps, live.gyro_dps, equal_nan=True)
