"""Quiet-standing detection: the reference posture and gyro bias of one pod."""

from __future__ import annotations

import numpy as np

from drivers.types import FloatArray
from processing.stages.guard import GAP_S


class StandingCalibrationStage:
    """Finds the first quiet stretch of at least ``min_duration_s`` and calibrates from it;
    after ``request()``, the next such stretch replaces it (``version_`` counts calibrations).

    A sample is quiet when ‖gyro‖ < ``gyro_quiet_dps`` and | ‖acc‖ − 1 g | < ``acc_quiet_g``;
    the stretch is accepted if its acc standard deviation (norm of per-axis SDs) is below
    ``acc_sd_max_g``. Results: ``calibrated_``, ``up_sensor_`` (unit vector pointing up, in
    sensor axes), ``gyro_bias_dps_`` (3,), ``index_`` (absolute sample index where the
    calibration was decided), ``t_s_`` (its time) and ``acc_sd_g_`` (norm of the per-axis
    acc standard deviations while standing: the accelerometer noise, g). ``carried_`` is True
    while the calibration in use was brought in (``restored``/``carried``) rather than found
    in the samples this stage has seen.
    """

    def __init__(
        self,
        min_duration_s: float = 3.0,
        gyro_quiet_dps: float = 15.0,
        acc_quiet_g: float = 0.1,
        acc_sd_max_g: float = 0.05,
        gap_s: float = GAP_S,
    ) -> None:
        self.min_duration_s = min_duration_s
        self.gyro_quiet_dps = gyro_quiet_dps
        self.acc_quiet_g = acc_quiet_g
        self.acc_sd_max_g = acc_sd_max_g
        self.gap_s = gap_s
        self.calibrated_ = False
        self.up_sensor_ = np.array([0.0, 0.0, 1.0])
        self.gyro_bias_dps_ = np.zeros(3)
        self.index_ = -1
        self.t_s_ = float("nan")
        self.acc_sd_g_ = 0.0
        self._run_t0 = float("nan")
        self._run_rows: list[FloatArray] = []
        self._last_t = -np.inf
        self._count = 0
        self.version_ = 0
        self.carried_ = False
        self.from_gait_ = False  # the reference in use came from the gait, not a standing
        self._searching = True

    def restored(
        self, up_sensor: FloatArray, gyro_bias_dps: FloatArray, acc_sd_g: float, t_s: float,
        search: bool = False,
    ) -> StandingCalibrationStage:  # fmt: skip
        """A fresh stage with this one's parameters, already holding the given calibration
        (from another pipeline or a recording): sample indices start anew. With ``search``
        the next quiet standing still replaces it, as after ``request()``."""
        stage = StandingCalibrationStage(
            self.min_duration_s, self.gyro_quiet_dps, self.acc_quiet_g, self.acc_sd_max_g,
            self.gap_s,
        )  # fmt: skip
        stage.calibrated_ = True
        stage.up_sensor_ = np.array(up_sensor, dtype=np.float64)
        stage.gyro_bias_dps_ = np.array(gyro_bias_dps, dtype=np.float64)
        stage.acc_sd_g_ = float(acc_sd_g)
        stage.t_s_ = float(t_s)
        stage.version_ = 1
        stage.carried_ = True
        stage._searching = search
        return stage

    def carried(self) -> StandingCalibrationStage:
        """A fresh stage already holding this one's calibration (for a pipeline started over
        in the middle of a session, e.g. a replay seek): no search, sample indices anew."""
        stage = self.restored(self.up_sensor_, self.gyro_bias_dps_, self.acc_sd_g_, self.t_s_)
        stage.calibrated_ = self.calibrated_
        return stage

    def adopt_gait(
        self, up_sensor: FloatArray, gyro_bias_dps: FloatArray, acc_sd_g: float, index: int,
        t_s: float,
    ) -> None:  # fmt: skip
        """Use a reference from the gait (``gait_reference``) until a standing is found: the
        search goes on, and a standing then replaces it as a new calibration."""
        self.calibrated_ = True
        self.up_sensor_ = np.array(up_sensor, dtype=np.float64)
        self.gyro_bias_dps_ = np.array(gyro_bias_dps, dtype=np.float64)
        self.acc_sd_g_ = float(acc_sd_g)
        self.index_ = index
        self.t_s_ = float(t_s)
        self.version_ += 1
        self.from_gait_ = True

    def request(self) -> None:
        """Look for a new quiet stretch; the current calibration holds until it is found."""
        self._searching = True
        self._run_t0 = float("nan")
        self._run_rows = []

    def update(self, t_s: FloatArray, acc_g: FloatArray, gyro_dps: FloatArray) -> None:
        n = t_s.shape[0]
        if not self._searching or n == 0:
            self._count += n
            self._last_t = float(t_s[-1]) if n else self._last_t
            return
        quiet = (np.linalg.norm(gyro_dps, axis=1) < self.gyro_quiet_dps) & (
            np.abs(np.linalg.norm(acc_g, axis=1) - 1.0) < self.acc_quiet_g
        )
        previous = np.concatenate([[self._last_t], t_s[:-1]])
        breaks = ~quiet | ((t_s - previous) > self.gap_s)
        start = 0
        for stop in [*np.flatnonzero(breaks).tolist(), n]:
            self._extend(t_s, acc_g, gyro_dps, start, stop)
            if not self._searching:
                break
            if stop < n:
                self._restart(t_s, quiet, stop)
            start = stop + 1
        self._count += n
        self._last_t = float(t_s[-1])

    def _restart(self, t_s: FloatArray, quiet: FloatArray, i: int) -> None:
        self._run_rows = []
        self._run_t0 = float("nan")
        if quiet[i]:  # a time gap before a quiet sample: that sample starts a new run
            self._run_t0 = float(t_s[i])
            self._run_rows = []

    def _extend(self, t_s: FloatArray, acc: FloatArray, gyro: FloatArray, i0: int, i1: int) -> None:
        """Add quiet samples [i0, i1) to the current run; calibrate once it is long enough."""
        if i1 <= i0:
            return
        if np.isnan(self._run_t0):
            self._run_t0 = float(t_s[i0])
        long_enough = np.flatnonzero(t_s[i0:i1] - self._run_t0 >= self.min_duration_s)
        end = i0 + int(long_enough[0]) + 1 if long_enough.size else i1
        self._run_rows.append(np.column_stack([acc[i0:end], gyro[i0:end]]))
        if long_enough.size:
            self._finish(float(t_s[end - 1]), self._count + end - 1)

    def _finish(self, t_end_s: float, index: int) -> None:
        rows = np.concatenate(self._run_rows)
        acc_sd = float(np.linalg.norm(rows[:, :3].std(axis=0)))
        self._run_rows = []
        if acc_sd > self.acc_sd_max_g:
            self._run_t0 = float("nan")  # too shaky: look for another quiet stretch
            return
        mean_acc = rows[:, :3].mean(axis=0)
        self.up_sensor_ = mean_acc / np.linalg.norm(mean_acc)
        self.gyro_bias_dps_ = rows[:, 3:].mean(axis=0)
        self.acc_sd_g_ = acc_sd
        self.calibrated_ = True
        self.carried_ = False
        self.from_gait_ = False
        self._searching = False
        self.version_ += 1
        self.index_ = index
        self.t_s_ = t_end_s
