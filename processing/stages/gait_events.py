"""Initial contact and toe-off of one foot, streaming, from its sagittal gyro and impacts.

Input per sample: the foot's sagittal angular velocity ``w`` (deg/s, positive = dorsiflexion,
toes going up), the impact signal ‖a[k] − 2a[k−1] + a[k−2]‖·rate² (g/s², see
``alignment.second_difference``) and a stillness score (low = still).

* Swing: ``w`` above ``swing_floor_dps`` or ``swing_fraction`` of recent swing peaks (the
  large dorsiflexion of mid-swing; Falbriard et al. 2018 cut cycles at this mid-swing peak).
* Initial contact (IC): in terminal swing (after the mid-swing peak has fallen to 60 %), the
  impact signal averaged over the last ``impact_window_s`` (≥ 3 samples) exceeds
  ``impact_ratio`` times its recent envelope (a peak follower with ``envelope_half_life_s``)
  and a noise floor (``impact_floor_g`` per sample², or ``noise_factor`` × the standing
  accelerometer noise given to ``set_noise``), with at least two samples of the window above
  half the threshold. The shoe hitting the ground changes the specific force abruptly and
  rings for some ms; swing kinematics change it smoothly and noise spikes are single
  samples. The contact is placed half a sample before the first sample of the window that
  itself exceeded the threshold; latency is about the window plus transport.
* Toe-off (TO): the most negative ``w`` (peak plantarflexion velocity) of the last
  plantarflexion lobe before the next swing — Falbriard's "minimum of the pitch angular
  velocity in the second half of the mid-swing to mid-swing cycle". Known when swing starts.
* Mid-stance: the middle of the longest still run (score < ``quiet_score``) of each stance,
  at most ``max_still_s`` / 2 before the run's end (else the stillest sample); the reference
  posture for the next strike angle.

A pause of more than ``gap_s`` between samples resets everything but the adaptive levels:
no step is ever built across a gap.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray
from processing.stages.guard import GAP_S


class Phase(enum.Enum):
    UNKNOWN = 0
    STANCE = 1
    SWING = 2


@dataclass(frozen=True)
class ContactEvent:
    """IC (``to_s`` None) or TO (``to_s`` set) of one foot; indices are absolute samples.

    ``index`` is the last sample before the contact (IC) or the TO sample. For an IC,
    ``midstance_index`` is the previous stance's still sample (-1 if unknown).
    """

    ic_s: float
    index: int
    midstance_index: int = -1
    to_s: float | None = None

    @property
    def is_toe_off(self) -> bool:
        return self.to_s is not None


class GaitEventStage:
    """Streaming IC/TO detector of one foot; results in ``events_`` (those of the last update)."""

    def __init__(
        self,
        rate_hz: float,
        swing_floor_dps: float = 100.0,
        swing_fraction: float = 0.3,
        lobe_dps: float = 50.0,
        impact_floor_g: float = 0.1,
        impact_ratio: float = 2.5,
        impact_window_s: float = 0.015,
        envelope_half_life_s: float = 0.1,
        quiet_score: float = 40.0,
        max_still_s: float = 0.5,
        noise_factor: float = 12.0,
        min_stance_s: float = 0.08,
        min_swing_s: float = 0.1,
        max_swing_s: float = 1.0,
        gap_s: float = GAP_S,
    ) -> None:
        self.rate_hz = rate_hz
        self.swing_floor_dps = swing_floor_dps
        self.swing_fraction = swing_fraction
        self.lobe_dps = lobe_dps
        self.impact_floor_g = impact_floor_g
        self.impact_ratio = impact_ratio
        self.impact_window_s = impact_window_s
        self._window = max(3, round(impact_window_s * rate_hz))
        self._recent: list[tuple[float, float, int]] = []  # (t, d2, index) of the window
        self._levels: list[float] = []
        self.envelope_half_life_s = envelope_half_life_s
        self.quiet_score = quiet_score
        self.max_still_s = max_still_s
        self.noise_factor = noise_factor
        self.min_stance_s = min_stance_s
        self.min_swing_s = min_swing_s
        self.max_swing_s = max_swing_s
        self.gap_s = gap_s
        self.events_: list[ContactEvent] = []
        self.swing_peak_dps_ = 0.0  # adaptive level: EMA of recent swing peaks
        self._envelope = 0.0
        self._floor = impact_floor_g * rate_hz**2
        self._last_t = -np.inf
        self.reset()

    def set_noise(self, acc_sd_g: float) -> None:
        """Raise the impact floor above the accelerometer noise measured while standing."""
        floor = max(self.impact_floor_g, self.noise_factor * acc_sd_g)
        self._floor = floor * self.rate_hz**2

    def reset(self) -> None:
        """Forget the current cycle (after a gap); adaptive levels are kept."""
        self._phase = Phase.UNKNOWN
        self._recent, self._levels = [], []
        self._ic_t = -np.inf
        self._ic_index = -1
        self._swing_t0 = 0.0
        self._swing_peak = 0.0
        self._armed = False
        self._lobe_on = False
        self._lobe_min = 0.0
        self._lobe_t = float("nan")
        self._cand_t = float("nan")
        self._best_score = np.inf
        self._best_i = -1
        self._run_start = -1
        self._run_len = 0
        self._run_mid = -1
        self._next_mid = -1

    def update(
        self, t_s: FloatArray, w_dps: FloatArray, impact_g_per_s2: FloatArray,
        score: FloatArray, first_index: int,
    ) -> None:  # fmt: skip
        """Consume samples with absolute indices first_index, first_index + 1, ..."""
        self.events_ = []
        if t_s.size == 0:
            return
        decay = 0.5 ** (1.0 / (self.envelope_half_life_s * self.rate_hz))
        floor = self._floor
        rows = zip(
            t_s.tolist(), w_dps.tolist(), impact_g_per_s2.tolist(), score.tolist(), strict=True
        )
        for k, (t, w, d2, q) in enumerate(rows):
            i = first_index + k
            if t - self._last_t > self.gap_s:
                self.reset()
            dt = t - self._last_t
            self._last_t = t
            recent = self._recent
            recent.append((t, d2, i))
            if len(recent) > self._window:
                del recent[0]
            level = sum(r[1] for r in recent) / len(recent)
            levels = self._levels
            levels.append(level)
            if len(levels) > self._window:  # the envelope sees levels older than the window
                self._envelope = max(levels.pop(0), self._envelope * decay)
            threshold = max(floor, self.impact_ratio * self._envelope)
            if self._phase is Phase.SWING:
                lasting = sum(1 for r in recent if r[1] > 0.5 * threshold) >= 2
                self._swing_sample(t, w, level > threshold and lasting, threshold, i, dt)
            else:
                self._stance_sample(t, w, q, i)

    def _stance_sample(self, t: float, w: float, q: float, i: int) -> None:
        self._track_still(q, i)
        if w < -self.lobe_dps:
            if not self._lobe_on or w < self._lobe_min:
                self._lobe_min, self._lobe_t = w, t
            self._lobe_on = True
        elif self._lobe_on:
            self._lobe_on = False
            self._cand_t = self._lobe_t
        swing_on = max(self.swing_floor_dps, self.swing_fraction * self.swing_peak_dps_)
        if w <= swing_on:
            return
        if self._phase is Phase.STANCE:
            if t - self._ic_t < self.min_stance_s or np.isnan(self._cand_t):
                return  # e.g. the heel dropping after a forefoot strike: not a swing yet
            self.events_.append(ContactEvent(self._ic_t, self._ic_index, to_s=self._cand_t))
        self._track_still(np.inf, i)  # close an open still run
        self._next_mid = self._run_mid if self._run_mid >= 0 else self._best_i
        self._phase = Phase.SWING
        self._swing_t0, self._swing_peak, self._armed = t, w, False

    def _track_still(self, q: float, i: int) -> None:
        if q <= self._best_score:
            self._best_score, self._best_i = q, i
        if q < self.quiet_score:
            if self._run_start < 0:
                self._run_start = i
            return
        if self._run_start < 0:
            return
        length = i - self._run_start
        if length > self._run_len:
            half = int(0.5 * self.max_still_s * self.rate_hz)
            self._run_len = length
            self._run_mid = max(self._run_start + length // 2, i - 1 - half)
        self._run_start = -1

    def _swing_sample(
        self, t: float, w: float, impact: bool, threshold: float, i: int, dt: float
    ) -> None:
        self._swing_peak = max(self._swing_peak, w)
        if not self._armed:
            self._armed = t - self._swing_t0 >= self.min_swing_s and w < 0.6 * self._swing_peak
        if self._armed and impact:
            onset_t, onset_i = t, i
            for rt, rd2, ri in reversed(self._recent):
                if rd2 <= threshold:
                    break
                onset_t, onset_i = rt, ri
            ic_t = onset_t - 0.5 * dt  # the sample before the onset is the last one in the air
            self.events_.append(ContactEvent(ic_t, onset_i - 1, midstance_index=self._next_mid))
            self.swing_peak_dps_ = _ema(self.swing_peak_dps_, self._swing_peak)
            self._start_stance(ic_t, onset_i - 1)
        elif t - self._swing_t0 > self.max_swing_s:
            self.reset()

    def _start_stance(self, ic_t: float, ic_index: int) -> None:
        self._phase = Phase.STANCE
        self._ic_t, self._ic_index = ic_t, ic_index
        self._lobe_on, self._cand_t = False, float("nan")
        self._best_score, self._best_i = np.inf, -1
        self._run_start, self._run_len, self._run_mid = -1, 0, -1


def _ema(level: float, value: float, alpha: float = 0.25) -> float:
    return value if level <= 0.0 else (1.0 - alpha) * level + alpha * value
