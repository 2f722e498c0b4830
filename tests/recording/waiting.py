"""Waiting in tests for a session's threads: poll a condition until it holds or time runs out."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait(condition: Callable[[], bool], timeout_s: float, poll_s: float = 0.01) -> bool:
    """Whether ``condition`` held within ``timeout_s`` (checked once more at the end)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll_s)
    return condition()
