"""``SessionRecorder``: records a set of live sources into one recording file.

It taps each source's raw notifications (``Source.raw_taps``), so the file holds exactly what
the pods sent with its arrival times; markers and events come from the app. Starting writes
the header at once (with ``start_s``, the session-clock time recording started: the
recording's zero), then the starting events (e.g. the live calibration), before any pod
data; stopping detaches the taps and closes the file cleanly.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from drivers.clock_sync import SessionClock
from drivers.recording.header import PodEntry, RecordingHeader
from drivers.recording.writer import RecordingWriter
from drivers.source import RawTap, Source


def app_version() -> str:
    try:
        return metadata.version("gaitdeck")
    except metadata.PackageNotFoundError:
        return "unknown"


def started_utc(clock: SessionClock) -> str:
    """The UTC wall time of the session clock's zero."""
    now = datetime.datetime.now(datetime.UTC)
    return (now - datetime.timedelta(seconds=clock.now_s())).isoformat(timespec="milliseconds")


class SessionRecorder:
    """Records ``sources`` (sharing ``clock``) to ``path``; never overwrites a file."""

    def __init__(
        self,
        sources: Sequence[Source],
        path: Path,
        clock: SessionClock,
        *,
        runner_id: str = "",
        notes: str = "",
        extra: dict[str, Any] | None = None,
        events: Sequence[tuple[str, Mapping[str, Any]]] = (),
    ) -> None:
        """``events``: (kind, data) written at the start, before the taps are attached, so
        their time is at or before the first pod data (what held when recording started)."""
        self.sources = list(sources)
        self.clock = clock
        self.path = Path(path)
        pods = tuple(PodEntry.from_info(s.info, s.model_key, config=_config(s)) for s in sources)
        header = RecordingHeader(pods, started_utc(clock), app_version(), runner_id, notes,
                                 extra or {}, start_s=clock.now_s())  # fmt: skip
        self.writer = RecordingWriter(self.path, header)
        self._index = {s.info.pod_id: i for i, s in enumerate(self.sources)}
        for kind, data in events:
            self.writer.event(self.clock.now_s(), kind, **data)
        self._taps: list[tuple[Source, RawTap]] = []
        for source in self.sources:
            tap = self._tap
            source.raw_taps.append(tap)
            self._taps.append((source, tap))

    def marker(self, text: str, t_s: float | None = None) -> None:
        """A timestamped annotation (default: now on the session clock)."""
        self.writer.marker(self.clock.now_s() if t_s is None else t_s, text)

    def event(self, kind: str, t_s: float | None = None, **data: Any) -> None:
        self.writer.event(self.clock.now_s() if t_s is None else t_s, kind, **data)

    def stop(self) -> None:
        """Detach from the sources and close the file cleanly. Idempotent."""
        for source, tap in self._taps:
            if tap in source.raw_taps:
                source.raw_taps.remove(tap)
        self._taps = []
        self.writer.close()

    @property
    def duration_s(self) -> float:
        return self.writer.last_t_ns * 1e-9

    def _tap(self, pod_id: str, channel: int, arrival_ns: int, payload: bytes) -> None:
        self.writer.raw(self._index[pod_id], channel, arrival_ns, payload)


def _config(source: Source) -> dict[str, Any]:
    """What the source's decoder needs besides the payloads, if it says (``decoder_config``)."""
    config = getattr(source, "decoder_config", None)
    return dict(config()) if callable(config) else {}
