"""What one simulated runner does over a live session, changed on request: "stand, please".

A ``RunnerPlan`` is a list of ``RunnerModel`` segments on the session clock, each used from its
start time until the next one's. It begins with one model (stand, run-up, run for ever).
``request_stand(now_s)`` changes the plan from a switch time ``t`` (just after the newest
sample any pod has taken, or ``now_s`` before any) so that the runner is quiet for
``STAND_S`` and then runs again:

- running (or running up) at ``t``: the same model with ``stop_s = t`` (identical before the
  stop; slows down over ~1 s, lands each foot once more and stands), then, from the moment
  it is quiet, a fresh model that stands ``STAND_S`` and runs up as at the session start;
- standing at ``t`` but about to start within ``STAND_S``: a fresh model standing until
  ``t + STAND_S`` (seamless: both stand);
- already stopping, or standing long enough: nothing changes.

Every model is the session's runner ``replanned`` (same profile, seed, mounting and gyro
biases), on the session's absolute time, so the change is seamless at the switch samples and
deterministic given the request time. The pods of one session share one plan and read their
samples through it; ``version`` counts changes, and ``changed_since(version)`` tells a pod
from which time the samples it computed ahead are no longer valid.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from drivers.sim.runner_model import RAMP_S, RunnerModel
from drivers.types import FloatArray, Placement, SampleBlock

STAND_S = 4.5  # quiet standing on request: the 3 s stillness check with margin
STARTS_MOVING_BEFORE_S = 0.5  # the feet may leave a little before ``standing_s`` ends
SWITCH_AFTER_S = 1e-9  # the switch is strictly after the newest sample sent


@dataclass(frozen=True)
class Segment:
    """``model`` gives the samples from ``start_s`` (session time) on."""

    start_s: float
    model: RunnerModel


class RunnerPlan:
    """The segments of one runner's session; thread-safe (pods sample it on the I/O thread,
    requests come from others). ``lock`` is held by a pod while it reads ahead."""

    def __init__(self, model: RunnerModel) -> None:
        self.segments = [Segment(-np.inf, model)]
        self.lock = threading.RLock()
        self.version = 0
        self._changes: list[tuple[int, float]] = []  # (version, switch time)
        self._sent_s = -np.inf

    @property
    def model(self) -> RunnerModel:
        """The model the plan began with."""
        return self.segments[0].model

    def samples(self, placement: Placement, t_s: FloatArray) -> SampleBlock:
        """Samples at increasing times ``t_s``, each from the segment in force at its time."""
        t = np.asarray(t_s, dtype=np.float64)
        starts = [s.start_s for s in self.segments[1:]]
        bounds = [0, *np.searchsorted(t, starts).tolist(), len(t)]
        blocks = [
            segment.model.samples(placement, t[lo:hi])
            for segment, lo, hi in zip(self.segments, bounds[:-1], bounds[1:], strict=True)
            if hi > lo
        ]
        return SampleBlock.concat(blocks)

    def sent(self, t_s: float) -> None:
        """A pod took its samples up to time ``t_s`` to send."""
        with self.lock:
            self._sent_s = max(self._sent_s, t_s)

    def changed_since(self, version: int) -> float | None:
        """The earliest switch time of the changes after ``version`` (None if none)."""
        with self.lock:
            times = [t for v, t in self._changes if v > version]
            return min(times) if times else None

    def request_stand(self, now_s: float) -> bool:
        """Have the runner stand quietly for ``STAND_S`` from now, then run on: from just after
        the newest sample any pod has taken (``now_s``, the session time of the samples, if
        none has). Returns whether the plan changed."""
        with self.lock:
            t = self._sent_s + SWITCH_AFTER_S if np.isfinite(self._sent_s) else now_s
            new = self._stand_from(t)
            if new is None:
                return False
            kept = [s for s in self.segments if s.start_s < t]
            self.segments = kept + new
            self.version += 1
            self._changes.append((self.version, t))
            return True

    def _stand_from(self, t: float) -> list[Segment] | None:
        """The new segments from ``t`` on, or None if the runner stands long enough anyway."""
        model = self._segment_at(t).model
        timing = model.timing
        if timing.stop_s is not None:  # stopping: a fresh standing model follows in time
            return None
        if t < timing.standing_s - STARTS_MOVING_BEFORE_S:  # standing
            if timing.standing_s >= t + STAND_S:
                return None
            return [Segment(t, model.replanned(t + STAND_S))]
        stopping = model.replanned(timing.standing_s, max(t, timing.standing_s + RAMP_S))
        still_s = stopping.still_from_s
        return [Segment(t, stopping), Segment(still_s, stopping.replanned(still_s + STAND_S))]

    def _segment_at(self, t: float) -> Segment:
        return [s for s in self.segments if s.start_s <= t][-1]
