"""A session of running bouts: standing (at the start, or only later), bouts, stops, turns.

``BoutSession`` strings ``RunnerModel``s together the way ``drivers.sim.runner_plan`` does on
request, but from a script known in advance: the runner stands ``standing_s`` (0 allowed),
then for each ``Bout`` runs up and runs ``run_s`` seconds (optionally turning on its path,
``drivers.sim.path``), stops, sets both feet down and stands ``stand_s`` before the next
bout's run-up. The last bout may run on for ever (``run_s`` = inf). Bout ``i`` is the session's
runner (same profile, seed, strap orientations, gyro biases, noise levels and conditions)
with ``stream = i``: its own steps and noise. Each model is used from the moment the one
before is quiet (``RunnerModel.still_from_s``) on, so every change happens while standing.

Ground truth (steps, strides, angles) is each bout's own, over the time it is in force; a
stride never spans two bouts (a stop ends with flat virtual contacts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.sim.path import Turn
from drivers.sim.runner_model import RAMP_S, RunnerModel
from drivers.sim.truth import StepTruth, StrideTruth
from drivers.types import FloatArray, Placement, SampleBlock

TURN_AFTER_M = 8.0  # a bout that runs for ever turns this far into its run


@dataclass(frozen=True)
class Bout:
    """Run ``run_s`` (from the start of the run-up), then stand ``stand_s``; with
    ``turn_deg`` turn that much on the path (left +), the turn centred on the middle of the
    run's distance (a shuttle: out, turn, back)."""

    run_s: float
    stand_s: float = 0.0
    turn_deg: float = 0.0

    def __post_init__(self) -> None:
        if self.run_s < RAMP_S:
            raise ValueError(f"a bout runs at least {RAMP_S} s")
        if self.stand_s < 0.0:
            raise ValueError("stand_s must be >= 0")


class BoutSession:
    """The models of a scripted session and their ground truth on the session clock."""

    def __init__(self, runner: RunnerModel, standing_s: float, bouts: list[Bout]) -> None:
        if not bouts:
            raise ValueError("a session has at least one bout")
        self.bouts = bouts
        self.segments: list[tuple[float, RunnerModel]] = []
        start_s, run_up_s = -np.inf, standing_s
        for i, bout in enumerate(bouts):
            stop_s = run_up_s + bout.run_s if np.isfinite(bout.run_s) else None
            model = runner.replanned(run_up_s, stop_s, turn=_turn(runner, bout), stream=i)
            self.segments.append((start_s, model))
            if stop_s is None:
                break
            start_s = model.still_from_s
            run_up_s = start_s + bout.stand_s

    @property
    def model(self) -> RunnerModel:
        return self.segments[0][1]

    def standing_windows_s(self) -> list[tuple[float, float]]:
        """(start, end) of each quiet standing: before the first run-up and between bouts."""
        out = [(0.0, self.segments[0][1].timing.standing_s)]
        for start_s, model in self.segments[1:]:
            out.append((start_s, model.timing.standing_s))
        return [(a, b) for a, b in out if b > a]

    def samples(self, placement: Placement, t_s: FloatArray) -> SampleBlock:
        """Samples at increasing times, each from the bout in force at its time."""
        t = np.asarray(t_s, dtype=np.float64)
        parts = [model.samples(placement, t[lo:hi]) for model, lo, hi in self._pieces(t) if hi > lo]
        return SampleBlock.concat(parts)

    def segment_angles_deg(self, placement: Placement, t_s: FloatArray) -> FloatArray:
        t = np.asarray(t_s, dtype=np.float64)
        parts = [model.segment_angles_deg(placement, t[lo:hi])
                 for model, lo, hi in self._pieces(t) if hi > lo]  # fmt: skip
        return np.concatenate(parts) if parts else np.zeros((0, 3))

    def steps_between(self, t0_s: float, t1_s: float) -> list[StepTruth]:
        out: list[StepTruth] = []
        for lo, hi, model in self._spans(t0_s, t1_s):
            out += model.steps_between(lo, hi)
        return out

    def strides_between(self, t0_s: float, t1_s: float) -> list[StrideTruth]:
        out: list[StrideTruth] = []
        for lo, hi, model in self._spans(t0_s, t1_s):
            out += model.strides_between(lo, hi)
        return out

    def _bounds(self) -> list[tuple[float, float, RunnerModel]]:
        ends = [s for s, _ in self.segments[1:]] + [np.inf]
        return [(s, e, m) for (s, m), e in zip(self.segments, ends, strict=True)]

    def _spans(self, t0_s: float, t1_s: float) -> list[tuple[float, float, RunnerModel]]:
        spans = [(max(t0_s, s), min(t1_s, e), m) for s, e, m in self._bounds()]
        return [(lo, hi, m) for lo, hi, m in spans if hi > lo]

    def _pieces(self, t: FloatArray) -> list[tuple[RunnerModel, int, int]]:
        out = []
        for s, e, model in self._bounds():
            lo, hi = np.searchsorted(t, [s, e])
            out.append((model, int(lo), int(hi)))
        return out


def _turn(runner: RunnerModel, bout: Bout) -> Turn | None:
    """A bout's turn, centred on the middle of its run's distance (at least 1 m in), or
    TURN_AFTER_M in for a bout that runs for ever."""
    if not bout.turn_deg:
        return None
    if not np.isfinite(bout.run_s):
        return Turn(start_m=TURN_AFTER_M, angle_deg=bout.turn_deg)
    length_m = Turn(0.0).length_m
    middle_m = 0.5 * runner.profile.speed_mps * (bout.run_s - 0.5 * RAMP_S)
    return Turn(start_m=max(middle_m - 0.5 * length_m, 1.0), angle_deg=bout.turn_deg)
