"""Turns a running session's LSL streaming on and off without restarting its processing.

``LslSwitch`` wraps the engine's pipeline in an ``LslTeePipeline`` (the same pipeline
object inside, so every result and the calibration so far are kept) and unwraps it again.
Sessions whose processing is rebuilt (pods came or went: a new ``LiveSession``) are
followed by calling ``follow`` with the current one, e.g. once per UI status tick: the new
engine is wrapped, and the outlets are reopened if the set of pods changed. A replay seek
restarts the pipeline on the I/O loop; ``watch_replay`` hooks that restart so it sees the
plain pipeline (and carries its calibration over) and gets the tee back before any pod
plays on. No Qt here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from drivers.types import PodInfo
from processing.engine import Engine
from processing.exports.lsl_tee import GaitFeed, LslTeePipeline
from processing.live_session import LiveSession
from processing.replay_session import ReplaySession

log = logging.getLogger(__name__)


class ClosableFeed(GaitFeed, Protocol):
    def close(self) -> None: ...


FeedFactory = Callable[[Sequence[PodInfo]], ClosableFeed]


class LslSwitch:
    """Streams the session's pods and gait events through ``open_feed(pods)`` while on."""

    def __init__(self, open_feed: FeedFactory) -> None:
        self.open_feed = open_feed
        self.enabled = False
        self.feed: ClosableFeed | None = None
        self._pods: tuple[PodInfo, ...] = ()
        self._engine: Engine | None = None
        self._lock = threading.RLock()

    @property
    def pods(self) -> tuple[PodInfo, ...]:
        """The pods streamed now (none while off)."""
        return self._pods

    def set_enabled(self, enabled: bool, session: LiveSession | None) -> None:
        """Start (opening the outlets) or stop (closing them) streaming ``session``.
        Raises what opening the outlets raises; the switch is then off."""
        with self._lock:
            self.enabled = enabled
            if not enabled:
                self._detach()
                return
            try:
                self.follow(session)
            except Exception:
                self.enabled = False
                self._detach()
                raise

    def follow(self, session: LiveSession | None) -> bool:
        """While on, make sure ``session``'s engine runs through the tee; True if it had to
        be (re)attached."""
        with self._lock:
            if not self.enabled or session is None:
                return False
            engine = session.engine
            pipeline = engine.pipeline
            if isinstance(pipeline, LslTeePipeline) and pipeline.feed is self.feed:
                return False
            pods = tuple(source.info for source in session.sources)
            if self.feed is None or pods != self._pods:
                self._close_feed()
                self.feed = self.open_feed(pods)
                self._pods = pods
            engine.pipeline = LslTeePipeline(pipeline, self.feed)
            self._engine = engine
            return True

    def watch_replay(self, session: ReplaySession) -> None:
        """Keep the tee across the replay's seeks and loop wraps (see the module doc)."""
        restart = session.clock.on_jump

        def on_jump() -> None:
            with self._lock:
                _unwrap(session.engine)
                if restart is not None:
                    restart()
                self.follow(session)

        session.clock.on_jump = on_jump

    def close(self) -> None:
        self.set_enabled(False, None)

    def _detach(self) -> None:
        if self._engine is not None:
            _unwrap(self._engine)
            self._engine = None
        self._close_feed()

    def _close_feed(self) -> None:
        feed, self.feed, self._pods = self.feed, None, ()
        if feed is not None:
            try:
                feed.close()
            except Exception:  # closing must not stop the app
                log.exception("closing the LSL outlets failed")


def _unwrap(engine: Engine) -> None:
    pipeline = engine.pipeline
    if isinstance(pipeline, LslTeePipeline):
        engine.pipeline = pipeline.inner
