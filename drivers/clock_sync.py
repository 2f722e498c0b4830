"""One session clock for every pod: the names the rest of gaitdeck imports.

* ``SessionClock`` — seconds since the session started, on the host's monotonic clock.
* ``DeviceTimeMapper`` / ``SyncEstimate`` — a pod's own clock (timestamps, or a sample
  counter over the nominal rate) mapped onto the session clock by the lower envelope of
  host arrival times: offset, drift and a sync-quality (jitter) figure.
* ``RateStamper`` / ``Stamped`` — time stamps for pods that send neither timestamps nor
  counters (WitMotion): samples counted at the pod's estimated real rate, gaps counted.
* ``record_sync`` — copies an estimate into ``LinkStats.sync_*`` for the status row.

The implementations live in ``drivers.clock``.
"""

from __future__ import annotations

from drivers.clock.figures import record_sync
from drivers.clock.mapper import DeviceTimeMapper, SyncEstimate
from drivers.clock.rate_stamper import RateStamper, Stamped
from drivers.clock.session import SessionClock

__all__ = [
    "DeviceTimeMapper",
    "RateStamper",
    "SessionClock",
    "Stamped",
    "SyncEstimate",
    "record_sync",
]
