"""Strike decision latency: simulator ground-truth initial contact -> StrikeEvent readable on
the board, with 4 simulated pods at 200 Hz in real time through the WitMotion wire path
(targets p50 <= 60 ms, p95 <= 100 ms).

Run: python benchmarks/bench_strike_latency.py [--seconds 60] [--runner NAME]
"""

from __future__ import annotations

import argparse
import threading

from common import percentiles_ms, report

from drivers.clock_sync import SessionClock
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.sim.session import simulated_pods
from processing.events import StrikeEvent
from processing.live_session import LiveSession

RATE_HZ = 200.0
MATCH_S = 0.1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runner", default="mixed")
    args = parser.parse_args()
    clock = SessionClock()
    model = RunnerModel(get_profile(args.runner), seed=5)
    session = LiveSession(simulated_pods(rate_hz=RATE_HZ, clock=clock, model=model))
    received: list[tuple[StrikeEvent, float]] = []
    done = threading.Event()

    def observe() -> None:
        version, seq = 0, 0
        while not done.is_set():
            version = session.board.wait_for_version(version, 0.2)
            now = clock.now_s()
            events, seq = session.board.events_since(seq)
            received.extend((e, now) for e in events if isinstance(e, StrikeEvent))

    observer = threading.Thread(target=observe, daemon=True)
    session.start()
    observer.start()
    done.wait(args.seconds)
    done.set()
    observer.join()
    session.stop()
    truth = model.steps_between(0.0, args.seconds - 0.5)
    latencies, misses = [], 0
    for step in truth:
        match = [now for e, now in received
                 if e.side.value == step.side and abs(e.ic_s - step.ic_s) < MATCH_S]  # fmt: skip
        if match:
            latencies.append(match[0] - step.ic_s)
        else:
            misses += 1
    report(
        "strike_decision_latency",
        {"runner": args.runner, "rate_hz": RATE_HZ, "seconds": args.seconds,
         "true_steps": len(truth), "detected": len(latencies), "missed": misses,
         **percentiles_ms(latencies), "target": "p50 <= 60 ms, p95 <= 100 ms"},
    )  # fmt: skip


if __name__ == "__main__":
    main()
