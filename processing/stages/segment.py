"""One trunk or pelvis pod's chain: hygiene → standing calibration → alignment → angles."""

from __future__ import annotations

import numpy as np

from drivers.types import FloatArray, SampleBlock
from processing.stages.alignment import AlignmentStatus, axes_from, trunk_axes
from processing.stages.calibration import StandingCalibrationStage
from processing.stages.guard import clean_block, join_traces, piece_length, pieces
from processing.stages.history import SampleHistory
from processing.stages.orientation import SegmentOrientationStage
from processing.stages.trunk import AngleHistory

CONFIRMED_NOTE = "forward confirmed by the user"


SPEED_UP_S = 1.0
"""Running this long after a standing is left out of the axes' window: a runner speeding up
from standing tilts the mean specific force by several degrees (0.2 g is 11°), which would
read as a lean."""


class SegmentChain:
    """Streaming chain of the trunk or pelvis pod.

    After ``update``: ``trace_`` = (t_s, angles (n, 3): flexion/tilt, lateral bend/obliquity,
    axial rotation, deg) at ≤ ``trace_rate_hz`` (empty until aligned), and ``angles``
    (an AngleHistory of the same samples) for stride summaries. ``status_`` tells whether
    the forward direction has been decided; ``alignment_quality_`` is its fit correlation.
    """

    def __init__(
        self,
        rate_hz: float,
        history_s: float = 24.0,
        align_window_s: float = 6.0,
        check_every_s: float = 1.0,
        give_up_s: float = 30.0,
        trace_rate_hz: float = 100.0,
    ) -> None:
        self.rate_hz = rate_hz
        self.align_window = int(align_window_s * rate_hz)
        self.speed_up = int(SPEED_UP_S * rate_hz)
        self.check_every = max(1, round(check_every_s * rate_hz))
        self.give_up = int(give_up_s * rate_hz)
        self.trace_step = max(1, round(rate_hz / trace_rate_hz))
        self.calibration = StandingCalibrationStage()
        self.orientation = SegmentOrientationStage(rate_hz, every=self.trace_step)
        self.history = SampleHistory(int(history_s * rate_hz))
        self.angles = AngleHistory(int(history_s * rate_hz / self.trace_step),
                                   rate_hz / self.trace_step)  # fmt: skip
        self.axes_: FloatArray | None = None
        self.alignment_quality_ = 0.0
        self.alignment_note_ = ""  # the latest alignment attempt's note (why not decided)
        self.status_ = AlignmentStatus.WAITING_FOR_STANDING
        self.trace_: tuple[FloatArray, FloatArray] = (np.zeros(0), np.zeros((0, 3)))
        self._last_t = -np.inf
        self._next_check = -1

    @property
    def seen_until_s(self) -> float:
        """Time of the latest sample taken in (−inf before any)."""
        return self._last_t

    @property
    def ready(self) -> bool:
        return self.axes_ is not None

    def update(self, block: SampleBlock) -> None:
        traces = []
        for piece in pieces(block, self._take):
            self._update_piece(piece)
            traces.append(self.trace_)
        self.trace_ = join_traces(traces, (0, 3))

    def _take(self, remaining: int) -> int:
        most = self.check_every if self.axes_ is None else self.history.capacity // 2
        return piece_length(remaining, self.history.count, self._next_check, most)

    def adopt(self, other: SegmentChain) -> None:
        """Start from ``other``'s calibration and axes (if it has them); the orientation
        filter starts afresh and settles within its start-up phase."""
        if other.axes_ is None or not other.calibration.calibrated_:
            return
        self.restore(other.calibration.carried(), other.axes_, other.status_,
                     other.alignment_quality_)  # fmt: skip

    def restore(
        self, calibration: StandingCalibrationStage, axes: FloatArray | None = None,
        status: AlignmentStatus = AlignmentStatus.DECIDED, quality: float = 0.0,
    ) -> None:  # fmt: skip
        """Before any samples: start from ``calibration`` (a calibrated stage, e.g.
        ``restored``) and, if given, the ``axes`` (rows x, y, z in sensor axes) with their
        ``status`` and fit ``quality``; without axes they are found from the running to
        come. The orientation filter starts afresh either way (the runner may be moving),
        from the calibration's standing posture (``start_levelled``)."""
        self.calibration = calibration
        self.orientation.start_levelled(calibration.up_sensor_)
        self.alignment_quality_ = quality
        if axes is None:
            self.status_ = AlignmentStatus.PENDING
            return
        self.axes_ = np.array(axes, dtype=np.float64)
        self.status_ = status

    def request_calibration(self) -> None:
        """The next quiet standing (≥ 3 s) becomes the new neutral (see GaitPipeline)."""
        self.calibration.request()

    def confirm_forward(self, forward: FloatArray) -> None:
        """The forward direction (sensor axes) confirmed by the user, e.g. from a forward
        lean: the axes are decided from it and the calibration standing's up."""
        if self.calibration.calibrated_:
            up = self.calibration.up_sensor_
            self.axes_ = axes_from(np.asarray(forward, dtype=np.float64), up)
            self.status_ = AlignmentStatus.DECIDED
            self.alignment_note_ = CONFIRMED_NOTE

    def _update_piece(self, block: SampleBlock) -> None:
        t_s, acc, gyro = clean_block(block, self._last_t)
        self.trace_ = (np.zeros(0), np.zeros((0, 3)))
        if t_s.size == 0:
            return
        first = self.history.count
        self.history.append(t_s, acc, gyro)
        cal = self.calibration
        bias = np.broadcast_to(cal.gyro_bias_dps_, gyro.shape).copy()
        version = cal.version_
        cal.update(t_s, acc, gyro)
        split = t_s.size
        if cal.version_ != version:  # (re)calibrated: new bias and neutral from its sample on
            split = min(max(cal.index_ + 1 - first, 0), t_s.size)
            bias[split:] = cal.gyro_bias_dps_
        self._last_t = float(t_s[-1])
        axes = self.axes_  # decided at the end of this piece: applies from the next sample on
        if self.axes_ is None and cal.calibrated_:
            self._try_alignment()
        elif self.axes_ is not None and split < t_s.size:
            self.axes_ = axes_from(self.axes_[0], cal.up_sensor_)
        parts = [(0, split, axes), (split, t_s.size, self.axes_ if axes is not None else None)]
        for a, b, part_axes in parts:
            if b > a:
                self._orient(t_s[a:b], acc[a:b], gyro[a:b] - bias[a:b], first + a, part_axes)
            if b == split and cal.version_ != version:  # standing defines the neutral tilt
                self.orientation.level(cal.up_sensor_)

    def _orient(
        self, t_s: FloatArray, acc: FloatArray, gyro: FloatArray, first: int,
        axes: FloatArray | None,
    ) -> None:  # fmt: skip
        self.orientation.update(acc, gyro, first, axes)
        angles = self.orientation.angles_deg_
        if angles.shape[0]:
            kept_t = t_s[self.orientation.kept_]
            self.angles.append(kept_t, angles)
            previous_t, previous = self.trace_
            self.trace_ = (np.concatenate([previous_t, kept_t]), np.vstack([previous, angles]))

    def _try_alignment(self) -> None:
        cal = self.calibration
        start = cal.index_ + 1 + self.speed_up  # the speed-up after standing tilts the mean
        if self._next_check < 0:
            self._next_check = start + self.align_window
            self.status_ = AlignmentStatus.PENDING
        while self.axes_ is None and self.history.count >= self._next_check:
            trigger, self._next_check = self._next_check, self._next_check + self.check_every
            rows = self.history.rows(max(start, trigger - self.align_window), trigger)
            estimate = trunk_axes(rows[:, 1:4], cal.up_sensor_, self.rate_hz)
            self.alignment_quality_, self.alignment_note_ = estimate.quality, estimate.note
            if estimate.axes is not None:
                self.axes_, self.status_ = estimate.axes, AlignmentStatus.DECIDED
            elif trigger - cal.index_ > self.give_up:
                self.status_ = AlignmentStatus.AMBIGUOUS
