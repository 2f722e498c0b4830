"""A shoe pod's reference from the gait itself, for a runner who never stands still.

At mid-stance the foot is flat on the ground and still for some tens of ms: its pod then
feels gravity alone and its gyro reads its bias. Gathered over many stances, those moments
give the foot-flat "up" and the gyro bias a quiet standing would give, so steps, strike
timing and strike angles (which are measured from the mid-stance posture anyway) can start
without one. The reference is only taken while the foot is clearly moving between them
(running or walking), and a real standing found later replaces it.

Samples are judged one by one and runs are carried across blocks, so the decision does not
depend on how the samples are chunked.
"""

from __future__ import annotations

import itertools

import numpy as np

from drivers.types import FloatArray

FLAT_GYRO_DPS = 40.0  # a foot flat on the ground turns slower than this (bias included)
FLAT_ACC_G = 0.1  # and feels gravity alone, within this
MIN_RUN_S = 0.03  # a flat moment lasts at least this long
MOVING_DPS = 150.0  # a swinging foot turns faster than this
NEEDED_RUNS = 10  # flat moments to gather
NEEDED_FLAT_S = 0.5  # total flat time to gather
NEEDED_MOVING_S = 2.0  # total swinging time seen meanwhile: it is gait, not fidgeting
MAX_RUN_S = 1.0  # a longer still stretch is standing: that is the standing calibration's


class FootFlatReference:
    """Gathers the flat moments of a moving foot; ``ready_`` once enough are seen, with
    ``up_sensor_``, ``gyro_bias_dps_``, ``acc_sd_g_`` and ``index_`` (the absolute index of
    the sample at which it became ready)."""

    def __init__(self, rate_hz: float) -> None:
        self.rate_hz = rate_hz
        self.min_run = max(2, round(MIN_RUN_S * rate_hz))
        self.max_run = round(MAX_RUN_S * rate_hz)
        self.ready_ = False
        self.up_sensor_ = np.array([0.0, 0.0, 1.0])
        self.gyro_bias_dps_ = np.zeros(3)
        self.acc_sd_g_ = 0.0
        self.index_ = -1
        self.start_index_ = -1  # the first sample it was given (set by the chain)
        self._run: list[FloatArray] = []  # rows (acc, gyro) of the flat run in progress
        self._runs: list[FloatArray] = []
        self._flat = 0
        self._moving = 0

    def update(self, acc_g: FloatArray, gyro_dps: FloatArray, first_index: int) -> None:
        """Samples with absolute indices ``first_index``, ``first_index + 1``, ..."""
        n = acc_g.shape[0]
        if self.ready_ or n == 0:
            return
        speed = np.linalg.norm(gyro_dps, axis=1)
        gravity_only = np.abs(np.linalg.norm(acc_g, axis=1) - 1.0) < FLAT_ACC_G
        flat = (speed < FLAT_GYRO_DPS) & gravity_only
        moving = self._moving + np.concatenate([[0], np.cumsum(speed > MOVING_DPS)])
        rows = np.column_stack([acc_g, gyro_dps])
        cuts = [0, *(np.flatnonzero(flat[1:] != flat[:-1]) + 1).tolist(), n]
        for s, e in itertools.pairwise(cuts):
            if flat[s]:
                self._run.append(rows[s:e])
                if e < n:
                    self._close_run(int(moving[e]), first_index + e)
            elif s == 0 and self._run:
                self._close_run(int(moving[0]), first_index)
            if self.ready_:
                return
        self._moving = int(moving[-1])

    def _close_run(self, moving_so_far: int, index: int) -> None:
        run = np.concatenate(self._run) if self._run else np.zeros((0, 6))
        self._run = []
        if self.min_run <= run.shape[0] <= self.max_run:
            self._runs.append(run)
            self._flat += run.shape[0]
        enough = len(self._runs) >= NEEDED_RUNS and self._flat >= NEEDED_FLAT_S * self.rate_hz
        if enough and moving_so_far >= NEEDED_MOVING_S * self.rate_hz:
            self._finish(index)

    def _finish(self, index: int) -> None:
        rows = np.concatenate(self._runs)
        self.up_sensor_ = rows[:, :3].mean(axis=0) / np.linalg.norm(rows[:, :3].mean(axis=0))
        self.gyro_bias_dps_ = rows[:, 3:].mean(axis=0)
        self.acc_sd_g_ = float(
            np.median([np.linalg.norm(r[:, :3].std(axis=0)) for r in self._runs])
        )
        self.index_ = index
        self.ready_ = True
