"""Which jolt is the landing: a contact waits for a much stronger jolt before it is published.

A foot turns toes-down fast just before it lands (its pitch peaks tens of ms before the sole
touches), which can jolt a shoe pod enough to fire a contact; the landing's own jolt is an
order of magnitude stronger and may come up to ~90 ms later at 100 Hz, where a soft
midfoot or forefoot landing's jolt builds up over several samples. A heel strike and the
forefoot slap after it are both impacts, within a few times of each other.

So a contact waits up to ``settle_s``: a jolt ``dominance`` times stronger in that time is
the landing, and the contact moves to it. To keep the live strike quick, a contact whose own
jolt (its first ``JOLT_S``) already reaches ``CONFIRM_FRACTION`` of the recent landings'
level is published at once. That level is learnt only from contacts that waited their whole
time, and from a stronger jolt seen after a contact published early: a pre-contact jolt taken
for a landing cannot teach the level that lets the next one through.

Every decision depends only on samples up to the one it is taken at, so streaming equals
offline whatever the chunking.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from drivers.types import FloatArray
from processing.stages.gait_phases import ContactEvent

JOLT_S = 0.03  # a landing's jolt peaks within this time of its first sample
CONFIRM_FRACTION = 0.8
"""A contact whose jolt reaches this fraction of the landings' level is published at once."""
LANDINGS_KEPT = 5  # the landings' level is the median peak of this many recent landings


@dataclass
class _Waiting:
    """A contact waiting for a stronger jolt: its event, when its jolt fired, the jolt's
    level then and its peak level so far (over its first ``JOLT_S``)."""

    event: ContactEvent
    fire_s: float
    level: float
    peak: float


@dataclass
class _Watch:
    """After a contact published early: the strongest level until its waiting would have
    ended, to learn from if it shows the contact was a pre-contact jolt after all."""

    fire_s: float
    level: float
    strongest: float = 0.0


class LandingSettler:
    """The contact waiting to be published, and the landings' level (``landing_level_``)."""

    def __init__(self, settle_s: float, dominance: float) -> None:
        self.settle_s = settle_s
        self.dominance = dominance
        self.landing_level_ = 0.0
        self._landings: deque[float] = deque(maxlen=LANDINGS_KEPT)
        self.waiting: _Waiting | None = None
        self._watch: _Watch | None = None

    def wait(self, event: ContactEvent, fire_s: float, level: float) -> None:
        """``event``'s jolt fired at ``fire_s`` with ``level``: it waits from now on."""
        self._close_watch()
        self.waiting = _Waiting(event, fire_s, level, level)

    def check(self, t_s: FloatArray, level: FloatArray) -> tuple[int | None, list[ContactEvent]]:
        """Samples (times, impact levels) from where the stance goes on: the position of a
        stronger jolt to move the contact to (None if not), and the contacts published."""
        published: list[ContactEvent] = []
        waiting = self.waiting
        if waiting is not None:
            end = int(np.searchsorted(t_s, waiting.fire_s + self.settle_s, side="right"))
            stronger = np.flatnonzero(level[:end] > self.dominance * waiting.level)
            first = int(stronger[0]) if stronger.size else end
            if self._confirmed(waiting, t_s[:first], level[:first]):
                published.append(self._publish(early=True))
            elif stronger.size:
                return first, published
            elif end < t_s.size:
                published.append(self._publish(early=False))
        if self._watch is not None:
            self._observe(t_s, level)
        return None, published

    def flush(self) -> list[ContactEvent]:
        """The waiting contact, published now (a toe-off or a gap ends the wait)."""
        published = [self._publish(early=False)] if self.waiting is not None else []
        self._close_watch()
        return published

    def _confirmed(self, waiting: _Waiting, t_s: FloatArray, level: FloatArray) -> bool:
        """Updates the waiting jolt's peak; whether it reached the landings' level."""
        known = CONFIRM_FRACTION * self.landing_level_ if self.landing_level_ > 0 else np.inf
        jolt = int(np.searchsorted(t_s, waiting.fire_s + JOLT_S, side="right"))
        peaks = np.maximum.accumulate(np.maximum(level[:jolt], waiting.peak))
        reached = np.flatnonzero(peaks >= known)
        if peaks.size:  # the peak as of the confirming sample: no later sample counts
            waiting.peak = float(peaks[reached[0]] if reached.size else peaks[-1])
        return waiting.peak >= known

    def _publish(self, early: bool) -> ContactEvent:
        waiting = self.waiting
        assert waiting is not None
        self.waiting = None
        if early:
            self._watch = _Watch(waiting.fire_s, waiting.level)
        else:
            self._learn(waiting.peak)
        return waiting.event

    def _observe(self, t_s: FloatArray, level: FloatArray) -> None:
        watch = self._watch
        assert watch is not None
        end = int(np.searchsorted(t_s, watch.fire_s + self.settle_s, side="right"))
        if end:
            watch.strongest = max(watch.strongest, float(level[:end].max()))
        if end < t_s.size:
            self._close_watch()

    def _close_watch(self) -> None:
        watch, self._watch = self._watch, None
        if watch is not None and watch.strongest > self.dominance * watch.level:
            self._learn(watch.strongest)

    def _learn(self, peak: float) -> None:
        """A median, so one unusually hard landing (the first after standing) does not hold
        every later contact back for many steps."""
        self._landings.append(peak)
        self.landing_level_ = float(np.median(self._landings))
