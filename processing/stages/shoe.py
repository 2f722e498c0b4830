"""One shoe pod's chain: hygiene → standing calibration → alignment → IC/TO → strike angle.

Sagittal angular velocity convention (trace ``<side>_shoe.sagittal_gyro_dps``): rotation
about the foot's mediolateral axis, positive = dorsiflexion (toes going up), the same sign as
the foot strike angle. Before alignment is decided the trace shows the gyro's principal axis
with an arbitrary sign (provisional) and no contact events are produced.
"""

from __future__ import annotations

import numpy as np

from drivers.types import FloatArray, SampleBlock
from processing.events import Side, StepEvent, StrikeEvent, StrikeThresholds
from processing.stages.alignment import (
    GRID_WINDOW,
    AlignmentStatus,
    axes_from,
    second_difference,
    shoe_axes,
)
from processing.stages.calibration import StandingCalibrationStage
from processing.stages.gait_events import GaitEventStage
from processing.stages.gait_phases import ContactEvent
from processing.stages.gait_reference import FootFlatReference
from processing.stages.guard import clean_block, join_traces, piece_length, pieces
from processing.stages.history import SampleHistory
from processing.stages.strike import DEFAULT_THRESHOLDS, FootStrikeStage

QUIET_ACC_WEIGHT = 100.0  # dps per g in the stillness score ‖gyro‖ + w·| ‖acc‖ − 1 |
# A longer "contact" is the runner stopping and standing on that foot, not a step: no step
# (its landing's strike stands). Stance is ~60% of a stride even in slow walking, and a
# stride is at most 2.5 s (``processing.pipeline.MAX_STRIDE_S``).
MAX_CONTACT_S = 1.5


