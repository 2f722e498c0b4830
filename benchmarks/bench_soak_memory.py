"""Soak: 30 simulated minutes, faster than real time, through the whole live path — simulated
pods on the wire path, engine thread, and the real dashboard redrawing off-screen (so it also
catches the PySide6 6.12 ``none_dealloc`` crash after ~16k setData calls). Resident memory
growth after warm-up must stay <= 20 MB.

Run: python benchmarks/bench_soak_memory.py [--sim-minutes 30] [--speed 6]
"""

from __future__ import annotations

import argparse

from common import report, rss_mb
from dashboard_run import run_dashboard

from drivers.clock_sync import SessionClock
from drivers.sim.session import simulated_pods
from processing.live_session import LiveSession


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sim-minutes", type=float, default=30.0)
    parser.add_argument("--speed", type=float, default=6.0)
    args = parser.parse_args()
    clock = SessionClock()
    sources = simulated_pods("mixed", rate_hz=200.0, seed=9, clock=clock, speed=args.speed)
    session = LiveSession(sources)
    sim_s = args.sim_minutes * 60.0

    def sample() -> dict[str, float]:
        return {"sim_s": clock.now_s() * args.speed, "rss_mb": rss_mb(),
                "events": float(session.board.events_since(0)[1])}  # fmt: skip

    run = run_dashboard(session, sim_s / args.speed + 60, warmup_s=60.0 / args.speed,
                        sample_every_s=10.0, sample=sample,
                        until=lambda: clock.now_s() * args.speed >= sim_s)  # fmt: skip
    rss = [s["rss_mb"] for s in run.samples]
    report(
        "soak_memory",
        {"sim_minutes": args.sim_minutes, "speed": args.speed, "wall_s": round(run.wall_s, 1),
         "frames": run.frames, "rss_start_mb": rss[0], "rss_end_mb": rss[-1],
         "rss_max_mb": max(rss), "growth_mb": rss[-1] - rss[0],
         "engine_rows_lost": session.engine.rows_lost, "engine_failures": session.engine.failures,
         "target": "growth <= 20 MB", "trace": run.samples[:: max(1, len(run.samples) // 20)]},
    )  # fmt: skip


if __name__ == "__main__":
    main()
