"""Session-clock seconds to LSL time.

LSL stamps samples in ``pylsl.local_clock()`` seconds (a monotonic clock of the host);
gaitdeck stamps them on the session clock (``drivers.clock.SessionClock``: seconds since the
session started, on the host's monotonic clock). The two differ by a constant, measured once
when the outlet starts: ``lsl_s = session_s + offset_s``. Measuring reads the LSL clock on
both sides of one session-clock reading, a few times, and keeps the tightest bracket, so the
offset is good to a few microseconds. It is not re-measured later: both clocks are the same
monotonic host clock (or run at the same rate), so the offset does not drift, and keeping it
fixed keeps stream time stamps consistent with each other over the session.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pylsl

from drivers.types import FloatArray

TRIES = 5


class LslTimeMap:
    """``to_lsl(session_s) = session_s + offset_s``, the offset measured at construction."""

    def __init__(
        self,
        session_now_s: Callable[[], float],
        lsl_now_s: Callable[[], float] = pylsl.local_clock,
        tries: int = TRIES,
    ) -> None:
        self.offset_s, self.uncertainty_s = measure_offset(session_now_s, lsl_now_s, tries)

    def to_lsl(self, t_s: FloatArray) -> FloatArray:
        return np.asarray(t_s, dtype=np.float64) + self.offset_s

    def to_lsl_s(self, t_s: float) -> float:
        return float(t_s) + self.offset_s


def measure_offset(
    session_now_s: Callable[[], float], lsl_now_s: Callable[[], float], tries: int = TRIES
) -> tuple[float, float]:
    """(offset of the LSL clock from the session clock, half the width of the bracket), from
    the tightest of ``tries`` LSL–session–LSL readings."""
    best: tuple[float, float] | None = None
    for _ in range(max(1, tries)):
        before = lsl_now_s()
        session = session_now_s()
        after = lsl_now_s()
        half_width = 0.5 * (after - before)
        if best is None or half_width < best[1]:
            best = (0.5 * (before + after) - session, half_width)
    assert best is not None
    return best
