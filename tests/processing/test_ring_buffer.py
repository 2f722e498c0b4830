"""Ring buffer: wrap-around, the two reads, overflow accounting."""

from __future__ import annotations

import threading

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from processing.ring_buffer import RingBuffer


def rows(start: int, n: int) -> np.ndarray:
    return np.column_stack([np.arange(start, start + n), -np.arange(start, start + n)]).astype(
        float
    )


def test_consume_returns_everything_new_in_order() -> None:
    buffer = RingBuffer(10, 2)
    buffer.append(rows(0, 4))
    first = buffer.consume(0)
    buffer.append(rows(4, 3))
    second = buffer.consume(first.cursor)
    np.testing.assert_array_equal(np.vstack([first.rows, second.rows]), rows(0, 7))
    assert second.cursor == 7 and second.lost == 0


def test_latest_wraps_and_keeps_order() -> None:
    buffer = RingBuffer(5, 2)
    buffer.append(rows(0, 12))
    np.testing.assert_array_equal(buffer.latest(3), rows(9, 3))
    np.testing.assert_array_equal(buffer.latest(100), rows(7, 5))


def test_overflow_is_counted_not_silent() -> None:
    buffer = RingBuffer(5, 2)
    buffer.append(rows(0, 3))
    buffer.append(rows(3, 6))
    result = buffer.consume(0)
    assert result.lost == 4
    np.testing.assert_array_equal(result.rows, rows(4, 5))
    assert buffer.overflowed_rows == 4


def test_empty_reads() -> None:
    buffer = RingBuffer(4, 3)
    assert buffer.consume(0).rows.shape == (0, 3)
    assert buffer.latest(2).shape == (0, 3)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 17), st.lists(st.integers(0, 30), max_size=30))
def test_matches_a_list_model(capacity: int, sizes: list[int]) -> None:
    buffer, model, cursor, seen, lost = RingBuffer(capacity, 2), [], 0, [], 0
    for i, n in enumerate(sizes):
        block = rows(len(model), n)
        buffer.append(block)
        model.extend(block.tolist())
        if i % 2:
            result = buffer.consume(cursor)
            cursor, lost = result.cursor, lost + result.lost
            seen.extend(result.rows.tolist())
        np.testing.assert_array_equal(
            buffer.latest(capacity), np.array(model[-capacity:]).reshape(-1, 2)
        )
    assert len(seen) + lost == cursor
    if lost == 0:
        assert seen == model[:cursor]


def test_concurrent_writer_and_reader_lose_nothing_when_fast_enough() -> None:
    buffer = RingBuffer(100_000, 2)
    total = 20_000

    def write() -> None:
        for k in range(0, total, 10):
            buffer.append(rows(k, 10))

    writer = threading.Thread(target=write)
    writer.start()
    cursor, got = 0, []
    while cursor < total:
        result = buffer.consume(cursor)
        cursor = result.cursor
        got.append(result.rows)
    writer.join()
    np.testing.assert_array_equal(np.vstack(got), rows(0, total))
