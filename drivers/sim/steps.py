"""The lazy, seeded schedule of steps: when each foot lands, how long it stays, how it strikes.

Steps are numbered from 0; even steps are right-foot contacts, odd ones left. Two virtual
steps (-2 right, -1 left) precede them: flat-footed "contacts" during standing that give each
foot a toe-off to start its first swing from. Step parameters are drawn in blocks, in step
order, from one Generator seeded by the model's seed, so the schedule is the same however it
is queried. Only a bounded window of blocks is kept; asking for times before the window
replays the generator from the start (cheap: microseconds per step).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, fields

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

    def __len__(self) -> int:
        return int(self.ic_s.shape[0])

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
    ) -> None:
        self.profile = profile
        self.seed = seed
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
        while self._steps_after(t_hi_s) <= pad:
            self._blocks.append(self._draw_block())
        self._trim(t_lo_s, pad)
        parts = [self._virtual] if self._blocks[0].index[0] == 0 else []
        steps = StepArrays.concat(parts + list(self._blocks))
        lo = max(int(np.searchsorted(steps.ic_s, t_lo_s, side="right")) - 1 - pad, 0)
        hi = min(int(np.searchsorted(steps.ic_s, t_hi_s, side="right")) + pad, len(steps))
        return steps.take(slice(lo, hi))

    def _reset(self) -> None:
        self._rng = np.random.default_rng([self.seed, STEP_SEED_KEY])
        self._blocks.clear()
        self._next_index = 0
        self._next_ic_s = self.timing.first_ic_s
        self._prev_dur_s = self.profile.step_period_s
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
        land_x = self.timing.forward_m(ic + 0.5 * contact, p.speed_mps)
        return StepArrays(index, ic, dur, prev_dur, contact, fsa, style, min_pitch, land_x)

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
        )
