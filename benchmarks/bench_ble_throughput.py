"""BLE path throughput and recovery: fake BlueZ (own process) → dbus-daemon → bleak →
WitMotion decoder → ``PodBuffers`` ring buffers, with 4 and 8 pods at 200 Hz.

Measures notifications/s and samples/s delivered into the ring buffers, samples lost
(counted by the stamper and by comparing with what the fake sent), CPU of both processes,
and the time from a dropped link to data flowing again with the default backoff.
The fake runs in a subprocess so it gets the second core, as a real radio would not load
this process. bleak runs on a ``LoopThread`` as in the app.

Run: python benchmarks/bench_ble_throughput.py [--seconds 10] [--drops 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import percentiles_ms, report

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "ble"))  # the fake BlueZ lives with the tests

from dbus_fast import Message  # noqa: E402
from dbus_fast.aio import MessageBus  # noqa: E402
from fakebluez import PrivateBus  # noqa: E402
from fakebluez.__main__ import specs  # noqa: E402
from fakebluez.control import CONTROL_INTERFACE, CONTROL_PATH  # noqa: E402

from drivers.ble.witmotion_source import WitMotionBleSource  # noqa: E402
from drivers.loop_thread import LoopThread  # noqa: E402
from drivers.types import PodInfo, PodState, SampleBlock  # noqa: E402
from processing.pod_buffers import PodBuffers  # noqa: E402

RATE_HZ = 200.0
TICK_S = os.sysconf("SC_CLK_TCK")


class GroupSink:
    """Routes each pod to its runner's ``PodBuffers`` (one buffer per placement per runner)."""

    def __init__(self, groups: dict[str, PodBuffers]) -> None:
        self.groups = groups

    def push(self, pod_id: str, block: SampleBlock) -> None:
        self.groups[pod_id].push(pod_id, block)


async def control(bus: str, member: str, signature: str, body: list[Any]) -> list[Any]:
    conn = await MessageBus(bus_address=bus).connect()
    try:
        reply = await conn.call(Message(
            destination="org.bluez", path=CONTROL_PATH, interface=CONTROL_INTERFACE,
            member=member, signature=signature, body=body,
        ))  # fmt: skip
        assert reply is not None and reply.message_type.name == "METHOD_RETURN", reply
        return list(reply.body)
    finally:
        conn.disconnect()


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK_S


def own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def start_fake(bus: str, pods: int, frames: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "tests" / "ble"), str(REPO)])}
    command = [sys.executable, "-m", "fakebluez", bus, str(pods), "--frames", str(frames)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "READY"
    return proc


def build_sources(pods: int, frames: int) -> tuple[list[WitMotionBleSource], GroupSink]:
    sources, groups = [], {}
    for i, spec in enumerate(specs(pods, frames)):
        info = PodInfo(f"r{i // 4}-{spec.placement.value}", spec.placement, "witmotion",
                       spec.address, RATE_HZ)  # fmt: skip
        sources.append(WitMotionBleSource(info))
    for runner in range(0, pods, 4):
        group = [s.info for s in sources[runner : runner + 4]]
        buffers = PodBuffers(group, seconds=30.0)
        groups.update({info.pod_id: buffers for info in group})
    return sources, GroupSink(groups)


def wait_for(condition: Any, timeout_s: float) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout_s:
            raise TimeoutError("condition not met")
        time.sleep(0.002)
    return time.monotonic() - start


def measure_drops(
    io: LoopThread, bus: str, sources: list[WitMotionBleSource], drops: int
) -> list[float]:
    recover_s = []
    for k in range(drops):
        source = sources[k % len(sources)]
        t0 = time.monotonic()
        io.submit(control(bus, "DropLink", "s", [source.info.address])).result(5)
        wait_for(lambda s=source: s.stats.state is PodState.LOST, 5.0)
        seen = source.stats.notifications
        wait_for(lambda s=source, n=seen: s.stats.notifications > n, 30.0)
        recover_s.append(time.monotonic() - t0)
        time.sleep(1.0)
    return recover_s


def run(pods: int, frames: int, seconds: float, drops: int) -> dict[str, Any]:
    with PrivateBus() as bus:
        os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = bus.address
        fake = start_fake(bus.address, pods, frames)
        io = LoopThread()
        io.start()
        try:
            sources, sink = build_sources(pods, frames)
            for source in sources:
                io.submit(source.run(sink))
            connect_s = wait_for(
                lambda: all(s.stats.state is PodState.STREAMING for s in sources), 30.0
            )
            time.sleep(0.5)
            n0 = sum(s.stats.notifications for s in sources)
            k0 = sum(s.stats.samples for s in sources)
            cpu0, fake0, wall0 = own_cpu_s(), cpu_s(fake.pid), time.monotonic()
            time.sleep(seconds)
            wall = time.monotonic() - wall0
            n1 = sum(s.stats.notifications for s in sources)
            k1 = sum(s.stats.samples for s in sources)
            cpu1, fake1 = own_cpu_s(), cpu_s(fake.pid)
            lost_streaming = sum(s.stats.samples_lost for s in sources)
            recover_s = measure_drops(io, bus.address, sources, drops)
            io.stop(timeout_s=5.0)
            counts = [io_free_control(bus.address, s.info.address) for s in sources]
        finally:
            io.stop(timeout_s=5.0)
            fake.terminate()
            fake.wait(5)
    received = sum(s.stats.samples for s in sources)
    sent = sum(c[1] for c in counts)
    return {
        "pods": pods, "rate_hz": RATE_HZ, "frames_per_notification": frames,
        "window_s": round(wall, 2),
        "connect_all_s": round(connect_s, 3),
        "notifications_per_s": round((n1 - n0) / wall, 1),
        "samples_per_s": round((k1 - k0) / wall, 1),
        "samples_lost_while_streaming": lost_streaming,
        "samples_sent_by_fake": sent, "samples_received": received,
        "rows_in_ring_buffers": ring_rows(sink),
        "samples_missing_at_host": sent - received,  # 0: every sample the fake sent arrived
        "samples_lost_incl_drops": sum(s.stats.samples_lost for s in sources),
        "host_disconnects_seen_by_fake": [c[3] for c in counts],
        "cpu_pct_of_one_core": {"gaitdeck_process": round(100 * (cpu1 - cpu0) / wall, 1),
                                "fake_bluez_process": round(100 * (fake1 - fake0) / wall, 1)},
        "drop_to_data": percentiles_ms(recover_s) if recover_s else None,
    }  # fmt: skip


def ring_rows(sink: GroupSink) -> int:
    unique = {id(b): b for b in sink.groups.values()}.values()
    return sum(rb.written for b in unique for rb in b.buffers.values())


def io_free_control(bus: str, address: str) -> list[int]:
    return [int(v) for v in asyncio.run(control(bus, "Counts", "s", [address]))[0]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--drops", type=int, default=5)
    args = parser.parse_args()
    configs = ((4, 4), (8, 4), (8, 1))  # (pods, frames per notification); 1 = worst case
    results = {}
    for pods, frames in configs:
        print(f"{pods} pods, {frames} frame(s) per notification…", file=sys.stderr, flush=True)
        results[f"pods_{pods}_frames_{frames}"] = run(pods, frames, args.seconds, args.drops)
    report("ble_throughput", results)


if __name__ == "__main__":
    main()
