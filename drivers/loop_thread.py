"""An asyncio event loop on its own thread: where pod sources (and bleak) run.

Qt's own asyncio integration cannot run bleak, so I/O gets a plain loop on a worker thread
and hands data to the rest of the app through ring buffers.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class LoopThread:
    """Starts a loop thread; ``submit`` schedules coroutines on it from any thread."""

    def __init__(self, name: str = "gaitdeck-io") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._tasks: list[asyncio.Task[Any]] = []

    def start(self) -> None:
        self._thread.start()

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(self._track(coro), self.loop)

    def stop(self, timeout_s: float = 2.0) -> None:
        """Cancel every task it runs, then end the loop and join the thread."""
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self._cancel_all(), self.loop).result(timeout_s)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout_s)

    async def _track(self, coro: Coroutine[Any, Any, T]) -> T:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.append(task)
        try:
            return await coro
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("task on the I/O loop failed")
            raise

    async def _cancel_all(self) -> None:
        """Cancel our tasks, then whatever libraries left running (e.g. bleak's D-Bus reader)."""
        current = asyncio.current_task()
        for tasks in (list(self._tasks), [t for t in asyncio.all_tasks() if t is not current]):
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()
        self.loop.close()
