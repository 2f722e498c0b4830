"""Copies a pod's sync estimate into the link counters the status row reads."""

from __future__ import annotations

from drivers.clock.mapper import SyncEstimate
from drivers.types import LinkStats


def record_sync(stats: LinkStats, sync: SyncEstimate) -> None:
    """Fill ``stats.sync_*`` from ``sync``; left as they are until two observations exist."""
    if sync.n < 2:
        return
    stats.sync_offset_ms = sync.offset_s * 1e3
    stats.sync_drift_ppm = sync.drift_ppm
    stats.sync_jitter_ms = sync.jitter_ms
