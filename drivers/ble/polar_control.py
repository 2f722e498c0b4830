"""``PmdControl``: request/response over the Polar PMD control point.

Commands are written (with response) to the control point; the pod answers with an
indication ``F0 <op> <type> <status> <more> <parameters>``, possibly continued by further
indications while ``more`` is set. An unsolicited ``01 <type>...`` indication says the pod
stopped those streams by itself. Layouts: ``drivers.models.polar.control``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from drivers.ble.errors import GattError
from drivers.ble.link import BleTransport
from drivers.errors import DecodeError
from drivers.models.polar.control import (
    CpResponse,
    append_continuation,
    parse_cp_response,
    parse_stopped_streams,
)
from drivers.models.polar.profile import CP_STREAMS_STOPPED, PMD_CONTROL_POINT_UUID

log = logging.getLogger(__name__)
StoppedCallback = Callable[[tuple[int, ...]], None]


class PmdControl:
    """One command in flight at a time; ``on_indication`` is the CP notify callback."""

    def __init__(
        self,
        transport: BleTransport,
        timeout_s: float = 3.0,
        cp_uuid: str = PMD_CONTROL_POINT_UUID,
    ) -> None:
        self.transport = transport
        self.timeout_s = timeout_s
        self.cp_uuid = cp_uuid
        self.on_streams_stopped: StoppedCallback | None = None
        self._waiting: asyncio.Future[CpResponse] | None = None
        self._partial: CpResponse | None = None
        self._expected_op = -1
        self._lock = asyncio.Lock()

    async def request(self, command: bytes) -> CpResponse:
        """Write ``command`` and wait for its (complete) response; GattError on timeout."""
        async with self._lock:
            loop = asyncio.get_running_loop()
            self._waiting, self._partial = loop.create_future(), None
            self._expected_op = command[0]
            try:
                await self.transport.write(self.cp_uuid, command, response=True)
                async with asyncio.timeout(self.timeout_s):
                    return await self._waiting
            except TimeoutError:
                raise GattError(f"no PMD answer to {command.hex(' ')}") from None
            finally:
                self._waiting = None

    def cancel(self) -> None:
        """The link is gone: fail the request in flight."""
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_exception(GattError("link lost during a PMD command"))

    def on_indication(self, payload: bytes, _arrival_ns: int) -> None:
        try:
            if payload[:1] == bytes([CP_STREAMS_STOPPED]):
                self._stopped(parse_stopped_streams(payload))
            else:
                self._answer(payload)
        except DecodeError as exc:
            log.debug("ignoring PMD indication: %s", exc)

    def _answer(self, payload: bytes) -> None:
        if self._partial is None:
            response = parse_cp_response(payload)
        else:
            response = append_continuation(self._partial, payload)
        if response.more:
            self._partial = response
            return
        self._partial = None
        if response.op_code != self._expected_op:
            log.debug("ignoring a PMD answer to op 0x%02X", response.op_code)
        elif self._waiting is not None and not self._waiting.done():
            self._waiting.set_result(response)

    def _stopped(self, measurements: tuple[int, ...]) -> None:
        if self.on_streams_stopped is not None:
            self.on_streams_stopped(measurements)
