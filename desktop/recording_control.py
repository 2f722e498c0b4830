"""Recording the live session from the window: where files go, what is recorded, markers.

``RecordingControl`` starts a ``SessionRecorder`` on the session's *sources* (simulated
pods, or the links of real pods), never on its processing, so a ``PodSession`` rebuilding
its processing when pods come or go does not disturb the recording. Pods connected after
the recording started are not in it (a recording's pods are fixed by its header);
``missing_pods`` counts them so the window can say so. No Qt here.

The live calibration travels with the recording: a ``calibration`` event with the
processing's calibration state opens the file (if any pod is calibrated), so the report and
replay start where the live session was, and another is written whenever it changes while
recording (a processing rebuilt after the start is not followed: it starts uncalibrated,
and its new standing is in the file anyway).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs

from desktop.pod_session import PodSession
from drivers.clock_sync import SessionClock
from drivers.errors import GaitdeckError
from drivers.recording.records import CALIBRATION_EVENT
from drivers.recording.session_recorder import SessionRecorder
from drivers.source import Source
from processing.calibration_state import to_json
from processing.live_session import LiveSession
from processing.pipeline import GaitPipeline, gait_pipeline_of
from processing.replay_session import ReplaySession
from processing.session_setup import DEFAULT_MARKER_PRESETS

SUFFIX = ".gdrec"
# Preset markers on keys 1–9, in order (the defaults; the session setup edits them).
MARKER_PRESETS = DEFAULT_MARKER_PRESETS


def _no_processing() -> object:
    return None


class RecordTarget(NamedTuple):
    """What a recording taps: ``sources`` sharing ``clock``; ``processing()`` gives the
    live pipeline now (its calibration is recorded too), None if there is none."""

    sources: list[Source]
    clock: SessionClock
    processing: Callable[[], object] = _no_processing


def sessions_dir() -> Path:
    """The user's own sessions: ``<user data dir>/gaitdeck/sessions``."""
    return Path(platformdirs.user_data_dir("gaitdeck")) / "sessions"


def session_path(folder: Path, now: datetime.datetime, runner_id: str = "") -> Path:
    """``<folder>/<YYYY-MM-DD_HH-MM-SS>[-runner].gdrec``, with ``-2``, ``-3``… if taken."""
    stem = now.strftime("%Y-%m-%d_%H-%M-%S")
    runner = re.sub(r"[^A-Za-z0-9_.-]+", "_", runner_id.strip()).strip("._")
    if runner:
        stem = f"{stem}-{runner}"
    path = folder / f"{stem}{SUFFIX}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{SUFFIX}"
        n += 1
    return path


def record_target(session: object, clock: SessionClock | None = None) -> RecordTarget | None:
    """The sources a recording of ``session`` taps and their shared clock; None if this
    session cannot be recorded (a replay, a test stand-in, sources without a clock)."""
    if isinstance(session, ReplaySession):
        return None
    if isinstance(session, PodSession):
        pod_session = session

        def processing() -> object:
            live = pod_session.live
            return live.engine.pipeline if live is not None else None

        sources = [link.source for link in session.active_links()]
        return RecordTarget(sources, session.links.clock, processing)
    if isinstance(session, LiveSession):
        sources = session.sources + session.aux_sources
        clock = clock or _shared_clock(sources)
        engine = session.engine
        return RecordTarget(sources, clock, lambda: engine.pipeline) if clock is not None else None
    return None


def _shared_clock(sources: list[Source]) -> SessionClock | None:
    clocks = {id(c): c for c in (getattr(s, "clock", None) for s in sources)}
    clock = next(iter(clocks.values()), None) if len(clocks) == 1 else None
    return clock if isinstance(clock, SessionClock) else None


def format_size(n_bytes: int) -> str:
    if n_bytes < 1024 * 1024:
        return f"{n_bytes / 1024:.0f} kB"
    return f"{n_bytes / (1024 * 1024):.1f} MB"


