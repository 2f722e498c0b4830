"""Faults a simulated pod can be told to have: lost packets, silences, link drops."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaultPlan:
    """Times are session seconds; a window is ``(start_s, duration_s)``.

    ``drop_probability`` loses single notifications over the air (their samples vanish);
    during a silence the pod is connected but sends nothing; during a disconnect the link is
    down, the pod is reported lost at once and reconnects when the window ends.
    """

    drop_probability: float = 0.0
    silences: tuple[tuple[float, float], ...] = ()
    disconnects: tuple[tuple[float, float], ...] = ()

    def silent_at(self, t_s: float) -> bool:
        return _inside(self.silences, t_s)

    def disconnected_at(self, t_s: float) -> bool:
        return _inside(self.disconnects, t_s)


def _inside(windows: tuple[tuple[float, float], ...], t_s: float) -> bool:
    return any(start <= t_s < start + duration for start, duration in windows)


NO_FAULTS = FaultPlan()
