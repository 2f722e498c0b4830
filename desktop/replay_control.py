"""The transport of a replay: play/pause, speed, seek and loop over a ``ReplaySession``.

The position the window shows is read on the replay's I/O loop, not on the GUI thread:
reading the clock is what wraps a loop, and a wrap restarts the processing, which must
happen where the pods run (``processing.replay_session``). Each ``poll`` asks the loop
for a fresh reading and returns the latest one it has (a frame old at most). At the end of
the recording the transport pauses; Play then starts again from the beginning. No Qt here.

Positions are seconds from the recording's start (``ReplaySession.origin_s`` on the session
clock the file is stamped with), the time base of ``gaitdeck info``, the report and the
exports, so a time read on the timeline is the time the report gives.
"""

from __future__ import annotations

import math
from pathlib import Path

from drivers.errors import GaitdeckError
from drivers.recording.reader import Recording
from drivers.replay.clock import SPEEDS
from processing.replay_session import ReplaySession

SPEED_CHOICES: tuple[float | None, ...] = (*SPEEDS, None)  # None: as fast as possible
END_MARGIN_S = 0.05


def replay_note(recording: Recording) -> str:
    """The status-bar note for a damaged recording ("" if it was closed cleanly)."""
    if recording.clean:
        return ""
    why = recording.problem or "no end record (the app stopped while recording)"
    return f"Salvaged recording: {why}; playing what was readable"


def open_replay(path: Path, speed: float | None = 1.0) -> ReplaySession:
    """A replay session over ``path``; raises GaitdeckError (one line) if it cannot be."""
    recording = Recording(path)
    if not recording.header.pods or len(recording.index) == 0:
        recording.close()
        raise GaitdeckError(f"{path} holds no samples to play")
    return ReplaySession(recording, speed=speed)


def speed_text(speed: float | None) -> str:
    return "max" if speed is None else f"{speed:g}×"


def format_clock(t_s: float) -> str:
    """``m:ss.s`` (``h:mm:ss`` from an hour)."""
    t_s = max(0.0, t_s) if math.isfinite(t_s) else 0.0
    if t_s >= 3600:
        whole = int(t_s)
        return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    minutes, seconds = divmod(t_s, 60.0)
    return f"{int(minutes)}:{seconds:04.1f}"


class ReplayControl:
    """Drives ``session``'s playback clock; positions are seconds from the recording's
    start."""

    def __init__(self, session: ReplaySession) -> None:
        self.session = session
        self.clock = session.clock
        self.origin_s = session.origin_s  # the recording's zero on the session clock
        self.start_s = session.start_s(session.recording) - self.origin_s
        self.end_s = max(session.end_s - self.origin_s, self.start_s)
        self.loop_start_s: float | None = None  # "set A" before "set B"
        self._position_s = self.clock.origin_s  # session clock
        self.at_end = False

    # ------------------------------------------------------------------------ state
    @property
    def playing(self) -> bool:
        return not self.clock.paused

    @property
    def speed(self) -> float | None:
        return self.clock.speed

    @property
    def loop(self) -> tuple[float, float] | None:
        loop = self.clock.loop
        return None if loop is None else (loop[0] - self.origin_s, loop[1] - self.origin_s)

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def markers(self) -> list[tuple[float, str]]:
        return [(t - self.origin_s, text) for t, text in self.session.markers()]

    def poll(self) -> float:
        """The latest position (clamped to the recording); pauses at the end."""
        loop = self.session.io.loop
        if loop.is_running():
            loop.call_soon_threadsafe(self._read_position)
        else:  # not started: nothing plays, so reading here cannot race a pod
            self._read_position()
        position = self._position_s - self.origin_s
        if self.playing and self.loop is None and position >= self.end_s - END_MARGIN_S:
            self.clock.pause()
            self.at_end = True
        return min(max(position, self.start_s), self.end_s)

    def _read_position(self) -> None:
        self._position_s = self.clock.position_s()

    # --------------------------------------------------------------------- commands
    def play(self) -> None:
        if self.at_end and self.loop is None:
            self.seek(self.start_s)
        self.at_end = False
        self.clock.resume()

    def pause(self) -> None:
        self.clock.pause()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def set_speed(self, speed: float | None) -> None:
        self.clock.set_speed(speed)

    def seek(self, t_s: float) -> None:
        """Play from ``t_s`` with fresh processing (the panels start over)."""
        t_s = min(max(t_s, self.start_s), self.end_s)
        self.at_end = False
        self.session.seek(t_s + self.origin_s)
        self._position_s = t_s + self.origin_s

    def set_loop(self, a_s: float, b_s: float) -> None:
        """Loop [a, b) (either order); a range under 0.2 s is ignored."""
        low, high = sorted((min(max(a_s, self.start_s), self.end_s), min(b_s, self.end_s)))
        if high - low < 0.2:
            return
        self.loop_start_s = None
        self.at_end = False
        self.session.set_loop(low + self.origin_s, high + self.origin_s)
        self._position_s = low + self.origin_s

    def mark_a(self) -> float:
        """Remember the current position as the loop start (B then sets the loop)."""
        self.loop_start_s = self.poll()
        return self.loop_start_s

    def mark_b(self) -> bool:
        """Loop from A to the current position; False if there is no A before it."""
        a_s = self.loop_start_s
        b_s = self.poll()
        if a_s is None or b_s - a_s < 0.2:
            return False
        self.set_loop(a_s, b_s)
        return True

    def clear_loop(self) -> None:
        self.loop_start_s = None
        self.clock.clear_loop()
