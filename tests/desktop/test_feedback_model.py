"""The feedback bar's Qt-free model across a replay seek: the board's time jumps."""

from __future__ import annotations

import pytest
from desktop_fakes import publish, strike

from desktop.feedback.model import LiveFeedback
from processing.board import MetricsBoard
from processing.events import Side, StepEvent, StrikeType
from processing.feedback import FeedbackSettings


def feed(model: LiveFeedback, board: MetricsBoard, times: list[float]) -> int:
    cues = 0
    for t in times:
        publish(board, [strike(Side.LEFT, t, 14.0), strike(Side.RIGHT, t + 0.35, 2.0)])
        cues += len(model.pull(board).cues)
    return cues


def test_a_seek_carries_the_running_schedule_over_to_the_new_position() -> None:
    board = MetricsBoard()
    settings = FeedbackSettings(schedule="faded", block_min=0.1, retention=False)  # 6 s blocks
    model = LiveFeedback(settings)
    model.pull(board)
    model.start(100.0)
    given = feed(model, board, [100.0 + k for k in range(8)])  # into the second block
    before = model.status(107.5)
    assert before is not None and before.index == 1 and given == len(model.given) > 0
    board.reset()  # seek back to 20 s
    feed(model, board, [20.0 + k for k in range(3)])
    after = model.status(22.5)  # 2.5 s of replay after the seek
    assert after is not None and after.index == 1  # still the second block, not the first
    # the last event before the seek (107.35 s) and the first after it (20 s) are one moment
    assert after.elapsed_s == pytest.approx(107.35 + 2.5 - 106.0)
    tallies = model.controller.tallies if model.controller is not None else []
    assert sum(t.given for t in tallies) == len(model.given)  # nothing lost across the seek


def test_a_seek_while_stopped_starts_nothing_and_symmetry_starts_over() -> None:
    board = MetricsBoard()
    model = LiveFeedback(FeedbackSettings(schedule="constant", retention=False))
    publish(board, [StepEvent(Side.LEFT, 10.0, 10.25, 14.0, StrikeType.REARFOOT),
                    StepEvent(Side.RIGHT, 10.35, 10.6, 2.0, StrikeType.MIDFOOT)])  # fmt: skip
    assert feed(model, board, [10.0, 11.0]) == 0
    assert model.symmetry.value().fsa_diff_deg == 12.0
    board.reset()
    assert feed(model, board, [5.0, 6.0]) == 0
    assert not model.running and model.controller is None
    assert model.symmetry.value().fsa_diff_deg is None
