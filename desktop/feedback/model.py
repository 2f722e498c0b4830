"""What the feedback bar runs, without Qt: the board's events from its own cursor fed to a
``FeedbackController`` while a feedback block runs, and always to the coordination
baseline and the left/right symmetry (``processing.reference``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from processing.board import MetricsBoard
from processing.events import GaitEvent, StepEvent, StrideEvent
from processing.feedback import (
    Cue,
    FeedbackController,
    FeedbackSettings,
    FeedbackStatus,
    feedback_status,
)
from processing.reference import CoordinationBaseline, SideSymmetry


def event_time_s(event: GaitEvent) -> float:
    if isinstance(event, StrideEvent):
        return event.end_s
    if isinstance(event, StepEvent):
        return event.to_s
    return event.ic_s


@dataclass
class PulledCues:
    cues: list[Cue]
    baseline_done: bool


class LiveFeedback:
    """Reads new events once per frame (``pull``); ``start``/``stop`` a feedback run."""

    def __init__(self, settings: FeedbackSettings | None = None) -> None:
        self.settings = settings or FeedbackSettings()
        self.controller: FeedbackController | None = None
        self.running = False
        self.cursor = 0
        self.latest_s = -math.inf  # newest event time seen (session time)
        self.baseline = CoordinationBaseline()
        self.symmetry = SideSymmetry()
        self.given: list[Cue] = []  # every cue of the current (or last) run
        self._board: MetricsBoard | None = None
        self._epoch = 0
        self._start_pending = False
        self._shift_pending = False  # a replay jump moves the running schedule
        self._jumped_from = -math.inf
        self.stopped_s: float | None = None  # session time the last run stopped

    def set_settings(self, settings: FeedbackSettings) -> None:
        """New cues, thresholds and cue gap apply at once; a new schedule from the next
        start."""
        self.settings = settings
        if self.controller is not None:
            self.controller.bands = settings.bands()
            self.controller.pacer.pacing = settings.pacing()

    def start(self, now_s: float) -> None:
        """Start a run at session time ``now_s`` (at the next event if it is unknown)."""
        self._start_pending = not math.isfinite(now_s)
        self._shift_pending = False
        start_s = now_s if math.isfinite(now_s) else 0.0
        self.controller = FeedbackController(
            self.settings.bands(), self.settings.make_schedule(), start_s,
            self.settings.pacing(),
        )  # fmt: skip
        self.given = []
        self.running = True
        self.stopped_s = None

    def stop(self, now_s: float) -> None:
        """End the run at session time ``now_s``; its status stays as it was then (the
        block it stopped in, its tallies), however much time passes after."""
        if self.running:
            self.stopped_s = now_s if math.isfinite(now_s) else self.latest_s
        self.running = False

    def pull(self, board: MetricsBoard) -> PulledCues:
        if board is not self._board:  # a new session (pods came or went): new baseline
            if self._board is not None:
                self.baseline.arm()
            self._board, self.cursor, self._epoch = board, 0, board.epoch
            self.symmetry.reset()
        elif board.epoch != self._epoch:  # a replay seek or loop: time jumped
            self._epoch = board.epoch
            self._time_jumped()
        events, self.cursor = board.events_since(self.cursor)
        done = False
        for event in events:
            done = self.baseline.add(event) or done
            self.symmetry.add(event)
            self.latest_s = max(self.latest_s, event_time_s(event))
        cues: list[Cue] = []
        if self.running and self.controller is not None and events:
            if self._start_pending:
                self.controller.start_s = event_time_s(events[0])
                self._start_pending = False
            elif self._shift_pending:
                self._shift_schedule(events[0])
            cues = self.controller.update(events)
            self.given.extend(cues)
        return PulledCues(cues, done)

    def _time_jumped(self) -> None:
        """Symmetry starts over; a running schedule carries on where it was (block, time in
        the block, tallies), moved to the first event after the jump."""
        self.symmetry.reset()
        self._jumped_from = self.latest_s
        self.latest_s = -math.inf
        if self.running:
            self._shift_pending = True

    def _shift_schedule(self, first: GaitEvent) -> None:
        assert self.controller is not None
        if math.isfinite(self._jumped_from):
            shift_s = event_time_s(first) - self._jumped_from
        else:  # nothing seen before the jump: the run starts here
            shift_s = event_time_s(first) - self.controller.start_s
        self.controller.start_s += shift_s
        self.controller.pacer.shift(shift_s)
        self._shift_pending = False

    def status(self, now_s: float) -> FeedbackStatus | None:
        """The run's status at ``now_s``; after ``stop``, at the moment it stopped."""
        if self.controller is None:
            return None
        if not self.running and self.stopped_s is not None and math.isfinite(self.stopped_s):
            now_s = self.stopped_s
        return feedback_status(self.controller, now_s if math.isfinite(now_s) else 0.0)
