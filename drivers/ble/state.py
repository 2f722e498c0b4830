"""The connection state machine of one BLE pod link.

::

    IDLE -> CONNECTING -> CONFIGURING -> SUBSCRIBING -> STREAMING
                 ^                                          |
                 |      (link lost / any BLE error)         v
              WAITING  <------------------------------  LOST
    any state -- cancel --> DISCONNECTING -> CLOSED;  too many refusals -> FAILED

The coarser ``drivers.types.PodState`` in ``LinkStats`` is what the status row shows.
"""

from __future__ import annotations

import enum


class ConnectionState(enum.StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    CONFIGURING = "configuring"  # writing settings (unlock, rate, save)
    SUBSCRIBING = "subscribing"  # enabling notifications
    STREAMING = "streaming"
    LOST = "lost"  # the link went down or a step failed
    WAITING = "waiting"  # backing off before the next attempt
    DISCONNECTING = "disconnecting"
    CLOSED = "closed"  # disconnected on request; final
    FAILED = "failed"  # gave up (e.g. the pod keeps refusing its settings); final

    @property
    def is_final(self) -> bool:
        return self in (ConnectionState.CLOSED, ConnectionState.FAILED)

    @property
    def is_linked(self) -> bool:
        """Whether a connection to the pod is (believed) up."""
        return self in (
            ConnectionState.CONFIGURING,
            ConnectionState.SUBSCRIBING,
            ConnectionState.STREAMING,
        )