def format_elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class RecordingControl:
    """Start/stop one recording at a time and add markers to it.

    ``target()`` gives the sources and clock to record now (see ``record_target``);
    ``folder()`` the folder new recordings go to.
    """

    def __init__(
        self,
        target: Callable[[], RecordTarget | None],
        *,
        runner_id: str = "",
        folder: Callable[[], Path] = sessions_dir,
        now: Callable[[], datetime.datetime] = datetime.datetime.now,
    ) -> None:
        self.target = target
        self.runner_id = runner_id
        self.folder = folder
        self.now = now
        self.recorder: SessionRecorder | None = None
        self.last_path: Path | None = None  # the latest recording, finished or not
        self.markers: list[tuple[float, str]] = []  # of the current recording, session time
        self._started_s = 0.0
        self.notes = ""  # header fields of the next recording (the session setup's)
        self.extra: dict[str, Any] = {}
        self.on_start: list[Callable[[], None]] = []  # called once a recording has started
        self._following: tuple[GaitPipeline, Callable[[GaitPipeline], None]] | None = None

    @property
    def available(self) -> bool:
        return self.target() is not None

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    def start(self) -> Path:
        """Start recording into a new file; raises GaitdeckError (one line) if it cannot."""
        if self.recorder is not None:
            return self.recorder.path
        target = self.target()
        if target is None:
            raise GaitdeckError("this session cannot be recorded")
        sources, clock, processing = target
        if not sources:
            raise GaitdeckError("no pods connected: connect pods before recording")
        path = session_path(self.folder(), self.now(), self.runner_id)
        pipeline = gait_pipeline_of(processing())  # through an LSL tee too
        changes = pipeline.calibration_changes if pipeline is not None else 0
        state = pipeline.calibration_state() if pipeline is not None else {}
        events = [(CALIBRATION_EVENT, to_json(state))] if state else []
        self.recorder = SessionRecorder(sources, path, clock, runner_id=self.runner_id,
                                        notes=self.notes, extra=dict(self.extra),
                                        events=events)  # fmt: skip
        if pipeline is not None:
            self._follow_calibration(pipeline, self.recorder, changes)
        start = self.recorder.writer.header.start_s  # the recording's zero
        self._started_s = clock.now_s() if start is None else start
        self.markers = []
        self.last_path = path
        for callback in self.on_start:
            callback()
        return path

    def stop(self) -> Path | None:
        """Stop and close the file cleanly; the finished file, or None if not recording."""
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return None
        self._unfollow()
        recorder.stop()
        return recorder.path

    def _follow_calibration(
        self, pipeline: GaitPipeline, recorder: SessionRecorder, changes: int
    ) -> None:
        """Record ``pipeline``'s calibration whenever it changes from the state the file
        started with (seen ``changes`` times then)."""

        def record(changed: GaitPipeline) -> None:  # on the processing thread
            state = changed.calibration_state()
            if state:
                recorder.event(CALIBRATION_EVENT, **to_json(state))

        pipeline.calibration_listeners.append(record)
        self._following = (pipeline, record)
        if pipeline.calibration_changes != changes:  # changed while the file was opened
            record(pipeline)

    def _unfollow(self) -> None:
        if self._following is not None:
            pipeline, record = self._following
            if record in pipeline.calibration_listeners:
                pipeline.calibration_listeners.remove(record)
            self._following = None

    def finished_path(self) -> Path | None:
        """The latest recording once it is closed (None while recording or before any)."""
        return None if self.recorder is not None else self.last_path

    def now_s(self) -> float | None:
        """Session time now, or None when not recording."""
        return self.recorder.clock.now_s() if self.recorder is not None else None

    def marker(self, text: str, t_s: float | None = None) -> float | None:
        """Add a marker at ``t_s`` (default now); its session time, or None when not
        recording or the text is empty."""
        recorder = self.recorder
        text = text.strip()
        if recorder is None or not text:
            return None
        t_s = recorder.clock.now_s() if t_s is None else t_s
        recorder.marker(text, t_s)
        self.markers.append((t_s, text))
        return t_s

    def recording_time_s(self, t_s: float) -> float:
        """Session time ``t_s`` in seconds from the current recording's start: the time
        base of ``gaitdeck info``, the report and the exports."""
        return t_s - self._started_s

    def elapsed_s(self) -> float:
        recorder = self.recorder
        return recorder.clock.now_s() - self._started_s if recorder is not None else 0.0

    def size_bytes(self) -> int:
        path = self.recorder.path if self.recorder is not None else self.last_path
        try:
            return path.stat().st_size if path is not None else 0
        except OSError:
            return 0

    def missing_pods(self) -> int:
        """Sources streaming now that the current recording does not tap (connected after
        it started)."""
        recorder, target = self.recorder, self.target()
        if recorder is None or target is None:
            return 0
        recorded = {id(s) for s in recorder.sources}
        return sum(1 for s in target[0] if id(s) not in recorded)

    def status_text(self) -> str:
        """``● REC 1:23 · 2.1 MB · 3 markers`` while recording, else ""."""
        if self.recorder is None:
            return ""
        parts = [f"● REC {format_elapsed(self.elapsed_s())}", format_size(self.size_bytes())]
        if self.markers:
            parts.append(f"{len(self.markers)} marker{'s' if len(self.markers) != 1 else ''}")
        missing = self.missing_pods()
        if missing:
            parts.append(f"{missing} pod{'s' if missing != 1 else ''} not recorded")
        return " · ".join(parts)
