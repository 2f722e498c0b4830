"""Input hygiene shared by every pod chain: malformed rows out, time strictly increasing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from drivers.types import FloatArray, SampleBlock

GAP_S = 0.2
"""A pause longer than this between consecutive samples is a gap: event detection restarts."""


def clean_block(block: SampleBlock, last_t_s: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The rows of ``block`` that are finite and strictly later than the previous kept one.

    Returns (t_s (n,), acc_g (n, 3), gyro_dps (n, 3)) as float64 arrays.
    """
    t_s, acc, gyro = block.t_s, block.acc_g, block.gyro_dps
    n = t_s.shape[0]
    if n == 0:
        return t_s, acc, gyro
    finite = bool(np.isfinite(acc).all() and np.isfinite(gyro).all() and np.isfinite(t_s).all())
    if finite and t_s[0] > last_t_s and (n == 1 or bool((t_s[1:] > t_s[:-1]).all())):
        return t_s, acc, gyro
    ok = np.isfinite(t_s) & np.isfinite(acc).all(axis=1) & np.isfinite(gyro).all(axis=1)
    t_s, acc, gyro = t_s[ok], acc[ok], gyro[ok]
    if t_s.size:
        increasing = t_s > np.maximum.accumulate(np.concatenate([[last_t_s], t_s[:-1]]))
        t_s, acc, gyro = t_s[increasing], acc[increasing], gyro[increasing]
    return t_s, acc, gyro


def gap_mask(t_s: FloatArray, last_t_s: float, gap_s: float = GAP_S) -> FloatArray:
    """Boolean (n,): True where a sample follows its predecessor by more than ``gap_s``."""
    previous = np.concatenate([[last_t_s], t_s[:-1]]) if t_s.size else t_s
    return np.asarray((t_s - previous) > gap_s)


def piece_length(remaining: int, count: int, next_check: int, max_len: int) -> int:
    """How many of the ``remaining`` samples a chain should take in its next piece.

    Chains take decisions at fixed sample counts (``next_check``, in samples appended so far;
    ``count`` now). Cutting every block into pieces of at most ``max_len`` samples that end
    at ``next_check`` makes each decision see the same data whatever the caller's chunking —
    the streaming-equals-offline contract. Small live blocks pass through whole.
    """
    take = min(remaining, max_len)
    if next_check > count:
        take = min(take, next_check - count)
    return max(take, 1)


def pieces(block: SampleBlock, next_take: Callable[[int], int]) -> Iterator[SampleBlock]:
    """Cut ``block`` into consecutive pieces. ``next_take(remaining)`` is asked before each
    piece, after the previous one was processed, so it may depend on the chain's state."""
    start = 0
    while start < len(block):
        take = next_take(len(block) - start)
        yield block.slice(start, start + take)
        start += take


def join_traces(
    traces: Sequence[tuple[FloatArray, FloatArray]], value_shape: tuple[int, ...]
) -> tuple[FloatArray, FloatArray]:
    """The (t_s, values) traces of consecutive pieces as one; empty arrays if there are none."""
    if not traces:
        return np.zeros(0), np.zeros(value_shape)
    return np.concatenate([t for t, _ in traces]), np.concatenate([v for _, v in traces])
