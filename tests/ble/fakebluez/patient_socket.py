"""Work around dbus-fast treating EAGAIN on send as fatal (inherited from dbus-next #153).

A sender that outpaces dbus-daemon gets ``BlockingIOError`` from ``send``; dbus-fast then
drops the connection and with it the ``org.bluez`` name. Wrapping the fake's own socket so
EAGAIN reads as "0 bytes sent" makes dbus-fast wait for writability instead. Applied to the
fake's connection only, never to bleak's.
"""

from __future__ import annotations

import socket
from typing import Any

from dbus_fast.aio import MessageBus


class PatientSocket:
    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def send(self, data: Any, *args: Any) -> int:
        try:
            return self._sock.send(data, *args)
        except BlockingIOError:
            return 0

    def sendmsg(self, buffers: Any, *args: Any) -> int:
        try:
            return self._sock.sendmsg(buffers, *args)
        except BlockingIOError:
            return 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def make_patient(bus: MessageBus) -> None:
    writer = bus._writer  # private: dbus-fast has no public hook for this
    writer.sock = PatientSocket(writer.sock)
