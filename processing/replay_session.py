"""A replay session: a recording played through the live path, with playback controls.

The recorded pods become ``ReplayPodSource``s on one ``PlaybackClock`` and feed the same
buffers, engine and board as live pods, so every panel works. A seek runs on the I/O loop,
where the pods run, and a loop wraps there too, so no pod can push a sample from before the
jump into the fresh pipeline: the clock jumps, the engine restarts with a new pipeline and
an empty board (``PlaybackClock.on_jump``).

A recording made after calibrating live holds that calibration (its starting ``calibration``
event): the pipeline starts from it, as the offline analysis does (``analysis.analyze``); a
pod without one starts from its first quiet standing anywhere in the file, as there
(``late_standing.start_from``, ``replay_calibration.standings_ahead``).
A seek or loop into any range starts from what analysing the file from its start gives by
then (``replay_calibration.head_calibration``: the first standing in the file and the axes
found after it), so a loop over running shows steps though it skips the standing.

The clock runs on the session clock the file is stamped with; ``origin_s`` is the
recording's zero on it (``Recording.start_s``): people see positions from there.
"""

from __future__ import annotations

from drivers.recording.reader import Recording
from drivers.recording.records import CALIBRATION_EVENT
from drivers.replay.blocks import is_imu
from drivers.replay.clock import PlaybackClock
from drivers.replay.source import ReplayPodSource
from drivers.types import PodInfo
from processing.calibration_state import CalibrationState, recorded_calibration
from processing.late_standing import start_from
from processing.live_session import LiveSession
from processing.pipeline import GaitPipeline
from processing.replay_calibration import head_calibration, standings_ahead

SEEK_TIMEOUT_S = 5.0


class ReplaySession(LiveSession):
    def __init__(self, recording: Recording, speed: float | None = 1.0) -> None:
        self.recording = recording
        self.origin_s = recording.start_s
        self.clock = PlaybackClock(start_s=self.start_s(recording), speed=speed)
        pods = [i for i, p in enumerate(recording.header.pods) if is_imu(p.model_key)]
        sources = [ReplayPodSource(recording, i, self.clock) for i in pods]
        self.calibration = recorded_calibration(recording.starting_event(CALIBRATION_EVENT))
        self.ahead = standings_ahead(recording, self.calibration)
        self._jump_calibration: CalibrationState | None = None
        self._head_read = False
        super().__init__(sources, self._fresh_pipeline([s.info for s in sources]))
        self.clock.backlog_s = self.engine.backlog_s
        self.watchdog.sources = []  # no radio to fall silent: a paused replay is not lost
        self.clock.on_jump = self._restart_processing

    @staticmethod
    def start_s(recording: Recording) -> float:
        times = recording.index.t_ns
        return float(times.min()) * 1e-9 if len(times) else 0.0

    @property
    def end_s(self) -> float:
        """Just after the last record (or the last item the END record names: a samples
        record's time is that of its first sample)."""
        times = self.recording.index.t_ns
        if not len(times):
            return 0.0
        last = (self.recording.end_summary or {}).get("last_t_ns")
        last_ns = max(int(times.max()), last if isinstance(last, int) else 0)
        return last_ns * 1e-9 + 0.5

    def markers(self) -> list[tuple[float, str]]:
        return self.recording.markers()

    def jump_calibration(self) -> CalibrationState | None:
        """The calibration a seek or loop starts from (the file's head analysed once, on
        the caller's thread, so never on the pods' loop)."""
        if not self._head_read:
            self._jump_calibration = head_calibration(self.recording, self.calibration,
                                                      ahead=self.ahead)  # fmt: skip
            self._head_read = True
        return self._jump_calibration

    def seek(self, t_s: float) -> None:
        """Play from ``t_s`` (session clock) with fresh processing."""
        self.jump_calibration()
        if not self._started:
            self.clock.seek(t_s)
            return
        self.io.submit(self._seek(t_s)).result(SEEK_TIMEOUT_S)

    def set_loop(self, start_s: float, end_s: float) -> None:
        """Play [start_s, end_s) (session clock) over and over, from start_s now."""
        self.jump_calibration()
        if not self._started:
            self.clock.set_loop(start_s, end_s)
            return
        self.io.submit(self._loop(start_s, end_s)).result(SEEK_TIMEOUT_S)

    async def _loop(self, start_s: float, end_s: float) -> None:
        self.clock.set_loop(start_s, end_s)

    async def _seek(self, t_s: float) -> None:
        self.clock.seek(t_s)  # its on_jump restarts the processing, here on the pods' loop

    def _restart_processing(self) -> None:
        """A fresh pipeline from the file head's calibration, carrying the calibration
        found so far where the playing pipeline has one: a seek into running has no
        standing to calibrate from."""
        jump = self._jump_calibration if self._head_read else None
        pipeline = self._fresh_pipeline([s.info for s in self.sources], jump)
        if isinstance(self.engine.pipeline, GaitPipeline):
            pipeline.adopt_calibration(self.engine.pipeline)
        self.engine.restart(pipeline)

    def _fresh_pipeline(
        self, pods: list[PodInfo], calibration: CalibrationState | None = None
    ) -> GaitPipeline:
        pipeline = GaitPipeline(pods)
        if calibration:  # a seek's: what the file's head gave by then
            pipeline.restore_calibration(calibration)
        else:  # where offline analysis starts, look-ahead included
            start_from(pipeline, self.calibration, self.ahead)
        return pipeline
