"""Waiting in tests for a session's threads: poll a condition until it holds or time runs out;
a whole recording replayed as fast as it goes."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from drivers.recording import Recording
from drivers.types import PodState
from processing.replay_session import ReplaySession


def wait(condition: Callable[[], bool], timeout_s: float, poll_s: float = 0.01) -> bool:
    """Whether ``condition`` held within ``timeout_s`` (checked once more at the end)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll_s)
    return condition()


def replayed(path: Path) -> tuple[list[object], float]:
    """Every event the replay of ``path`` published (as fast as it can), and its time zero."""
    with Recording(path) as rec:
        session = ReplaySession(rec, speed=None)
        session.start()
        try:
            assert wait(lambda: all(s.stats.state is PodState.STOPPED for s in session.sources), 30)
            assert wait(lambda: session.engine.backlog_s() == 0.0, 60)
            time.sleep(0.3)
        finally:
            session.stop()
    events, _ = session.board.events_since(0)
    return list(events), session.origin_s
