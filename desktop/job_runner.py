"""Long file jobs (import, export) on a worker thread behind a progress dialog with Cancel.

The work is a function of a ``processing.session_jobs.JobControl``: its progress reports
move the dialog's bar, and Cancel makes the next report raise ``Cancelled`` in the worker,
so the work stops there (and cleans up after itself). Outcomes come back to the GUI thread
as signals; errors are one-line messages, never tracebacks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from drivers.errors import GaitdeckError
from processing.session_jobs import Cancelled, JobControl

log = logging.getLogger(__name__)
STEPS = 1000

Work = Callable[[JobControl], Any]


class _Worker(QThread):
    progressed = Signal(int)  # permille
    outcome = Signal(str, object)  # ("done", result) | ("failed", message) | ("cancelled", None)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.control = JobControl(on_progress=lambda f: self.progressed.emit(round(f * STEPS)))

    def run(self) -> None:
        try:
            result = self.work(self.control)
        except Cancelled:
            self.outcome.emit("cancelled", None)
        except GaitdeckError as exc:
            self.outcome.emit("failed", str(exc))
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            self.outcome.emit("failed", f"{where}{exc.strerror or exc}")
        except Exception as exc:  # a bug: logged in full, shown in one line
            log.exception("job failed")
            self.outcome.emit("failed", f"unexpected error: {exc!r}")
        else:
            self.outcome.emit("done", result)


class Job(QObject):
    """One job with its progress dialog; emits exactly one of ``succeeded(result)``,
    ``failed(message)`` or ``cancelled()``, then ``ended()``."""

    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()

    def __init__(self, title: str, text: str, work: Work, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = title
        self.outcome: str | None = None
        self.dialog = QProgressDialog(text, "Cancel", 0, STEPS, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(420)
        self.worker = _Worker(work, self)
        self.worker.progressed.connect(self.dialog.setValue)
        self.worker.outcome.connect(self._finish)
        self.dialog.canceled.connect(self.cancel)

    @property
    def control(self) -> JobControl:
        return self.worker.control

    def start(self) -> Job:
        self.dialog.show()
        self.worker.start()
        return self

    @Slot()
    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        if self.outcome is None:
            self.dialog.setLabelText("Cancelling…")
            self.control.cancel()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        return self.worker.wait(timeout_ms)

    @Slot(str, object)
    def _finish(self, kind: str, value: object) -> None:
        self.worker.wait()
        self.outcome = kind
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        if kind == "done":
            self.succeeded.emit(value)
        elif kind == "failed":
            self.failed.emit(str(value))
        else:
            self.cancelled.emit()
        self.ended.emit()
