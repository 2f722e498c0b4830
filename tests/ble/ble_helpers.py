"""Helpers shared by the BLE tests and the BLE benchmark."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import numpy as np
from fakebluez import FakeBlueZThread, PodSpec

from drivers.ble.witmotion_source import LinkTimings
from drivers.source import CollectingSink as Collect
from drivers.source import Source
from drivers.types import Placement, PodInfo, SampleBlock

WIT_LSB_G = 16.0 / 32768
WIT_LSB_DPS = 2000.0 / 32768


def pod_address(i: int) -> str:
    return f"C0:FF:EE:00:{i // 256:02X}:{i % 256:02X}"


def witmotion_pods(n: int, frames_per_notification: int = 4) -> list[PodSpec]:
    placements = list(Placement)
    return [
        PodSpec(
            pod_address(i + 1), f"WT901BLE{60 + i}", "witmotion", placements[i % 4],
            rssi_dbm=-50 - 3 * i, seed=i, frames_per_notification=frames_per_notification,
        )
        for i in range(n)
    ]  # fmt: skip


def pod_info(spec: PodSpec, rate_hz: float = 200.0, pod_id: str | None = None) -> PodInfo:
    return PodInfo(
        pod_id or f"pod-{spec.address[-2:]}", spec.placement, "witmotion", spec.address, rate_hz
    )


def fast_timings() -> LinkTimings:
    return LinkTimings(connect_timeout_s=5.0, silence_s=1.0, command_gap_s=0.0)


async def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> float:
    """Poll ``condition`` every 5 ms; seconds it took. AssertionError after ``timeout_s``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout_s:
            raise AssertionError(f"timed out after {timeout_s:g} s waiting for {what}")
        await asyncio.sleep(0.005)
    return time.monotonic() - start


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def start_source(source: Source, sink: Collect) -> asyncio.Task[None]:
    return asyncio.get_running_loop().create_task(source.run(sink))


def max_abs_error(
    received: SampleBlock, acc_g: np.ndarray, gyro_dps: np.ndarray
) -> tuple[float, float]:
    n = len(received)
    return (
        float(np.max(np.abs(received.acc_g - acc_g[:n]))),
        float(np.max(np.abs(received.gyro_dps - gyro_dps[:n]))),
    )


def add_pods(fake: FakeBlueZThread, specs: list[PodSpec]) -> None:
    for spec in specs:
        fake.call(fake.fake.add_pod, spec)


def align(received: np.ndarray, sent: np.ndarray, search: int = 40, window: int = 20) -> int:
    """The index in ``sent`` where ``received`` starts (best match of the first samples)."""
    head = received[:window]
    errors = [
        float(np.abs(sent[j : j + len(head)] - head).max())
        for j in range(min(search, len(sent) - len(head) + 1))
    ]
    return int(np.argmin(errors))
