"""Loopback helpers: open an inlet on a stream by source id, pull a known number of samples."""

from __future__ import annotations

import time

import pylsl

RESOLVE_TIMEOUT_S = 3.0
PULL_TIMEOUT_S = 5.0


def open_inlet(source_id: str) -> pylsl.StreamInlet:
    """An inlet on the stream with ``source_id``, subscribed before anything is pushed."""
    found = pylsl.resolve_byprop("source_id", source_id, 1, RESOLVE_TIMEOUT_S)
    assert found, f"stream {source_id} not found within {RESOLVE_TIMEOUT_S} s"
    inlet = pylsl.StreamInlet(found[0], recover=False)
    inlet.open_stream(RESOLVE_TIMEOUT_S)
    return inlet


def pull(inlet: pylsl.StreamInlet, count: int) -> tuple[list[list[object]], list[float]]:
    """Pull until ``count`` samples have arrived (or PULL_TIMEOUT_S has passed)."""
    samples: list[list[object]] = []
    stamps: list[float] = []
    deadline = time.monotonic() + PULL_TIMEOUT_S
    while len(samples) < count and time.monotonic() < deadline:
        chunk, times = inlet.pull_chunk(timeout=0.2)
        samples.extend(chunk)
        stamps.extend(times)
    return samples, stamps
