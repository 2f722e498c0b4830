"""A simulated pod that speaks the WitMotion wire format through the live decoder path.

Samples come from a ``RunnerModel`` through the ``RunnerPlan`` the session's pods share (so
``ask_runner_to_stand`` stops the whole runner at once); they are encoded as 0x61 frames,
bundled several to a notification as the real firmware does, paced by absolute deadlines on
the session clock, and decoded by the same ``WitMotionNotifications`` path a BLE pod uses.
"""

from __future__ import annotations

import asyncio
import math

import numpy as np

from drivers.clock_sync import SessionClock
from drivers.models.witmotion.commands import encode_frames
from drivers.notify import WitMotionNotifications
from drivers.sim.faults import NO_FAULTS, FaultPlan
from drivers.sim.runner_model import RunnerModel
from drivers.sim.runner_plan import RunnerPlan
from drivers.source import CHANNEL_DATA, CHANNEL_LINK_LOST, PodSink, Source
from drivers.types import FloatArray, PodInfo, PodState, SampleBlock

LINK_LATENCY_S = 0.004  # nominal air + stack delay before a notification arrives
# The runner model is evaluated this far ahead in one call: per call it costs ~0.7 ms whatever
# the size, so one call per notification would spend a sizeable share of a core (and of the
# GIL the GUI thread needs) at 4 pods x 200 Hz. Samples still leave at their own deadlines.
MODEL_CHUNK_S = 0.25


class SimulatedPodSource(Source):
    """One simulated pod. ``speed`` > 1 runs faster than real time (arrival times virtual).

    ``runner`` is a model of its own or the plan it shares with the other pods of a session.

    Like a BLE WitMotion pod, a drop-out does not reset the decoder's sample count: the
    first notification after it arrives late, so the gap is counted and the times jump.
    """

    model_key = "witmotion"

    def __init__(
        self,
        info: PodInfo,
        runner: RunnerModel | RunnerPlan,
        clock: SessionClock,
        *,
        frames_per_notification: int = 2,
        faults: FaultPlan = NO_FAULTS,
        speed: float = 1.0,
        seed: int = 0,
    ) -> None:
        super().__init__(info)
        self.plan = runner if isinstance(runner, RunnerPlan) else RunnerPlan(runner)
        self.clock = clock
        self.frames = frames_per_notification
        self.faults = faults
        self.speed = speed
        self._rng = np.random.default_rng(seed)
        self._decoder = WitMotionNotifications(info.nominal_rate_hz, self.stats)
        self._index = 0
        self._ahead = _ModelAhead(self.plan, info)

    def ask_runner_to_stand(self) -> bool:
        """Have the simulated runner (all pods of the plan) stop and stand quietly for a few
        seconds, then run on (``RunnerPlan.request_stand``). Always possible: True."""
        self.plan.request_stand(self.clock.now_s() * self.speed)
        return True

    async def run(self, sink: PodSink) -> None:
        period = 1.0 / self.info.nominal_rate_hz
        self._index = math.ceil(self.clock.now_s() / period)
        self.set_state(PodState.STREAMING)
        while True:
            block = self._ahead.take(self._index, self.frames)
            self._index += self.frames
            deadline_s = float(block.t_s[-1]) + LINK_LATENCY_S
            await self._sleep_until(deadline_s)
            payload = self._transmit(block, deadline_s)
            if payload is not None:
                arrival_ns = round(self._arrival_s(deadline_s) * 1e9)  # what a recording keeps
                self.tap_raw(CHANNEL_DATA, arrival_ns, payload)
                block = self._decoder.feed(payload, arrival_ns * 1e-9)
                sink.push(self.info.pod_id, block)

    def _transmit(self, block: SampleBlock, deadline_s: float) -> bytes | None:
        """The notification the host receives for these samples, or None if it gets none."""
        if self.faults.disconnected_at(deadline_s):
            if self.stats.state is not PodState.LOST:
                self.set_state(PodState.LOST)
                self.tap_raw(CHANNEL_LINK_LOST, round(self.clock.now_s() * 1e9), b"")
            return None
        if self.stats.state is PodState.LOST and not self.faults.silent_at(deadline_s):
            self.set_state(PodState.STREAMING)
        if self.faults.silent_at(deadline_s):
            return None
        if self._rng.random() < self.faults.drop_probability:
            return None
        return encode_frames(block.acc_g, block.gyro_dps, _tilt_angles_deg(block.acc_g))

    def _arrival_s(self, deadline_s: float) -> float:
        if self.speed == 1.0:
            return self.clock.now_s()
        return deadline_s

    async def _sleep_until(self, deadline_s: float) -> None:
        delay = deadline_s / self.speed - self.clock.now_s()
        await asyncio.sleep(max(delay, 0.0))


class _ModelAhead:
    """The pod's samples by index ``k`` (time ``k / rate``), computed ``MODEL_CHUNK_S`` ahead.

    Taken in consecutive runs, they are the samples consecutive ``RunnerPlan.samples`` calls
    give (each model's noise generators advance in order; none is evaluated twice). When the
    plan changes, the samples computed ahead from the switch time on are dropped and computed
    again; the switch is after every sample any pod has taken, so no pod has sent one.
    """

    def __init__(self, plan: RunnerPlan, info: PodInfo) -> None:
        self.plan = plan
        self.placement = info.placement
        self.rate_hz = info.nominal_rate_hz
        self._chunk = SampleBlock.empty()
        self._first = 0
        self._version = plan.version

    def take(self, first: int, count: int) -> SampleBlock:
        """Samples ``first .. first + count - 1``."""
        with self.plan.lock:
            self._follow_plan()
            end = self._first + len(self._chunk)
            if first < self._first or first > end:
                self._chunk, self._first, end = SampleBlock.empty(), first, first
            if first + count > end:
                size = max(first + count - end, math.ceil(MODEL_CHUNK_S * self.rate_hz))
                t_s = (end + np.arange(size, dtype=np.float64)) * (1.0 / self.rate_hz)
                kept = self._chunk.slice(first - self._first, len(self._chunk))
                more = self.plan.samples(self.placement, t_s)
                self._chunk, self._first = SampleBlock.concat([kept, more]), first
            block = self._chunk.slice(first - self._first, first - self._first + count)
            self.plan.sent(float(block.t_s[-1]))
        return block

    def _follow_plan(self) -> None:
        """Drop the samples computed ahead that a change of plan made stale."""
        if self._version == self.plan.version:
            return
        switch_s = self.plan.changed_since(self._version)
        self._version = self.plan.version
        if switch_s is not None:
            keep = int(np.searchsorted(self._chunk.t_s, switch_s))
            self._chunk = self._chunk.slice(0, keep)


def _tilt_angles_deg(acc_g: FloatArray) -> FloatArray:
    """Roll and pitch from gravity, yaw 0: a stand-in for the pod's on-board attitude."""
    roll = np.degrees(np.arctan2(acc_g[:, 1], acc_g[:, 2]))
    pitch = np.degrees(np.arctan2(-acc_g[:, 0], np.hypot(acc_g[:, 1], acc_g[:, 2])))
    return np.column_stack([roll, pitch, np.zeros(len(acc_g))])
