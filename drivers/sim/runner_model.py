"""A seeded, sample-level runner with ground truth: IMU samples for four pods, step by step.

Time 0 is the start. The runner stands quietly for ``standing_s`` seconds, then speeds up
over ~1 s (first right-foot contact 0.6 s after standing ends) and runs for ever, or, given
``stop_s``, slows down over ~1 s from then on, sets each foot down flat once more and stands
for ever (quiet from ``still_from_s``). Everything is a pure function of time and the seed,
evaluated lazily: ``samples`` may be called with consecutive chunks of any size and gives the
same result as one call (noise included, since each pod has its own accelerometer and gyro
noise generators). ``replanned`` gives the same runner and pods (profile, seed, mounting, biases)
on another timing: ``drivers.sim.runner_plan`` switches between such models on request.

Frames: world x forward, y left, z up, gravity (0, 0, -9.81) m/s². Segment frames at standing:
x anterior (toward the toes for a shoe), y left, z up. A pod reports specific force
``R^T (a - g) / 9.80665`` in g and body angular rate in deg/s, rotated into its sensor axes by
its mounting ``M`` (sensor -> segment; reported = ``M.T @ segment``), plus a constant gyro bias,
white noise and saturation at ±16 g / ±2000 deg/s. See ``drivers.sim.rotations`` for the
trunk and pelvis angle conventions and ``drivers.sim.foot`` for the shoe's.

``conditions`` (``drivers.sim.conditions``: terminal swing, impact, trunk pod level, flexion
phase, per-pod noise) and ``turn`` (``drivers.sim.path``) widen the world the runner runs
in; their defaults leave every sample as it was. ``stream`` > 0 draws other steps and other
noise for the same runner and pods (one bout of several, ``drivers.sim.bouts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from drivers.sim.body import body_angles_deg, body_pose
from drivers.sim.conditions import DEFAULT_CONDITIONS, Conditions
from drivers.sim.curves import RunTiming
from drivers.sim.foot import LEFT, RIGHT, Side, foot_angles_deg, foot_pose
from drivers.sim.kinematics import Pose, imu_signals
from drivers.sim.mounting import checked_mounting, identity_mounting, random_mounting
from drivers.sim.path import Turn
from drivers.sim.profiles import RunnerProfile, get_profile
from drivers.sim.steps import (
    LAST_STEPS_AFTER_S,
    StepArrays,
    StepSchedule,
    strike_label,
)
from drivers.sim.truth import StepTruth, StrideTruth, stride_truth
from drivers.types import FloatArray, Placement, SampleBlock

__all__ = [
    "RunnerModel",
    "StepTruth",
    "StrideTruth",
    "identity_mounting",
    "random_mounting",
    "simulate",
]

ACC_RANGE_G = 16.0
GYRO_RANGE_DPS = 2000.0
RAMP_S = 1.0
FIRST_IC_AFTER_STANDING_S = 0.6
SETTLED_AFTER_LAST_CONTACT_S = 0.3  # foot flat and landing transients gone
MARGIN_S = 0.01  # beyond the differentiation step
SIDES = {Placement.LEFT_SHOE: LEFT, Placement.RIGHT_SHOE: RIGHT}
_SEED_KEYS = {"mounting": 1, "bias": 2, "acc": 3, "gyro": 4}


def _rng(
    seed: int, purpose: str, placement: Placement | None = None, stream: int = 0
) -> np.random.Generator:
    pod = 0 if placement is None else list(Placement).index(placement) + 1
    key = [seed, _SEED_KEYS[purpose], pod] + ([stream] if stream else [])
    return np.random.default_rng(key)


class RunnerModel:
    """One simulated runner wearing four pods; see the module docstring for conventions."""

    def __init__(
        self,
        profile: RunnerProfile,
        seed: int = 0,
        *,
        standing_s: float = 3.0,
        stop_s: float | None = None,
        mounting: Mapping[Placement, FloatArray] | None = None,
        noise: bool = True,
        gyro_bias_dps: float = 0.5,
        acc_noise_g: float = 0.01,
        gyro_noise_dps: float = 0.5,
        saturate: bool = True,
        conditions: Conditions = DEFAULT_CONDITIONS,
        turn: Turn | None = None,
        stream: int = 0,
    ) -> None:
        if standing_s < 0.0:
            raise ValueError("standing_s must be >= 0")
        self.profile = profile
        self.seed = seed
        first_ic_s = standing_s + FIRST_IC_AFTER_STANDING_S
        self.timing = RunTiming(standing_s, RAMP_S, first_ic_s, stop_s)
        if mounting is None:
            mounting = random_mounting(_rng(seed, "mounting"))
        self.mounting = checked_mounting(mounting)
        self.noise = noise
        self.acc_noise_g = acc_noise_g
        self.gyro_noise_dps = gyro_noise_dps
        self.saturate = saturate
        self.conditions = conditions
        self.turn = turn
        self.stream = stream
        self.gyro_bias_dps = gyro_bias_dps
        self.pod_gyro_bias_dps = {  # the constant bias each pod's gyro adds (sensor axes)
            p: gyro_bias_dps * _rng(seed, "bias", p).standard_normal(3) if noise else np.zeros(3)
            for p in Placement
        }
        self._acc_rng = {p: _rng(seed, "acc", p, stream) for p in Placement}
        self._gyro_rng = {p: _rng(seed, "gyro", p, stream) for p in Placement}
        self._schedule = StepSchedule(profile, seed, self.timing, stream=stream)

    def replanned(
        self,
        standing_s: float,
        stop_s: float | None = None,
        *,
        turn: Turn | None = None,
        stream: int | None = None,
    ) -> RunnerModel:
        """The same runner and pods (profile, seed, mounting, gyro biases, noise levels,
        conditions) on another timing, with ``turn`` (none by default) and ``stream`` (this
        one's by default). Its noise generators start afresh."""
        return RunnerModel(
            self.profile, self.seed, standing_s=standing_s, stop_s=stop_s,
            mounting=self.mounting, noise=self.noise, gyro_bias_dps=self.gyro_bias_dps,
            acc_noise_g=self.acc_noise_g, gyro_noise_dps=self.gyro_noise_dps,
            saturate=self.saturate, conditions=self.conditions, turn=turn,
            stream=self.stream if stream is None else stream,
        )  # fmt: skip

    @property
    def still_from_s(self) -> float:
        """When a stopping runner is quiet again (both feet flat, body at rest); inf if the
        runner never stops."""
        stop_s = self.timing.stop_s
        if stop_s is None:
            return float("inf")
        steps = self._schedule.span(stop_s, stop_s + LAST_STEPS_AFTER_S + 4.0, pad=0)
        last_ic_s = steps.ic_s[steps.hold_s > 0.0]
        ends = [stop_s + RAMP_S, *(last_ic_s + SETTLED_AFTER_LAST_CONTACT_S).tolist()]
        return float(max(ends))

    @property
    def cached_step_count(self) -> int:
        """Steps held in memory by the lazy schedule (bounded while streaming forward)."""
        return self._schedule.cached_steps

    def samples(self, placement: Placement, t_s: FloatArray) -> SampleBlock:
        """IMU samples of one pod at times ``t_s`` (s), in the pod's sensor axes."""
        t = np.atleast_1d(np.asarray(t_s, dtype=np.float64))
        if t.size == 0:
            return SampleBlock.empty()
        ideal = imu_signals(lambda tt: self._pose(placement, tt), t)
        m = self.mounting[placement]
        acc_g, gyro_dps = ideal.acc_g @ m, ideal.gyro_dps @ m
        if self.noise:
            noise_g = self.conditions.noise_g(placement, self.acc_noise_g)
            acc_g = acc_g + noise_g * self._acc_rng[placement].standard_normal(acc_g.shape)
            gyro_noise = self.gyro_noise_dps * self._gyro_rng[placement].standard_normal(
                acc_g.shape
            )
            gyro_dps = gyro_dps + self.pod_gyro_bias_dps[placement] + gyro_noise
        if self.saturate:
            acc_g = np.clip(acc_g, -ACC_RANGE_G, ACC_RANGE_G)
            gyro_dps = np.clip(gyro_dps, -GYRO_RANGE_DPS, GYRO_RANGE_DPS)
        return SampleBlock(t.copy(), acc_g, gyro_dps)

    def segment_angles_deg(self, placement: Placement, t_s: FloatArray) -> FloatArray:
        """Ground-truth angles (n, 3), degrees, relative to standing.

        Trunk and pelvis: [flexion (+ forward), lateral bend (+ right), axial rotation (+ left)]
        (Cardan flexion -> lateral bend -> axial rotation). Shoes: [pitch (+ toes up; the FSA at
        contact), inversion (+ sole inward), adduction (+ toes inward)].
        """
        t = np.atleast_1d(np.asarray(t_s, dtype=np.float64))
        steps = self._steps_for(t)
        if placement.is_shoe:
            return foot_angles_deg(steps, SIDES[placement], t, self.conditions)
        return body_angles_deg(self.profile, self.timing, steps, placement, t, self.conditions)

    def segment_orientation(self, placement: Placement, t_s: FloatArray) -> FloatArray:
        """Ground-truth orientation (n, 3, 3), world <- segment."""
        t = np.atleast_1d(np.asarray(t_s, dtype=np.float64))
        return self._pose(placement, t).rot

    def steps_between(self, t0_s: float, t1_s: float) -> list[StepTruth]:
        """Ground-truth steps whose initial contact is in [t0_s, t1_s)."""
        steps = self._real_steps(t0_s, t1_s)
        return [
            StepTruth(
                side="right" if i % 2 == 0 else "left",
                ic_s=float(ic),
                to_s=float(ic + c),
                fsa_deg=float(fsa),
                strike=strike_label(float(fsa)),
            )
            for i, ic, c, fsa in zip(
                steps.index, steps.ic_s, steps.contact_s + steps.hold_s, steps.fsa_deg, strict=True
            )
        ]

    def strides_between(self, t0_s: float, t1_s: float) -> list[StrideTruth]:
        """Ground-truth strides (contact to next same-foot contact) starting in [t0_s, t1_s)."""
        steps = self._real_steps(t0_s, t1_s + 3.0 * self.profile.step_period_s)
        out = []
        for j in range(len(steps) - 2):
            start, end = float(steps.ic_s[j]), float(steps.ic_s[j + 2])
            if start < t1_s:
                side = "right" if steps.index[j] % 2 == 0 else "left"
                out.append(stride_truth(side, start, end, self.segment_angles_deg))
        return out

    def _real_steps(self, t0_s: float, t1_s: float) -> StepArrays:
        steps = self._schedule.span(t0_s, t1_s)
        keep = steps.is_real & (steps.ic_s >= t0_s) & (steps.ic_s < t1_s)
        return steps.take(np.flatnonzero(keep))

    def _steps_for(self, t: FloatArray) -> StepArrays:
        return self._schedule.span(float(t.min()) - MARGIN_S, float(t.max()) + MARGIN_S)

    def _pose(self, placement: Placement, t: FloatArray) -> Pose:
        steps = self._steps_for(t)
        if placement.is_shoe:
            side: Side = SIDES[placement]
            pose = foot_pose(self.profile, steps, side, t, self.conditions)
        else:
            pose = body_pose(self.profile, self.timing, steps, placement, t, self.conditions)
        return pose if self.turn is None else self.turn.apply(pose)


def simulate(
    profile: RunnerProfile | str,
    duration_s: float,
    rate_hz: float,
    seed: int = 0,
    **model_kwargs: Any,
) -> tuple[dict[Placement, SampleBlock], RunnerModel]:
    """All four pods sampled at ``rate_hz`` on ``t = k / rate_hz`` for ``0 <= t < duration_s``."""
    prof = get_profile(profile) if isinstance(profile, str) else profile
    model = RunnerModel(prof, seed, **model_kwargs)
    t = np.arange(round(duration_s * rate_hz)) / rate_hz
    return {p: model.samples(p, t) for p in Placement}, model
