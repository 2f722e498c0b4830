"""Initial contact and toe-off of one foot, streaming, from its sagittal gyro and impacts.

Input per sample: the foot's sagittal angular velocity ``w`` (deg/s, positive = dorsiflexion,
toes going up), the impact signal ‖a[k] − 2a[k−1] + a[k−2]‖·rate² (g/s², see
``alignment.second_difference``) and a stillness score (low = still).

* Swing: a forward swing of the foot, with hysteresis — a run of dorsiflexion (``w`` > 0)
  that rises above ``swing_floor_dps`` or ``swing_fraction`` of recent swing peaks (the
  large dorsiflexion of mid-swing; Falbriard et al. 2018 cut cycles at this mid-swing peak)
  and turns the foot toes-up by ``min_swing_deg`` in all (see ``SwingOnsetTracker``). In a
  stance, it must also follow a plantarflexion lobe and come ``min_stance_s`` after IC. A
  heel strike makes the pod ring (walking): the ringing can cross the swing threshold for a
  sample or two after ``min_stance_s`` but turns the foot only a few degrees, a swing
  60–100°. The swing starts at the run's first fast sample; the stance's bookkeeping (lobes,
  stillness) runs until the swing is confirmed.
* Initial contact (IC): in terminal swing (after the mid-swing peak has fallen to 60 %), the
  impact signal averaged over the last ``impact_window_s`` (≥ 3 samples) exceeds
  ``impact_ratio`` times its recent envelope (the maximum of the earlier window means, each
  decayed with ``envelope_half_life_s``, forgotten after three half-lives) and a noise
  floor (``impact_floor_g`` per sample², or ``noise_factor`` × the
  standing accelerometer noise given to ``set_noise``), with at least two samples of the
  window above half the threshold. The shoe hitting the ground changes the specific force
  abruptly and rings for some ms; swing kinematics change it smoothly and noise spikes are
  single samples. The jolt starts at the first sample of the window that itself exceeded
  the threshold; contact is placed half a sample before it (see ``contact_time``).
  A foot turns toes-down fast just before it lands, which can jolt the pod enough to fire:
  a contact waits up to ``settle_s`` for a jolt ``dominance`` times stronger, the landing,
  and moves to it (a stronger sample of the same jolt keeps its onset); see ``landing``.
  A soft heel landing (walking) is seen later than it happens: the heel pad and sole
  compress for tens of ms before the jolt, while the foot still turns toes-up. If the foot
  was clearly dorsiflexing (``w`` > ``dorsiflexion_dps``) within ``soft_landing_s`` before
  the jolt, contact is when that stopped — the pitch peak, where the heel meets the ground
  (see ``soft_landing``). Only in walking: the step before had a duty factor of at least
  ``RUN_DUTY`` (double support). In running the pitch peaks before the sole touches and the
  jolt is the contact.
* Toe-off (TO): the end of the peak plantarflexion velocity (the last sample within
  ``PEAK_FRACTION`` of the lobe's most negative ``w``) of the last plantarflexion lobe before
  the next swing — Falbriard's "minimum of the pitch angular velocity in the second half of
  the mid-swing to mid-swing cycle", taken at the end of a plateau: the foot turns at its
  peak rate while the toes push and brakes once they leave the ground (see ``LobeTracker``).
  Known when swing starts.
* Mid-stance: the middle of the longest still run (score < ``quiet_score``) of each stance,
  at most ``max_still_s`` / 2 before the run's end (else the stillest sample); the reference
  posture for the next strike angle.

Every per-sample quantity (window means, envelopes, thresholds, candidate transitions) is
computed with array operations over the whole block; the phase logic then jumps from one
transition to the next, so its Python cost is per step, not per sample. Windows are summed
in a fixed order, so the result does not depend on how the samples are chunked.

A pause of more than ``gap_s`` between samples resets everything but the adaptive levels:
no step is ever built across a gap.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from drivers.types import FloatArray
from processing.stages.gait_phases import (
    ContactEvent,
    LobeTracker,
    StillTracker,
    SwingOnsetTracker,
    contact_time,
    soft_landing,
)
from processing.stages.guard import GAP_S
from processing.stages.landing import LandingSettler

ENVELOPE_HALF_LIVES = 3.0
FULL_CONTRAST_HZ = 100.0
"""Below this rate the landing's ringing (17–27 Hz) nears Nyquist: its sampled second
difference shrinks while the swing's smooth curvature does not, so ``impact_ratio`` is
scaled by sqrt(rate / FULL_CONTRAST_HZ) (1.8 at 50 Hz)."""
RUN_DUTY = 0.5
"""Duty factor (contact / stride of one foot) below which the gait is a run."""
MAX_STRIDE_S = 2.5  # a longer stride is a pause, not a gait to judge
LOOK_AHEAD_S = 0.5  # a phase search looks this far ahead at a time (bounded array work)


class Phase(enum.Enum):
    UNKNOWN = 0
    STANCE = 1
    SWING = 2


@dataclass(frozen=True)
class _Block:
    """One gap-free run of samples with its impact window arrays (``ext`` = tail + block)."""

    t: FloatArray
    w: FloatArray
    q: FloatArray
    fire: FloatArray  # bool: impact condition met at this sample
    level: FloatArray  # impact signal averaged over the window ending at this sample
    threshold: FloatArray
    ext_t: FloatArray
    ext_d2: FloatArray
    ext_i: FloatArray
    ext_w: FloatArray
    offset: int  # position of the block's first sample in the ext arrays
    first: int  # absolute index of the block's first sample


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
        soft_landing_s: float = 0.04,
        settle_s: float = 0.1,
        dominance: float = 5.0,
        dorsiflexion_dps: float = 20.0,
        quiet_score: float = 40.0,
        max_still_s: float = 0.5,
        noise_factor: float = 12.0,
        min_stance_s: float = 0.08,
        min_swing_s: float = 0.1,
        min_swing_deg: float = 15.0,
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
        self.quiet_score = quiet_score
        self.max_still_s = max_still_s
        self.noise_factor = noise_factor
        self.min_stance_s = min_stance_s
        self.min_swing_s = min_swing_s
        self.min_swing_deg = min_swing_deg
        self.max_swing_s = max_swing_s
        self.gap_s = gap_s
        self._window = max(3, round(impact_window_s * rate_hz))
        self._look = max(8, round(LOOK_AHEAD_S * rate_hz))
        self.soft_landing_s = soft_landing_s
        self.dorsiflexion_dps = dorsiflexion_dps
        self.settle_s = settle_s
        self.dominance = dominance
        self._soft_len = max(1, int(np.ceil(soft_landing_s * rate_hz)))
        self._tail_len = self._window + self._soft_len + 1
        self.envelope_half_life_s = envelope_half_life_s
        self._env_len = max(1, round(ENVELOPE_HALF_LIVES * envelope_half_life_s * rate_hz))
        self._decay = 0.5 ** (np.arange(self._env_len)[::-1] / (envelope_half_life_s * rate_hz))
        self._floor = impact_floor_g * rate_hz**2
        self._ratio = impact_ratio * min(1.0, float(np.sqrt(rate_hz / FULL_CONTRAST_HZ)))
        self.events_: list[ContactEvent] = []
        self.swing_peak_dps_ = 0.0  # adaptive level: EMA of recent swing peaks
        self._last_t = -np.inf
        self.landing = LandingSettler(settle_s, dominance)
        self._last_stance: tuple[float, float] | None = None  # (IC s, TO s) of the last step
        self.running_ = False  # the last step's duty factor was a run's (below RUN_DUTY)
        self.lobes = LobeTracker(lobe_dps)
        self.still = StillTracker(quiet_score, int(0.5 * max_still_s * rate_hz))
        self.swing_onset = SwingOnsetTracker(rate_hz, min_swing_deg)
        self.reset()

    def set_noise(self, acc_sd_g: float) -> None:
        """Raise the impact floor above the accelerometer noise measured while standing."""
        floor = max(self.impact_floor_g, self.noise_factor * acc_sd_g)
        self._floor = floor * self.rate_hz**2

    def reset(self) -> None:
        """Forget the current cycle and the impact windows (after a gap)."""
        self._tail_t, self._tail_d2, self._tail_i = np.zeros(0), np.zeros(0), np.zeros(0)
        self._tail_w = np.zeros(0)
        self._tail_levels = np.zeros(0)
        self._restart_cycle()

    def _restart_cycle(self) -> None:
        self.events_.extend(self.landing.flush())
        self._phase = Phase.UNKNOWN
        self._ic_t, self._ic_index = -np.inf, -1
        self._swing_t0, self._swing_peak, self._armed = 0.0, 0.0, False
        self._next_mid = -1
        self.lobes.reset()
        self.still.reset()
        self.swing_onset.reset()

    def update(
        self, t_s: FloatArray, w_dps: FloatArray, impact_g_per_s2: FloatArray,
        score: FloatArray, first_index: int,
    ) -> None:  # fmt: skip
        """Consume samples with absolute indices first_index, first_index + 1, ..."""
        self.events_ = []
        if t_s.size == 0:
            return
        previous = np.concatenate([[self._last_t], t_s[:-1]])
        cuts = [0, *np.flatnonzero(t_s - previous > self.gap_s).tolist(), t_s.size]
        for a, b in itertools.pairwise(cuts):
            if b <= a:
                continue
            if t_s[a] - (previous[a]) > self.gap_s:
                self.reset()
            part = slice(a, b)
            block = self._windows(
                t_s[part], w_dps[part], impact_g_per_s2[part], score[part], first_index + a
            )
            self._run(block)
        self._last_t = float(t_s[-1])

    def _windows(
        self, t: FloatArray, w: FloatArray, d2: FloatArray, q: FloatArray, first: int
    ) -> _Block:
        """Window means, envelope and threshold of every sample (tails from earlier calls)."""
        win, env = self._window, self._env_len
        ext_t = np.concatenate([self._tail_t, t])
        ext_d2 = np.concatenate([self._tail_d2, d2])
        ext_i = np.concatenate([self._tail_i, first + np.arange(t.size, dtype=np.float64)])
        ext_w = np.concatenate([self._tail_w, w])
        offset = self._tail_d2.size
        padded = np.concatenate(
            [np.zeros(max(0, win - 1 - offset)), ext_d2]
        )  # window fill after reset
        windows = sliding_window_view(padded, win)[-t.size :]
        count = np.minimum(win, offset + 1 + np.arange(t.size))
        level = windows.sum(axis=1) / count
        levels = np.concatenate([np.zeros(win + env - 1 - self._tail_levels.size),
                                 self._tail_levels, level])  # fmt: skip
        past = sliding_window_view(levels[: levels.size - win], env)
        envelope = (past * self._decay).max(axis=1)
        threshold = np.maximum(self._floor, self._ratio * envelope[-t.size :])
        lasting = (windows > 0.5 * threshold[:, None]).sum(axis=1) >= 2
        fire = (level > threshold) & lasting
        keep = self._tail_len
        self._tail_t, self._tail_d2, self._tail_i = ext_t[-keep:], ext_d2[-keep:], ext_i[-keep:]
        self._tail_w = ext_w[-keep:]
        self._tail_levels = levels[-(win + env - 1) :]
        return _Block(t, w, q, fire, level, threshold, ext_t, ext_d2, ext_i, ext_w, offset, first)

    def _run(self, b: _Block) -> None:
        i = 0
        while i < b.t.size:
            i = self._swing(b, i) if self._phase is Phase.SWING else self._stance(b, i)

    def _stance(self, b: _Block, i: int) -> int:
        """Stance (or unknown phase) from sample ``i``, looking at most ``_look`` samples
        ahead (the trackers carry over as across blocks); returns where to continue."""
        later, published = self.landing.check(b.t[i:], b.level[i:])
        self.events_.extend(published)
        if later is not None:
            self._contact(b, i + later)
            return i + later + 1
        stop = min(b.t.size, i + self._look)
        w, t = b.w[i:stop], b.t[i:stop]
        swing_on = max(self.swing_floor_dps, self.swing_fraction * self.swing_peak_dps_)
        fast = w > swing_on
        if self._phase is Phase.STANCE:
            lobe_seen = self.lobes.known | np.logical_or.accumulate(w < -self.lobe_dps)
            fast &= lobe_seen & (t - self._ic_t >= self.min_stance_s)
        swing = self.swing_onset.find(t, w, fast)
        end = i + swing.index if swing is not None else stop
        self.lobes.update(b.t[i:end], b.w[i:end])
        self.still.update(b.q[i:end], b.first + i)
        if swing is None:
            return end
        self.lobes.end_open()
        self._next_mid = self.still.close(b.first + end)
        if self._phase is Phase.STANCE:
            to_s = self.lobes.cand_t
            self.events_.extend(self.landing.flush())
            self.events_.append(ContactEvent(self._ic_t, self._ic_index, self._next_mid, to_s))
            if to_s is not None:
                self._last_stance = (self._ic_t, to_s)
        self._phase = Phase.SWING
        self._swing_t0, self._swing_peak, self._armed = swing.t0_s, swing.peak_dps, False
        return end + 1

    def _swing(self, b: _Block, i: int) -> int:
        """Swing from sample ``i`` (at most ``_look`` ahead): arm in terminal swing, then
        wait for the impact."""
        stop = min(b.t.size, i + self._look)
        n = stop - i
        peak = np.maximum.accumulate(np.maximum(b.w[i:stop], self._swing_peak))
        elapsed = b.t[i:stop] - self._swing_t0
        if self._armed:
            armed_from = 0
        else:
            arm = np.flatnonzero((elapsed >= self.min_swing_s) & (b.w[i:stop] < 0.6 * peak))
            armed_from = int(arm[0]) if arm.size else n
        fires = np.flatnonzero(b.fire[i + armed_from : stop]) + armed_from
        timeouts = np.flatnonzero(elapsed > self.max_swing_s)
        k_ic = int(fires[0]) if fires.size else n
        k_out = int(timeouts[0]) if timeouts.size else n
        if k_ic < n and k_ic <= k_out:
            self._swing_peak = float(peak[k_ic])
            self._contact(b, i + k_ic)
            return i + k_ic + 1
        if k_out < n:
            self._restart_cycle()
            return i + k_out + 1
        self._swing_peak = float(peak[-1])
        self._armed = armed_from < n
        return stop

    def _judge_gait(self, ic_s: float) -> None:
        """Running or walking, from the duty factor of the step before (its contact time over
        the stride up to ``ic_s``): a run has a flight phase, so each foot is on the ground
        less than half the stride; a walk has double support, so more. Kept when unknown."""
        if self._last_stance is None:
            return
        last_ic, last_to = self._last_stance
        stride = ic_s - last_ic
        if 0.0 < last_to - last_ic < stride <= MAX_STRIDE_S:
            self.running_ = (last_to - last_ic) / stride < RUN_DUTY

    def _contact(self, b: _Block, k: int) -> None:
        ic_t, onset = contact_time(b.ext_t, b.ext_d2, b.offset + k, b.threshold[k],
                                   self._window, self.rate_hz)  # fmt: skip
        ic_index = int(b.ext_i[onset]) - 1
        self._judge_gait(ic_t)
        soft = (
            None
            if self.running_
            else soft_landing(b.ext_t, b.ext_w, onset, self._soft_len, self.dorsiflexion_dps)
        )
        if soft is not None and soft[0] < ic_t:
            ic_t, ic_index = soft[0], int(b.ext_i[soft[1]])
        event = ContactEvent(ic_t, ic_index, midstance_index=self._next_mid)
        was = self.landing.waiting
        if was is not None and ic_t - was.event.ic_s <= 1.5 / self.rate_hz:
            event = was.event  # the same jolt, only stronger: its onset stands
        self.landing.wait(event, float(b.t[k]), float(b.level[k]))
        if self._phase is Phase.SWING:
            self.swing_peak_dps_ = _ema(self.swing_peak_dps_, self._swing_peak)
        self._phase = Phase.STANCE
        self._ic_t, self._ic_index = event.ic_s, event.index  # the toe-off pairs with it
        self.lobes.reset()
        self.still.reset()
        self.swing_onset.reset()


def _ema(level: float, value: float, alpha: float = 0.25) -> float:
    return value if level <= 0.0 else (1.0 - alpha) * level + alpha * value
