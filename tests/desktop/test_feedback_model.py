"""The feedback bar's Qt-free model across a replay seek: the board's time jumps."""

from __future__ import annotations

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


def test_a_seek_restarts_the_running_block_at_the_new_position() -> None:
    board = MetricsBoard()
    model = LiveFeedback(FeedbackSettings(schedule="constant", retention=False))
    model.pull(board)
    model.start(100.0)
    assert feed(model, board, [100.0 + k for k in range(10)]) == 10
    board.reset()  # seek back to 20 s
    assert feed(model, board, [20.0 + k for k in range(6)]) == 6  # cues go on
    status = model.status(25.5)
    assert status is not None and round(status.elapsed_s, 6) == 5.5  # block from 20 s
    assert len(model.given) == 16  # the cues before the seek are kept


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
