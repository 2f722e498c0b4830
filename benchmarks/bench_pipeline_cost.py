"""Processing cost: GaitPipeline.update per 10 ms of data from 4 pods at 200 Hz, on one
thread, no I/O (the engine's share of a core).

Run: python benchmarks/bench_pipeline_cost.py [--seconds 120]
"""

from __future__ import annotations

import argparse
import time

from common import percentiles_ms, report

from drivers.sim.runner_model import simulate
from drivers.types import PodInfo
from processing.pipeline import GaitPipeline

RATE_HZ = 200.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    blocks, _ = simulate("mixed", args.seconds, RATE_HZ, seed=1)
    pipeline = GaitPipeline([PodInfo(p.value, p, "sim", "", RATE_HZ) for p in blocks])
    n = min(len(b) for b in blocks.values())
    costs = []
    for k in range(0, n, 2):
        chunk = {p: b.slice(k, k + 2) for p, b in blocks.items()}
        start = time.perf_counter()
        pipeline.update(chunk)
        costs.append(time.perf_counter() - start)
    total = sum(costs)
    report(
        "pipeline_cost",
        {"pods": 4, "rate_hz": RATE_HZ, "sim_seconds": args.seconds,
         "per_update": percentiles_ms(costs),
         "core_share_pct": 100 * total / args.seconds},
    )  # fmt: skip


if __name__ == "__main__":
    main()
