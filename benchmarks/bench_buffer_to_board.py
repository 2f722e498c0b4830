"""Software latency: a sample block entering its ring buffer -> the metric update it causes
being readable on the board, with 4 pods at 200 Hz in real time (target p99 <= 5 ms).

Run: python benchmarks/bench_buffer_to_board.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Mapping

from common import percentiles_ms, report

from drivers.sim.runner_model import simulate
from drivers.sim.session import simulated_pods
from drivers.types import Placement, SampleBlock
from processing.board import MetricsBoard
from processing.engine import Engine
from processing.pipeline import GaitPipeline
from processing.pod_buffers import PodBuffers

RATE_HZ = 200.0
FRAMES = 4  # samples per notification, as WitMotion pods bundle them


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    blocks, _ = simulate("forefoot-relaxed", args.seconds, RATE_HZ, seed=3)
    infos = [s.info for s in simulated_pods(rate_hz=RATE_HZ)]
    board = MetricsBoard()
    buffers = PodBuffers(infos)
    engine = Engine(buffers, GaitPipeline(infos), board)
    buffers.on_write = engine.notify
    pushes: list[tuple[float, int]] = []  # (perf_counter at push, rows pushed so far)
    ready: dict[int, float] = {}
    done = threading.Event()

    def observe() -> None:
        version = 0
        while not done.is_set():
            version = board.wait_for_version(version, 0.2)
            now, rows = time.perf_counter(), board.processed_rows
            for i in range(len(ready), len(pushes)):
                if pushes[i][1] > rows:
                    break
                ready[i] = now

    engine.start()
    observer = threading.Thread(target=observe, daemon=True)
    observer.start()
    push_all(blocks, buffers, pushes)
    time.sleep(0.5)
    done.set()
    observer.join()
    engine.stop()
    latencies = [ready[i] - pushes[i][0] for i in sorted(ready)]
    report(
        "buffer_to_board_latency",
        {"pods": 4, "rate_hz": RATE_HZ, "seconds": args.seconds, **percentiles_ms(latencies),
         "target": "p99 <= 5 ms", "rows_lost": engine.rows_lost},
    )  # fmt: skip


def push_all(
    blocks: Mapping[Placement, SampleBlock], buffers: PodBuffers, pushes: list[tuple[float, int]]
) -> None:
    n = len(blocks[Placement.TRUNK])
    start = time.perf_counter()
    total = 0
    for k in range(0, n - FRAMES, FRAMES):
        deadline = start + (k + FRAMES) / RATE_HZ
        time.sleep(max(0.0, deadline - time.perf_counter()))
        for placement, block in blocks.items():
            chunk = block.slice(k, k + FRAMES)
            total += len(chunk)
            pushes.append((time.perf_counter(), total))
            buffers.push(f"sim-{placement.value}", chunk)


if __name__ == "__main__":
    main()
