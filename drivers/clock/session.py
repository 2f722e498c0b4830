"""The session clock: seconds since the session started, from the host's monotonic clock."""

from __future__ import annotations

import time


class SessionClock:
    """Seconds since the session started, from the host's monotonic clock."""

    def __init__(self, start_ns: int | None = None) -> None:
        self.start_ns = time.monotonic_ns() if start_ns is None else start_ns

    def now_s(self) -> float:
        return (time.monotonic_ns() - self.start_ns) * 1e-9

    def to_session_s(self, monotonic_ns: int) -> float:
        return (monotonic_ns - self.start_ns) * 1e-9
