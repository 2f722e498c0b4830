"""Run a fake BlueZ with N WitMotion pods in this process: ``python -m fakebluez BUS N``.

Prints ``READY`` once ``org.bluez`` is owned and the pods exist; runs until SIGTERM/SIGINT.
Addresses are ``C0:FF:EE:00:00:01`` … (see ``ble_helpers.pod_address``).
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from drivers.types import Placement
from fakebluez.control import CONTROL_PATH, FakeBlueZControl
from fakebluez.server import FakeBlueZ, PodSpec


def specs(n: int, frames: int) -> list[PodSpec]:
    placements = list(Placement)
    return [
        PodSpec(f"C0:FF:EE:00:{(i + 1) // 256:02X}:{(i + 1) % 256:02X}", f"WT901BLE{60 + i}",
                placement=placements[i % 4], seed=i, frames_per_notification=frames)
        for i in range(n)
    ]  # fmt: skip


async def serve(bus_address: str, pods: int, frames: int) -> None:
    fake = FakeBlueZ(bus_address)
    await fake.start()
    assert fake.bus is not None
    fake.bus.export(CONTROL_PATH, FakeBlueZControl(fake))
    for spec in specs(pods, frames):
        fake.add_pod(spec)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("READY", flush=True)
    await stop.wait()
    await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m fakebluez")
    parser.add_argument("bus")
    parser.add_argument("pods", type=int)
    parser.add_argument("--frames", type=int, default=4, help="frames per notification")
    args = parser.parse_args()
    asyncio.run(serve(args.bus, args.pods, args.frames))


if __name__ == "__main__":
    main()
