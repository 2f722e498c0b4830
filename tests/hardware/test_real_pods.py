"""Real pods over real Bluetooth: opt-in, never run in CI.

    GAITDECK_HARDWARE=1 .venv/bin/pytest -q tests/hardware            # strongest pod around
    GAITDECK_HARDWARE=1 GAITDECK_POD=C0:FF:EE:12:34:56 .venv/bin/pytest -q tests/hardware

Switch the pod on, lay it near the computer (still for at least a second of the run), and
make sure no phone app is connected to it. The test scans, connects through the same source
the app uses, streams for ``STREAM_S`` seconds, then checks the sample rate on the samples'
own time stamps and that, in its stillest second, the pod measures about 1 g of gravity.
"""

from __future__ import annotations

import asyncio
import os

import numpy as np
import pytest

from drivers.ble.pods import default_rate_hz, make_source, supported_models
from drivers.ble.scan import FoundPod, scan_pods
from drivers.ble.transport import BleakTransport
from drivers.source import CollectingSink
from drivers.types import Placement, PodInfo

pytestmark = pytest.mark.skipif(
    os.environ.get("GAITDECK_HARDWARE") != "1",
    reason="real pods only with GAITDECK_HARDWARE=1 (and optionally GAITDECK_POD=ADDRESS)",
)
SCAN_S = 8.0
STREAM_S = 10.0
RATE_TOLERANCE = 0.10  # measured rate within 10 % of the rate asked for
GRAVITY_G = (0.9, 1.1)  # median |acc| of a pod at rest, in g


def stillest_second(acc_g: np.ndarray, gyro_dps: np.ndarray, rate_hz: float) -> np.ndarray:
    """The accelerometer samples of the one-second window with the least rotation."""
    n = max(int(rate_hz), 1)
    spin = np.linalg.norm(gyro_dps, axis=1)
    starts = range(0, max(len(spin) - n, 0) + 1, max(n // 4, 1))
    best = min(starts, key=lambda i: float(np.mean(spin[i : i + n])))
    return acc_g[best : best + n]


def choose(found: list[FoundPod], wanted: str | None) -> FoundPod:
    streamable = [p for p in found if p.model is not None and p.model.key in supported_models()]
    if wanted:
        match = [p for p in found if p.address.upper() == wanted.upper()]
        assert match, f"pod {wanted} not heard in {SCAN_S:g} s: {[p.address for p in found]}"
        assert match[0] in streamable, f"gaitdeck cannot stream from {match[0].name!r}"
        return match[0]
    assert streamable, f"no pod gaitdeck can stream from heard in {SCAN_S:g} s"
    return streamable[0]  # strongest signal first


async def stream(pod: FoundPod) -> tuple[CollectingSink, PodInfo, float]:
    assert pod.model is not None
    rate_hz = default_rate_hz(pod.model.key, name=pod.name)
    info = PodInfo("hw", Placement.TRUNK, pod.model.label, pod.address, rate_hz)
    source = make_source(pod.model.key, info)
    sink = CollectingSink()
    task = asyncio.get_running_loop().create_task(source.run(sink))
    await asyncio.sleep(STREAM_S)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return sink, info, rate_hz


def test_a_real_pod_streams_at_its_rate_and_feels_gravity() -> None:
    found = asyncio.run(scan_pods(BleakTransport(), SCAN_S))
    pod = choose(found, os.environ.get("GAITDECK_POD"))
    sink, info, rate_hz = asyncio.run(stream(pod))
    block = sink.joined(info.pod_id)
    assert len(block) > STREAM_S * rate_hz / 4, f"only {len(block)} samples from {pod.address}"
    span_s = float(block.t_s[-1] - block.t_s[0])
    measured_hz = (len(block) - 1) / span_s
    assert abs(measured_hz / rate_hz - 1) < RATE_TOLERANCE, f"{measured_hz:.1f} Hz"
    still = stillest_second(block.acc_g, block.gyro_dps, rate_hz)
    gravity_g = float(np.median(np.linalg.norm(still, axis=1)))
    assert GRAVITY_G[0] < gravity_g < GRAVITY_G[1], f"|acc| median {gravity_g:.2f} g"