class ShoeChain:
    """Streaming chain of one shoe. After ``update``: ``events_`` (StrikeEvent / StepEvent),
    ``contacts_s_`` (IC times), ``trace_`` (t_s, sagittal gyro dps) decimated to ≤
    ``trace_rate_hz``, and ``status_`` (an AlignmentStatus)."""

    def __init__(
        self,
        side: Side,
        rate_hz: float,
        thresholds: StrikeThresholds = DEFAULT_THRESHOLDS,
        history_s: float = 16.0,
        check_every_s: float = 0.5,
        trace_rate_hz: float = 100.0,
    ) -> None:
        self.side = side
        self.rate_hz = rate_hz
        self.check_every = max(1, round(check_every_s * rate_hz))
        self.trace_step = max(1, round(rate_hz / trace_rate_hz))
        self.calibration = StandingCalibrationStage()
        self.foot_flat = FootFlatReference(rate_hz)
        self.detector = GaitEventStage(rate_hz)
        self.strike = FootStrikeStage(thresholds, rate_hz)
        self.history = SampleHistory(int(history_s * rate_hz))
        self.axes_: FloatArray | None = None
        self.alignment_quality_ = 0.0
        self.alignment_note_ = ""  # the latest alignment attempt's note (why not decided)
        self.status_ = AlignmentStatus.WAITING_FOR_STANDING
        self.events_: list[StrikeEvent | StepEvent] = []
        self.contacts_s_: list[float] = []
        self.trace_: tuple[FloatArray, FloatArray] = (np.zeros(0), np.zeros(0))
        self._last_t = -np.inf
        self._next_check = -1
        self._open: dict[float, tuple[float, float]] = {}  # IC time -> (fsa, mid-stance t)
        self._gyro_cov = np.zeros((3, 3))
        self._provisional = np.array([0.0, 1.0, 0.0])
        self._cov_samples = 0
        self._bias = np.zeros(
            3
        )  # gyro bias in use (dps): the calibration's, switched at its sample

    def update(self, block: SampleBlock) -> None:
        self.events_, self.contacts_s_ = [], []
        traces = []
        for piece in pieces(block, self._take):
            self._update_piece(piece)
            traces.append(self.trace_)
        self.trace_ = join_traces(traces, (0,))

    def _take(self, remaining: int) -> int:
        most = self.check_every if self.axes_ is None else self.history.capacity // 2
        return piece_length(remaining, self.history.count, self._next_check, most)

    def adopt(self, other: ShoeChain) -> None:
        """Start from ``other``'s calibration and axes (if it has them) instead of waiting
        for standing and running: a replay that seeks into the middle of a session."""
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
        ``status`` and fit ``quality``. Without axes they are found from the running to
        come, as after a standing."""
        self.calibration = calibration
        self._bias = calibration.gyro_bias_dps_.copy()
        self.detector.set_noise(calibration.acc_sd_g_)
        self.alignment_quality_ = quality
        if axes is None:
            self.status_ = AlignmentStatus.PENDING
            return
        self.axes_ = np.array(axes, dtype=np.float64)
        self.status_ = status

    def request_calibration(self) -> None:
        """The next quiet standing (≥ 3 s) becomes the new neutral (see GaitPipeline)."""
        self.calibration.request()

    def _update_piece(self, block: SampleBlock) -> None:
        t_s, acc, gyro = clean_block(block, self._last_t)
        if t_s.size == 0:
            self.trace_ = (np.zeros(0), np.zeros(0))
            return
        first = self.history.count
        self.history.append(t_s, acc, gyro)
        version = self.calibration.version_
        self.calibration.update(t_s, acc, gyro)
        self._last_t = float(t_s[-1])
        if not self.calibration.calibrated_:
            self._gait_reference(t_s, acc, gyro, first)
        if self.axes_ is None:
            self._bias = self.calibration.gyro_bias_dps_.copy()
            self._try_alignment()
        elif self.calibration.version_ != version:  # re-calibrated: new neutral from here on
            split = self.calibration.index_ + 1
            self._detect(first, split)
            self._bias = self.calibration.gyro_bias_dps_.copy()
            self.axes_ = axes_from(self.axes_[0], self.calibration.up_sensor_)
            self.detector.set_noise(self.calibration.acc_sd_g_)
            self._detect(split, self.history.count)
        else:
            self._detect(first, self.history.count)
        self._make_trace(t_s, gyro, first)

    def _gait_reference(
        self, t_s: FloatArray, acc: FloatArray, gyro: FloatArray, first: int
    ) -> None:
        """Without a standing, the foot's flat moments at mid-stance (``gait_reference``):
        the running since the reference started gathering is analysed from its start."""
        reference = self.foot_flat
        if reference.start_index_ < 0:
            reference.start_index_ = first
        reference.update(acc, gyro, first)
        if reference.ready_:
            start = max(reference.start_index_, self.history.first_index + 2)
            at_s = float(t_s[min(reference.index_ - first, t_s.size - 1)])
            self.calibration.adopt_gait(reference.up_sensor_, reference.gyro_bias_dps_,
                                        reference.acc_sd_g_, start - 1, at_s)  # fmt: skip

    def _try_alignment(self) -> None:
        cal = self.calibration
        if not cal.calibrated_:
            return
        if self._next_check < 0:
            self._next_check = cal.index_ + 1 + self.check_every
            self.status_ = AlignmentStatus.PENDING
        while self.axes_ is None and self.history.count >= self._next_check:
            trigger, self._next_check = self._next_check, self._next_check + self.check_every
            rows = self.history.rows(cal.index_ + 1, trigger)
            gyro = rows[:, 4:] - cal.gyro_bias_dps_
            estimate = shoe_axes(rows[:, 1:4], gyro, cal.up_sensor_, self.rate_hz)
            self.alignment_quality_, self.alignment_note_ = estimate.quality, estimate.note
            if estimate.axes is None:
                if trigger - cal.index_ > 20 * self.rate_hz:
                    self.status_ = AlignmentStatus.AMBIGUOUS
                continue
            self.axes_, self.status_ = estimate.axes, AlignmentStatus.DECIDED
            self.detector.set_noise(cal.acc_sd_g_)
            self._detect(cal.index_ + 1, self.history.count)  # catch up on buffered running

    def _detect(self, start: int, stop: int) -> None:
        assert self.axes_ is not None
        start = max(start, self.history.first_index + 2)
        if stop <= start:
            return
        context = max(self.history.first_index, start - 2 - GRID_WINDOW)  # see grid_periods
        timed = self.history.rows(context, stop)
        impact = second_difference(timed[:, 1:4], timed[:, 0], self.rate_hz)[start - context :]
        rows = timed[start - 2 - context :]
        gyro = rows[2:, 4:] - self._bias
        acc = rows[2:, 1:4]
        w = -(gyro @ self.axes_[1])  # dorsiflexion positive: about −y (left)
        score = np.linalg.norm(gyro, axis=1) + QUIET_ACC_WEIGHT * np.abs(
            np.linalg.norm(acc, axis=1) - 1.0
        )
        self.detector.update(rows[2:, 0], w, impact, score, start)
        self._publish(self.detector.events_)

    def _publish(self, events: list[ContactEvent]) -> None:
        """Strike angles of this block's contacts in one pass each way, then events in order.

        At IC the angle comes from the previous mid-stance, carried forward through the
        swing (known at once). At TO it is refined with the mid-stance just ended, carried
        back to IC: the two estimates are averaged with weights inverse to their integration
        times, i.e. the forward integral's drift is removed linearly between the two still
        instants (Falbriard et al. 2020); the short backward integral dominates."""
        ics = [e for e in events if not e.is_toe_off and self._held(e.midstance_index, e.index)]
        tos = [e for e in events if e.is_toe_off and self._held(e.index, e.midstance_index)]
        spans = [(e.midstance_index, e.index + 1) for e in ics]
        spans += [(e.index, e.midstance_index + 1) for e in tos]
        angles = self._angles(spans, [False] * len(ics) + [True] * len(tos))
        forward, backward = angles[: len(ics)], angles[len(ics) :]
        fsa_at = dict(zip([id(e) for e in ics], forward, strict=True))
        back_at = dict(zip([id(e) for e in tos], backward, strict=True))
        for event in events:
            if event.to_s is not None:
                opened = self._open.pop(event.ic_s, None)
                if opened is not None and event.to_s - event.ic_s <= MAX_CONTACT_S:
                    back = back_at.get(id(event), (np.nan, 0.0))
                    fsa = self._refined(event, *opened, back)
                    kind = self.strike.thresholds.classify(fsa)
                    spread = abs(opened[0] - back[0]) if np.isfinite(back[0]) else None
                    self.events_.append(StepEvent(self.side, event.ic_s, event.to_s, fsa, kind,
                                                  fsa_spread_deg=spread))  # fmt: skip
                continue
            self.contacts_s_.append(event.ic_s)
            self._open = {}
            fsa, mid_t = fsa_at.get(id(event), (np.nan, 0.0))
            if np.isfinite(fsa):
                self._open[event.ic_s] = (fsa, mid_t)
                kind = self.strike.thresholds.classify(fsa)
                self.events_.append(StrikeEvent(self.side, event.ic_s, fsa, kind))

    def _held(self, i0: int, i1: int) -> bool:
        return 0 <= i0 < i1 and self.history.holds(i0) and self.history.holds(i1)

    def _angles(
        self, spans: list[tuple[int, int]], backward: list[bool]
    ) -> list[tuple[float, float]]:
        """(angle at IC deg, time of the span's mid-stance end s) per span of history rows,
        each carried forward or ``backward`` (all in one pass)."""
        if not spans:
            return []
        first = min(a for a, _ in spans)
        rows = self.history.rows(first, max(b for _, b in spans))
        local = [(a - first, b - first) for a, b in spans]
        assert self.axes_ is not None
        angles = self.strike.angles_deg(rows, local, self.axes_[0], self._bias, backward)
        still = [
            rows[b - 1 if back else a, 0] for (a, b), back in zip(local, backward, strict=True)
        ]
        return [(float(f), float(t)) for f, t in zip(angles, still, strict=True)]

    @staticmethod
    def _refined(
        event: ContactEvent, fsa_f: float, mid_before_s: float, back: tuple[float, float]
    ) -> float:
        fsa_b, mid_after_s = back
        if not np.isfinite(fsa_b):
            return fsa_f
        t_f, t_b = event.ic_s - mid_before_s, mid_after_s - event.ic_s
        return float((t_b * fsa_f + t_f * fsa_b) / (t_f + t_b))

    def _make_trace(self, t_s: FloatArray, gyro: FloatArray, first: int) -> None:
        keep = (first + np.arange(t_s.size)) % self.trace_step == 0
        if self.axes_ is not None:
            w = -((gyro[keep] - self._bias) @ self.axes_[1])
        else:
            w = gyro[keep] @ self._provisional_axis(gyro)
        self.trace_ = (t_s[keep], w)

    def _provisional_axis(self, gyro: FloatArray) -> FloatArray:
        """Principal gyro axis so far (sign arbitrary but stable): a stand-in before alignment."""
        self._gyro_cov += gyro.T @ gyro
        self._cov_samples += gyro.shape[0]
        if self._cov_samples >= self.rate_hz:
            self._cov_samples = 0
            _, vectors = np.linalg.eigh(self._gyro_cov)
            axis = vectors[:, 2]
            self._provisional = axis if axis[np.argmax(np.abs(axis))] > 0 else -axis
        return self._provisional
