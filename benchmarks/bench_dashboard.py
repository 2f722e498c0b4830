"""Dashboard frame rate and GUI-thread CPU with 4 simulated pods live at 200 Hz, off-screen
(target >= 30 fps using <= 50% of one core).

Run: python benchmarks/bench_dashboard.py [--seconds 30]
"""

from __future__ import annotations

import argparse

from common import report
from dashboard_run import run_dashboard

from drivers.sim.session import simulated_pods
from processing.live_session import LiveSession


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--runner", default="mixed")
    args = parser.parse_args()
    session = LiveSession(simulated_pods(args.runner, rate_hz=200.0, seed=2))
    run = run_dashboard(session, args.seconds, warmup_s=5.0)
    report(
        "dashboard_fps_cpu",
        {"pods": 4, "rate_hz": 200.0, "seconds": round(run.wall_s, 1),
         "fps": run.frames / run.wall_s, "gui_thread_cpu_pct": 100 * run.gui_cpu_s / run.wall_s,
         "max_gui_stall_ms": run.max_frame_gap_ms,
         "target": ">= 30 fps at <= 50% of one core"},
    )  # fmt: skip


if __name__ == "__main__":
    main()
