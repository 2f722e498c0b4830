"""Builds the simulated pods of one runner: one per placement, sharing one runner plan (so
asking one pod for the runner to stand stops them all, at the same sample)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from drivers.clock_sync import SessionClock
from drivers.sim.faults import NO_FAULTS, FaultPlan
from drivers.sim.pod_source import SimulatedPodSource
from drivers.sim.profiles import get_profile
from drivers.sim.runner_model import RunnerModel
from drivers.sim.runner_plan import RunnerPlan
from drivers.types import Placement, PodInfo

SIM_MODEL = "WitMotion WT9011DCL (simulated)"
# Live sessions start a little after time 0 (threads, first deadlines): stand long enough that
# the 3 s of stillness calibration needs are always seen.
LIVE_STANDING_S = 5.0


def simulated_pods(
    runner: str = "heel-striker-guarded",
    *,
    rate_hz: float = 200.0,
    seed: int = 0,
    clock: SessionClock | None = None,
    placements: Iterable[Placement] = tuple(Placement),
    faults: Mapping[Placement, FaultPlan] | None = None,
    speed: float = 1.0,
    model: RunnerModel | None = None,
) -> list[SimulatedPodSource]:
    """Simulated pods for ``runner``; raises UnknownRunnerError for a bad profile name."""
    model = model or RunnerModel(get_profile(runner), seed=seed, standing_s=LIVE_STANDING_S)
    plan = RunnerPlan(model)
    clock = clock or SessionClock()
    faults = faults or {}
    sources = []
    for i, placement in enumerate(placements):
        info = PodInfo(
            pod_id=f"sim-{placement.value}",
            placement=placement,
            model=SIM_MODEL,
            address=f"5A:11:00:00:00:{i + 1:02X}",
            nominal_rate_hz=rate_hz,
        )
        sources.append(
            SimulatedPodSource(
                info, plan, clock, faults=faults.get(placement, NO_FAULTS),
                speed=speed, seed=seed * 10 + i,
                frames_per_notification=2 if rate_hz <= 100 else 4,
            )
        )  # fmt: skip
    return sources
