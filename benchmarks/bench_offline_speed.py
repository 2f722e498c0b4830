"""Offline analysis speed: a 30-minute session, 4 pods at 200 Hz, through ``analyze`` on one
core, beside one bare imufusion AHRS pass (``update_no_magnetometer`` per sample) over the
same samples of the 4 pods — the practical floor of any per-sample orientation filter.
Target: >= 500x real time (<= 3.6 s for 1800 s).

Run: python benchmarks/bench_offline_speed.py [--minutes 30] [--chunk-s 5] [--profile]
(default chunk: ``processing.analysis.FILE_CHUNK_S``, what ``gaitdeck analyze`` uses)
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

import imufusion
from common import report

from drivers.sim.runner_model import simulate
from drivers.types import Placement, SampleBlock
from processing.analysis import FILE_CHUNK_S, analyze
from processing.stages.coordination import CoordinationStage

RATE_HZ = 200.0


def bare_ahrs_s(blocks: dict[Placement, SampleBlock]) -> float:
    started = time.perf_counter()
    for block in blocks.values():
        ahrs = imufusion.Ahrs()
        update = ahrs.update_no_magnetometer
        for gyro, acc in zip(block.gyro_dps, block.acc_g, strict=True):
            update(gyro, acc)
    return time.perf_counter() - started


class StageTimer:
    """Accumulates the wall time spent in one method (wrapped in place, for attribution)."""

    def __init__(self, owner: type, name: str) -> None:
        self.seconds = 0.0
        inner = getattr(owner, name)

        def timed(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        setattr(owner, name, timed)


def timings(runs: int, fn: object) -> list[float]:
    return [fn() for _ in range(runs)]  # type: ignore[operator]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--chunk-s", type=float, default=FILE_CHUNK_S)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    seconds = 60.0 * args.minutes
    blocks, _ = simulate("mixed", seconds, RATE_HZ, seed=3)

    coordination = StageTimer(CoordinationStage, "update_many")  # what the pipeline calls
    spent: list[tuple[float, float]] = []

    def run_analysis() -> float:
        coordination.seconds = 0.0
        started = time.perf_counter()
        result = analyze(blocks, chunk_s=args.chunk_s)
        elapsed = time.perf_counter() - started
        spent.append((elapsed, coordination.seconds))
        print(f"analyze: {elapsed:.2f} s, {len(result.strikes)} strikes, "
              f"{len(result.strides)} strides")  # fmt: skip
        return elapsed

    analysis_runs = timings(args.runs, run_analysis)
    ahrs_runs = timings(args.runs, lambda: bare_ahrs_s(blocks))
    analysis_s, ahrs_s = statistics.median(analysis_runs), statistics.median(ahrs_runs)
    if args.profile:
        cProfile.runctx("analyze(blocks, chunk_s=args.chunk_s)", globals(), locals(), "/tmp/o.prof")
        pstats.Stats("/tmp/o.prof").sort_stats("cumulative").print_stats(25)
    report(
        "offline_speed",
        {"session_s": seconds, "pods": 4, "rate_hz": RATE_HZ, "chunk_s": args.chunk_s,
         "runs": args.runs, "analysis_s_median": analysis_s,
         "analysis_s_min": min(analysis_runs), "x_real_time_median": seconds / analysis_s,
         "x_real_time_best": seconds / min(analysis_runs),
         "bare_imufusion_s_median": ahrs_s, "x_real_time_imufusion": seconds / ahrs_s,
         "ratio_to_imufusion_medians": analysis_s / ahrs_s,
         "of_which_coordination_stage_s": min(spent)[1],
         "without_coordination_s": min(spent)[0] - min(spent)[1],
         "x_real_time_without_coordination": seconds / (min(spent)[0] - min(spent)[1]),
         "target": ">= 500x real time (<= 3.6 s for 30 min)"},
    )  # fmt: skip


if __name__ == "__main__":
    main()
