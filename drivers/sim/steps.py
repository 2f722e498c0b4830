"""The lazy, seeded schedule of steps: when each foot lands, how long it stays, how it strikes.

Steps are numbered from 0; even steps are right-foot contacts, odd ones left. Two virtual
steps (-2 right, -1 left) precede them: flat-footed "contacts" during standing that give each
foot a toe-off to start its first swing from. Step parameters are drawn in blocks, in step
order, from one Generator seeded by the model's seed, so the schedule is the same however it
is queried. Only a bounded window of blocks is kept; asking for times before the window
replays the generator from the start (cheap: microseconds per step).

A runner that stops (``RunTiming.stop_s``) runs on normally until ``LAST_STEPS_AFTER_S`` after
the stop; the next two contacts (one per foot) are its last: virtual ones, each foot set down
flat without an impact, whose stance lasts ``LAST_CONTACT_HOLD_S`` (for ever, in practice).
Two more virtual steps after them (never reached) close the schedule.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, fields, replace

import numpy as np
from numpy.typing import NDArray

from drivers.sim.curves import RunTiming
from drivers.sim.profiles import RunnerProfile
from drivers.types import FloatArray

IntArray = NDArray[np.int64]

STRIKES = ("rearfoot", "midfoot", "forefoot")  # style codes 0, 1, 2
VIRTUAL_STYLE = -1
STYLE_FSA_DEG = {"rearfoot": (18.0, 4.0), "midfoot": (3.0, 2.0), "forefoot": (-7.0, 2.5)}
MIXED_STYLE_P = (0.4, 0.35, 0.25)
SWING_MIN_PITCH_DEG = (-68.0, 3.0)  # mean, sd of the lowest foot pitch, early swing
SWING_MIN_PITCH_RANGE_DEG = (-75.0, -61.0)
LAST_STEPS_AFTER_S = 0.5  # after a stop begins, the next two contacts are the last ones
LAST_CONTACT_HOLD_S = 1.0e5  # a last contact's extra stance time: the foot stays down
REARFOOT_MIN_DEG = 8.0  # Altman & Davis (2012) thresholds
FOREFOOT_MAX_DEG = -1.6
STEP_SEED_KEY = 0x5E


def strike_label(fsa_deg: float) -> str:
    """Altman & Davis: rearfoot FSA > 8°, forefoot FSA < -1.6°, midfoot in between."""
    if fsa_deg > REARFOOT_MIN_DEG:
        return "rearfoot"
    if fsa_deg < FOREFOOT_MAX_DEG:
        return "forefoot"
    return "midfoot"


@dataclass(frozen=True)
class StepArrays:
    """Parameters of consecutive steps, one entry per step (all arrays the same length)."""

    index: IntArray
    ic_s: FloatArray  # initial contact time
    dur_s: FloatArray  # time to the next step's contact (either foot)
    prev_dur_s: FloatArray  # time since the previous step's contact
    contact_s: FloatArray  # contact (stance) duration
    fsa_deg: FloatArray  # foot pitch at contact, + toes up
    style: IntArray  # index into STRIKES, VIRTUAL_STYLE for the standing steps
    swing_min_pitch_deg: FloatArray  # lowest foot pitch, just after toe-off (negative)
    land_x_m: FloatArray  # forward position of the flat foot during this stance
    hold_s: FloatArray  # extra time flat on the ground before heel-off (0 but for last steps)

    def __len__(self) -> int:
        return int(self.ic_s.shape[0])

    @property
    def is_real(self) -> NDArray[np.bool_]:
        """False for the virtual (standing) steps."""
        return np.asarray(self.style != VIRTUAL_STYLE)

    def take(self, sel: slice | IntArray) -> StepArrays:
        return StepArrays(**{f.name: getattr(self, f.name)[sel] for f in fields(self)})

    @staticmethod
    def concat(parts: list[StepArrays]) -> StepArrays:
        names = [f.name for f in fields(StepArrays)]
        return StepArrays(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})


class StepSchedule:
    """Step parameters for any time, generated on demand with bounded memory."""

    def __init__(
        self,
        profile: RunnerProfile,
        seed: int,
        timing: RunTiming,
        *,
        block_size: int = 128,
        max_blocks: int = 8,
        stream: int = 0,
    ) -> None:
        self.profile = profile
        self.seed = seed
        self.stream = stream  # > 0: another series of steps from the same seed
        self.timing = timing
        self.block_size = block_size
        self.max_blocks = max_blocks
        self._virtual = self._virtual_steps()
        self._blocks: deque[StepArrays] = deque()
        self._lock = threading.Lock()  # pods may be sampled from different threads
        self._reset()

    @property
    def cached_steps(self) -> int:
        """How many generated steps are held in memory."""
        return sum(len(b) for b in self._blocks)

    def span(self, t_lo_s: float, t_hi_s: float, pad: int = 3) -> StepArrays:
        """Steps from ``pad`` before the last contact at or before ``t_lo_s`` to ``pad`` after
        the last contact at or before ``t_hi_s``."""
        with self._lock:
            return self._span(t_lo_s, t_hi_s, pad)

    def _span(self, t_lo_s: float, t_hi_s: float, pad: int) -> StepArrays:
        if self._needs_replay(t_lo_s, pad):
            self._reset()
        while not self._ended and self._steps_after(t_hi_s) <= pad:
            self._blocks.append(self._draw_block())
        self._trim(t_lo_s, pad)
        parts = [self._virtual] if self._blocks[0].index[0] == 0 else []
        steps = StepArrays.concat(parts + list(self._blocks))
        lo = max(int(np.searchsorted(steps.ic_s, t_lo_s, side="right")) - 1 - pad, 0)
        hi = min(int(np.searchsorted(steps.ic_s, t_hi_s, side="right")) + pad, len(steps))
        return steps.take(slice(lo, hi))

    def _reset(self) -> None:
        key = [self.seed, STEP_SEED_KEY] + ([self.stream] if self.stream else [])
        self._rng = np.random.default_rng(key)
        self._ended = False
        self._blocks.clear()
        self._next_index = 0
        self._next_ic_s = self.timing.first_ic_s
        self._prev_dur_s = self.profile.step_period_s
        self._prev_to_s = self._virtual.ic_s + self._virtual.contact_s  # of the last two steps
        self._blocks.append(self._draw_block())

    def _needs_replay(self, t_lo_s: float, pad: int) -> bool:
        first = self._blocks[0]
        return bool(first.index[0] > 0 and first.ic_s[pad] > t_lo_s)

    def _steps_after(self, t_s: float) -> int:
        last = self._blocks[-1]
        return len(last) - int(np.searchsorted(last.ic_s, t_s, side="right"))

    def _trim(self, t_lo_s: float, pad: int) -> None:
        """Drop old blocks beyond ``max_blocks`` that the current query does not need."""
        while len(self._blocks) > self.max_blocks and self._blocks[1].ic_s[pad] <= t_lo_s:
            self._blocks.popleft()

    def _draw_block(self) -> StepArrays:
        """The next block of steps; with a stop, the block holding the last steps ends there."""
        block = self._draw_steps()
        if self.timing.stop_s is None:
            return block
        cutoff = self.timing.stop_s + LAST_STEPS_AFTER_S
        if block.ic_s[-1] < cutoff:
            return block
        last = int(np.searchsorted(block.ic_s, cutoff)) + 1  # the second of the last two
        if last >= len(block):
            block = StepArrays.concat([block, self._draw_steps()])
        self._ended = True
        return self._ending(block.take(slice(0, last + 1)))

    def _ending(self, steps: StepArrays) -> StepArrays:
        """Make the final two steps the last (flat, virtual) contacts and add the two closing
        virtual steps."""
        period = self.profile.step_period_s
        hold, fsa, style = steps.hold_s.copy(), steps.fsa_deg.copy(), steps.style.copy()
        hold[-2:], fsa[-2:], style[-2:] = LAST_CONTACT_HOLD_S, 0.0, VIRTUAL_STYLE
        dur = steps.dur_s.copy()
        dur[-1] = LAST_CONTACT_HOLD_S + 2.0 * period  # the feet leave no earlier than this
        closing = replace(
            self._virtual_steps(),
            index=steps.index[-1] + np.array([1, 2], dtype=np.int64),
            ic_s=steps.ic_s[-1] + dur[-1] + period * np.array([0.0, 1.0]),
            prev_dur_s=np.array([dur[-1], period]),
            land_x_m=steps.land_x_m[-2:],
        )
        last = replace(steps, hold_s=hold, dur_s=dur, fsa_deg=fsa, style=style)
        return StepArrays.concat([last, closing])

    def _draw_steps(self) -> StepArrays:
        p, n = self.profile, self.block_size
        z = self._rng.standard_normal((n, 3))
        style_u = self._rng.random(n)
        dur = p.step_period_s * np.clip(1.0 + p.step_time_cv * z[:, 0], 0.9, 1.1)
        contact = p.contact_ms / 1000.0 * np.clip(1.0 + p.contact_cv * z[:, 1], 0.85, 1.15)
        style, fsa = self._draw_strikes(style_u, z[:, 2])
        min_pitch = np.clip(
            SWING_MIN_PITCH_DEG[0] + SWING_MIN_PITCH_DEG[1] * self._rng.standard_normal(n),
            *SWING_MIN_PITCH_RANGE_DEG,
        )
        ic = self._next_ic_s + np.concatenate([[0.0], np.cumsum(dur)[:-1]])
        prev_dur = np.concatenate([[self._prev_dur_s], dur[:-1]])
        index = np.arange(self._next_index, self._next_index + n, dtype=np.int64)
        self._next_index += n
        self._next_ic_s = float(ic[-1] + dur[-1])
        self._prev_dur_s = float(dur[-1])
        swing_from_s = np.concatenate([self._prev_to_s, ic + contact])[:n]  # same foot's TO
        self._prev_to_s = ic[-2:] + contact[-2:]
        land_x = self._landing_x_m(ic + 0.5 * contact, swing_from_s)
        hold = np.zeros(n)
        return StepArrays(index, ic, dur, prev_dur, contact, fsa, style, min_pitch, land_x, hold)

    def _landing_x_m(self, mid_stance_s: FloatArray, swing_from_s: FloatArray) -> FloatArray:
        """Where each foot lands: under the body at mid-stance. A stopping runner lands short,
        but only on the swings that begin after the stop (so nothing before it changes)."""
        speed = self.profile.speed_mps
        x = self.timing.forward_m(mid_stance_s, speed)
        stop_s = self.timing.stop_s
        if stop_s is None:
            return x
        running = replace(self.timing, stop_s=None).forward_m(mid_stance_s, speed)
        return np.asarray(np.where(swing_from_s < stop_s, running, x), dtype=np.float64)

    def _draw_strikes(self, style_u: FloatArray, z: FloatArray) -> tuple[IntArray, FloatArray]:
        p = self.profile
        if p.strike_style != "mixed":
            style = np.full(len(z), STRIKES.index(p.strike_style), dtype=np.int64)
            return style, p.fsa_mean_deg + p.fsa_sd_deg * z
        style = np.searchsorted(np.cumsum(MIXED_STYLE_P)[:-1], style_u, side="right")
        mean = np.array([STYLE_FSA_DEG[s][0] for s in STRIKES])[style]
        sd = np.array([STYLE_FSA_DEG[s][1] for s in STRIKES])[style]
        return style.astype(np.int64), mean + sd * z

    def _virtual_steps(self) -> StepArrays:
        period = self.profile.step_period_s
        contact = self.profile.contact_ms / 1000.0
        one = np.ones(2)
        return StepArrays(
            index=np.array([-2, -1], dtype=np.int64),
            ic_s=self.timing.first_ic_s + period * np.array([-2.0, -1.0]),
            dur_s=period * one,
            prev_dur_s=period * one,
            contact_s=contact * one,
            fsa_deg=0.0 * one,
            style=np.full(2, VIRTUAL_STYLE, dtype=np.int64),
            swing_min_pitch_deg=SWING_MIN_PITCH_DEG[0] * one,
            land_x_m=0.0 * one,
            hold_s=0.0 * one,
        )
