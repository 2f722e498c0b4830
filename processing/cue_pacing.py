"""When a fault outside its band becomes a *due* cue: persistence and spacing.

Judged per step or stride, a runner with a real fault is outside the band at every step
(about 3 strikes and 3 strides a second), and a runner whose mean sits at a band's edge
is outside it at random steps. Cueing either way floods the runner: the banner never
leaves and the tone becomes noise. Two rules, from the motor-learning and gait-retraining
literature, make a cue mean "this fault persists" and leave time to act on it:

* **Summary / bandwidth over gait cycles**: a kind of cue is due only when most of the
  last ``summary_n`` values of that kind on that side were outside the band
  (``summary_min`` of them; 3 of 5 by default, about 5 gait cycles as in summary feedback
  given every 5 gait cycles). One stray step is not a fault; a value sitting on the edge
  seldom is.
* **Spacing**: at most one due cue every ``min_gap_s`` (3 s: the banner shows for about
  1.5 s, then the traces are clear for as long), and the same kind of cue at most every
  ``kind_gap_s`` (6 s), so a second fault gets its turn between two of the first.

Spacing decides what is *due*; the schedule (``processing.feedback``) then gives a share
of the due cues (faded feedback gives every other due cue at 50%, so the runner hears one
cue every two spacings).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

SUMMARY_N = 5
SUMMARY_MIN = 3
MIN_GAP_S = 3.0
KIND_GAP_S = 6.0


@dataclass(frozen=True)
class CuePacing:
    """How persistent a fault must be, and how far apart due cues are (seconds)."""

    summary_n: int = SUMMARY_N
    summary_min: int = SUMMARY_MIN
    min_gap_s: float = MIN_GAP_S
    kind_gap_s: float = KIND_GAP_S

    def __post_init__(self) -> None:
        if not 1 <= self.summary_min <= self.summary_n:
            raise ValueError("summary_min must be between 1 and summary_n")
        if self.min_gap_s < 0 or self.kind_gap_s < 0:
            raise ValueError("cue gaps must not be negative")

    @classmethod
    def every_fault(cls) -> CuePacing:
        """No pacing: every value outside its band is a due cue (the raw bandwidth rule)."""
        return cls(summary_n=1, summary_min=1, min_gap_s=0.0, kind_gap_s=0.0)

    @classmethod
    def spaced(cls, gap_s: float) -> CuePacing:
        """The default persistence with cues at least ``gap_s`` apart (a kind ``2 × gap_s``)."""
        return cls(min_gap_s=gap_s, kind_gap_s=2.0 * gap_s)


@dataclass
class CuePacer:
    """Keeps the recent in/out-of-band history per (kind, side) and the last due times."""

    pacing: CuePacing = field(default_factory=CuePacing)
    _recent: dict[tuple[str, str], deque[bool]] = field(default_factory=dict)
    _last_kind_s: dict[str, float] = field(default_factory=dict)
    _last_s: float | None = None

    def admit(self, kind: str, side: str, t_s: float, outside: bool) -> bool:
        """Note one value of ``kind`` on ``side`` at ``t_s`` (``outside`` its band); whether
        it makes a cue due now."""
        recent = self._window(kind, side)
        recent.append(outside)
        if not outside or sum(recent) < self.pacing.summary_min:
            return False
        if self._last_s is not None and t_s - self._last_s < self.pacing.min_gap_s:
            return False
        last_kind = self._last_kind_s.get(kind)
        if last_kind is not None and t_s - last_kind < self.pacing.kind_gap_s:
            return False
        self._last_s = t_s
        self._last_kind_s[kind] = t_s
        return True

    def shift(self, dt_s: float) -> None:
        """Move the last due times by ``dt_s`` (a replay jump moved session time)."""
        if self._last_s is not None:
            self._last_s += dt_s
        self._last_kind_s = {k: t + dt_s for k, t in self._last_kind_s.items()}

    def _window(self, kind: str, side: str) -> deque[bool]:
        recent = self._recent.get((kind, side))
        if recent is None or recent.maxlen != self.pacing.summary_n:
            recent = deque(recent or (), maxlen=self.pacing.summary_n)
            self._recent[(kind, side)] = recent
        return recent
