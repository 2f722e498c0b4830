"""GaitPipeline: the stages composed for any subset of the four pods (live and offline)."""

from __future__ import annotations

import itertools
import math
import statistics
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from drivers.types import FloatArray, Placement, PodInfo, SampleBlock
from processing import traces as names
from processing.calibration_state import CalibrationState, chain_state, restore_chain
from processing.engine import PipelineOutput
from processing.events import Side, StepEvent, StrideEvent, StrikeEvent, StrikeThresholds
from processing.quality import (
    RANGE_CEILING_DEG,
    Flag,
    Quality,
    ReferenceKind,
    pod_noise_reasons,
    step_flag,
    stride_flag,
)
from processing.stages.alignment import AlignmentStatus
from processing.stages.coordination import CoordinationStage
from processing.stages.segment import SegmentChain
from processing.stages.shoe import ShoeChain
from processing.stages.strike import DEFAULT_THRESHOLDS
from processing.stages.trunk import SegmentRanges, StrideRangeStage

TRUNK, PELVIS = Placement.TRUNK, Placement.PELVIS
SIDE_OF = {Placement.LEFT_SHOE: Side.LEFT, Placement.RIGHT_SHOE: Side.RIGHT}
SEGMENT_TRACES = {
    Placement.TRUNK: (names.TRUNK_FLEXION, names.TRUNK_LATERAL, names.TRUNK_ROTATION),
    Placement.PELVIS: (names.PELVIS_TILT, names.PELVIS_OBLIQUITY, names.PELVIS_ROTATION),
}
MAX_STRIDE_S = 2.5  # a longer "stride" spans a gap or a stop: not a stride
MAX_STRIDE_GROWTH = 1.5  # a stride this much longer than the last one hides a missed contact
STRIDE_WAIT_S = 0.5  # how long a stride waits for late trunk/pelvis samples
CADENCE_WINDOW_S = 10.0
CalibrationListener = Callable[["GaitPipeline"], None]
RANGE_FIELDS = tuple(RANGE_CEILING_DEG)


class GaitPipeline:
    """Strike events at IC, step events at toe-off, stride events with trunk/pelvis ranges,
    traces and metrics (see ``processing.traces``). Pods not listed, or never sending, are
    simply absent from the outputs."""

    def __init__(
        self, pods: Sequence[PodInfo], thresholds: StrikeThresholds = DEFAULT_THRESHOLDS
    ) -> None:
        self.thresholds = thresholds
        self.shoes: dict[Placement, ShoeChain] = {}
        self.segments: dict[Placement, SegmentChain] = {}
        for pod in pods:
            rate = float(pod.nominal_rate_hz)
            if pod.placement.is_shoe:
                self.shoes[pod.placement] = ShoeChain(SIDE_OF[pod.placement], rate, thresholds)
            else:
                self.segments[pod.placement] = SegmentChain(rate)
        self._ranges = {p: StrideRangeStage(c.rate_hz) for p, c in self.segments.items()}
        self._coordination = CoordinationStage()
        self._last_ic: dict[Side, float] = {}
        self._recent_ics: dict[Side, deque[float]] = {s: deque(maxlen=8) for s in Side}
        self._origins: dict[Placement, ReferenceKind] = {}
        self._confirmed: dict[Placement, FloatArray] = {}  # forward directions to apply
        self._last_stride_s: dict[Side, float] = {}
        self._pending: list[tuple[Side, float, float]] = []
        self._ics: deque[float] = deque()
        self._contacts_ms: dict[Side, deque[float]] = {s: deque(maxlen=5) for s in Side}
        self._latest_t_s = -np.inf
        self._state: CalibrationState = {}
        self.calibration_changes = 0
        """Counts changes of any pod's calibration or axes (a cheap thing to poll)."""
        self.calibration_listeners: list[CalibrationListener] = []
        """Called (on the processing thread, after the update) when the count goes up."""

    def update(self, blocks: Mapping[Placement, SampleBlock]) -> PipelineOutput:
        before = self._calibration_mark()
        self._apply_confirmed()
        out = PipelineOutput()
        for placement, block in blocks.items():
            if len(block):
                self._latest_t_s = max(self._latest_t_s, _latest(block.t_s))
            if placement in self.shoes:
                self._update_shoe(placement, block, out)
            elif placement in self.segments:
                self._update_segment(placement, block, out)
        self._flush_strides(out)
        self._metrics(out)
        if self._calibration_mark() != before:
            self._state = self._take_state()
            self.calibration_changes += 1
            for listener in tuple(self.calibration_listeners):
                listener(self)
        return out

    def _update_shoe(self, placement: Placement, block: SampleBlock, out: PipelineOutput) -> None:
        chain = self.shoes[placement]
        chain.update(block)
        self._recent_ics[chain.side].extend(chain.contacts_s_)
        doubts = pod_noise_reasons(chain.calibration.acc_sd_g_)
        out.events.extend(self._flagged(event, doubts) for event in chain.events_)
        out.traces[names.SHOE_SAGITTAL_GYRO[placement]] = chain.trace_
        for event in chain.events_:
            if isinstance(event, StepEvent):
                self._contacts_ms[event.side].append(event.contact_ms)
        for ic_s in chain.contacts_s_:
            self._ics.append(ic_s)
            self._close_stride(chain.side, ic_s)

    def _flagged(
        self, event: StrikeEvent | StepEvent, doubts: Sequence[str]
    ) -> StrikeEvent | StepEvent:
        """``event`` with its quality flag (``processing.quality``): at IC its pod's doubts,
        at toe-off the whole step's."""
        if isinstance(event, StepEvent):
            earlier = [t for t in self._recent_ics[event.side] if t < event.ic_s - 1e-6]
            stride_s = event.ic_s - max(earlier) if earlier else None
            if stride_s is not None and stride_s > MAX_STRIDE_S:
                stride_s = None
            flag = step_flag(event.contact_ms, event.fsa_spread_deg, stride_s, doubts)
        else:
            flag = Flag() if not doubts else step_flag(None, None, None, doubts)
        if flag.good:
            return event
        return replace(event, quality=flag.quality, quality_reason=flag.reason)

    def _close_stride(self, side: Side, ic_s: float) -> None:
        previous = self._last_ic.get(side)
        self._last_ic[side] = ic_s
        if previous is None or not 0.0 < ic_s - previous <= MAX_STRIDE_S:
            self._last_stride_s.pop(side, None)
            return
        duration = ic_s - previous
        last = self._last_stride_s.get(side)
        self._last_stride_s[side] = duration
        if last is None or duration <= MAX_STRIDE_GROWTH * last:
            self._pending.append((side, previous, ic_s))

    def _update_segment(
        self, placement: Placement, block: SampleBlock, out: PipelineOutput
    ) -> None:
        chain = self.segments[placement]
        chain.update(block)
        t_s, angles = chain.trace_
        if t_s.size:
            for k, name in enumerate(SEGMENT_TRACES[placement]):
                out.traces[name] = (t_s, angles[:, k])

    def _flush_strides(self, out: PipelineOutput) -> None:
        ready: list[tuple[Side, float, float]] = []
        waiting: list[tuple[Side, float, float]] = []
        for side, start, end in self._pending:
            late = self._latest_t_s > end + STRIDE_WAIT_S
            # Every trunk/pelvis pod must have been read past the stride (whether aligned
            # yet or not), so what a stride holds depends on the data, not on which pod's
            # samples happened to arrive first.
            covered = all(
                c.seen_until_s >= end and (not c.ready or c.angles.latest_t_s >= end)
                for c in self.segments.values()
            )
            (ready if covered or late else waiting).append((side, start, end))
        self._pending = waiting
        if ready:  # all the strides at once: array operations, not a loop
            spans = [(start, end) for _, start, end in ready]
            ranges = {
                p: self._ranges[p].update_many(c.angles, spans) if c.ready else [None] * len(ready)
                for p, c in self.segments.items()
            }
            segments = {p: c.angles for p, c in self.segments.items() if c.ready}
            coordination = self._coordination.update_many(ready, segments)
            missing = self._segment_doubts()
            for k, (side, start, end) in enumerate(ready):
                trunk, pelvis = (ranges[p][k] if p in ranges else None for p in (TRUNK, PELVIS))
                stride = self._stride(side, start, end, trunk, pelvis, coordination[k])
                out.events.append(_with_flag(stride, {p.value: missing[p] for p in missing
                                                      if ranges[p][k] is None}))  # fmt: skip

    def _segment_doubts(self) -> dict[Placement, str]:
        """Why each worn trunk/pelvis pod would give a stride nothing (if it does)."""
        out = {}
        for placement, chain in self.segments.items():
            if not chain.calibration.calibrated_:
                out[placement] = "not calibrated"
            elif chain.status_ is AlignmentStatus.AMBIGUOUS:
                note = chain.alignment_note_
                out[placement] = f"axes ambiguous ({note})" if note else "axes ambiguous"
            else:
                out[placement] = "axes not found yet"
        return out

    @staticmethod
    def _stride(
        side: Side, start: float, end: float, trunk: SegmentRanges | None,
        pelvis: SegmentRanges | None, coordination: dict[str, float | None],
    ) -> StrideEvent:  # fmt: skip
        return StrideEvent(
            side, start, end,
            trunk_flex_mean_deg=trunk.flex_mean_deg if trunk else None,
            trunk_flex_rom_deg=trunk.flex_rom_deg if trunk else None,
            trunk_rot_rom_deg=trunk.rot_rom_deg if trunk else None,
            trunk_lat_rom_deg=trunk.lat_rom_deg if trunk else None,
            pelvis_rot_rom_deg=pelvis.rot_rom_deg if pelvis else None,
            pelvis_tilt_rom_deg=pelvis.flex_rom_deg if pelvis else None,
            pelvis_obliquity_rom_deg=pelvis.lat_rom_deg if pelvis else None,
            quality=Quality.GOOD, quality_reason="",  # judged afterwards (``_with_flag``)
            **coordination,
        )  # fmt: skip

    def _metrics(self, out: PipelineOutput) -> None:
        while self._ics and self._ics[0] < self._latest_t_s - CADENCE_WINDOW_S:
            self._ics.popleft()
        cadence = cadence_spm(sorted(self._ics), both_feet=len(self.shoes) == 2)
        if cadence is not None:
            out.metrics[names.CADENCE_SPM] = cadence
        for side, contacts in self._contacts_ms.items():
            if contacts:
                out.metrics[names.CONTACT_MS[side.value]] = statistics.median(contacts)

    def adopt_calibration(self, other: GaitPipeline) -> None:
        """Each pod starts from ``other``'s calibration and alignment where it has them."""
        for placement, shoe in self.shoes.items():
            if placement in other.shoes:
                shoe.adopt(other.shoes[placement])
        for placement, segment in self.segments.items():
            if placement in other.segments:
                segment.adopt(other.segments[placement])
        theirs = other._chain_map()
        for placement, _ in self._chains():
            if placement in theirs:
                self._origins[placement] = other.reference_of(placement)
        self._state = self._take_state()

    def calibration_state(self) -> CalibrationState:
        """Each calibrated pod's calibration and axes (if decided) as plain data, as of the
        end of the latest update (safe to call from another thread; do not modify it)."""
        return self._state

    def _take_state(self) -> CalibrationState:
        states = {p: chain_state(c) for p, c in self._chains()}
        return {p: s for p, s in states.items() if s is not None}

    def restore_calibration(
        self, state: CalibrationState, search: bool = True,
        origin: ReferenceKind = ReferenceKind.CARRIED,
    ) -> None:  # fmt: skip
        """Before any samples: each pod in ``state`` starts calibrated (and aligned, if its
        axes are given; otherwise they are found from the running as usual). With ``search``
        a quiet standing in the samples still replaces the calibration, as after a
        ``request_calibration``: a recording started from the live calibration is analysed
        from it until its first quiet standing, which then serves as the neutral (a later
        standing does not replace that one). ``origin``: where ``state`` came from, as
        ``reference_of`` reports it while it is in use."""
        for placement, chain in self._chains():
            if placement in state:
                restore_chain(chain, state[placement], search)
                self._origins[placement] = origin
        self._state = self._take_state()

    def reference_of(self, placement: Placement) -> ReferenceKind:
        """What the pod's angles rest on now: none, a standing found in its samples, or a
        calibration brought in (``origin`` of ``restore_calibration``). A standing found
        by looking ahead stays the reference's kind when the samples reach it: the numbers
        before it rest on it."""
        chain = self._chain_map().get(placement)
        origin = self._origins.get(placement, ReferenceKind.CARRIED)
        if chain is None or not chain.calibration.calibrated_:
            return ReferenceKind.NONE
        if chain.calibration.from_gait_:
            return ReferenceKind.GAIT
        if chain.calibration.carried_ or origin is ReferenceKind.LATER_STANDING:
            return origin
        return ReferenceKind.STANDING

    def _chains(self) -> list[tuple[Placement, ShoeChain | SegmentChain]]:
        return [*self.shoes.items(), *self.segments.items()]

    def _chain_map(self) -> dict[Placement, ShoeChain | SegmentChain]:
        return dict(self._chains())

    def _calibration_mark(self) -> list[tuple[int, bool]]:
        return [(c.calibration.version_, c.axes_ is not None) for _, c in self._chains()]

    def request_calibration(self) -> None:
        """The live app's "calibrate": each pod's next quiet standing (≥ 3 s) becomes its new
        neutral posture and gyro bias; until then the current calibration stays in use."""
        for shoe in self.shoes.values():
            shoe.request_calibration()
        for segment in self.segments.values():
            segment.request_calibration()

    def confirm_forward(self, placement: Placement, forward: FloatArray) -> None:
        """The user's answer for a trunk or pelvis pod whose forward direction was in doubt
        (sensor axes, e.g. ``calibration_check.forward_from_lean``): applied on the
        processing thread at the next update (safe to call from another thread)."""
        if placement in self.segments:
            self._confirmed = {**self._confirmed, placement: np.array(forward, dtype=float)}

    def _apply_confirmed(self) -> None:
        confirmed, self._confirmed = self._confirmed, {}
        for placement, forward in confirmed.items():
            self.segments[placement].confirm_forward(forward)

    def alignment_report(self) -> dict[str, dict[str, object]]:
        """Per pod (placement value): alignment ``status`` (an AlignmentStatus value), fit
        ``quality`` 0..1, a ``note`` for people, standing calibration found and when
        (``calibrated_at_s``; ``calibrated_before``: brought in, e.g. from the live session
        before the recording, not found in these samples), its gyro bias and ``rate_hz``;
        what the pod's angles rest on (``reference``: a ``processing.quality.ReferenceKind``
        value, ``reference_at_s``), its standing noise ``acc_sd_g`` and the latest alignment
        attempt's ``alignment_note`` (why not decided, e.g. the cues disagree)."""
        notes = {
            "waiting for standing": "no quiet standing (3 s still) found: not calibrated",
            "pending": "calibrated, but too little running yet to find the segment axes",
            "decided": "segment axes found from standing and running",
            "ambiguous": "running seen, but its direction could not be decided",
        }
        report: dict[str, dict[str, object]] = {}
        for placement, chain in self._chains():
            cal, status = chain.calibration, str(chain.status_)
            note = notes.get(status, status)
            if status == AlignmentStatus.AMBIGUOUS and chain.alignment_note_:
                note = f"{note}: {chain.alignment_note_}"
            report[placement.value] = {
                "status": status,
                "quality": float(chain.alignment_quality_),
                "note": note,
                "calibrated": bool(cal.calibrated_),
                "calibrated_at_s": float(cal.t_s_) if cal.calibrated_ else None,
                "calibrated_before": bool(cal.calibrated_ and cal.carried_),
                "gyro_bias_dps": cal.gyro_bias_dps_.tolist() if cal.calibrated_ else None,
                "rate_hz": float(chain.rate_hz),
                "reference": self.reference_of(placement).value,
                "reference_at_s": float(cal.t_s_) if cal.calibrated_ else None,
                "acc_sd_g": float(cal.acc_sd_g_) if cal.calibrated_ else None,
                "alignment_note": str(chain.alignment_note_),
            }
        return report


def _with_flag(stride: StrideEvent, missing: Mapping[str, str]) -> StrideEvent:
    """``stride`` with its quality flag (``processing.quality.stride_flag``)."""
    values = {name: getattr(stride, name) for name in RANGE_FIELDS}
    flag = stride_flag(values, missing)
    return stride if flag.good else replace(stride, quality=flag.quality,
                                            quality_reason=flag.reason)  # fmt: skip


def cadence_spm(ic_s: Sequence[float], both_feet: bool) -> float | None:
    """Steps per minute from sorted IC times: the median step (or stride, one foot) interval."""
    if len(ic_s) < 3:
        return None
    gaps = [float(b - a) for a, b in itertools.pairwise(ic_s)]  # a few dozen: plain Python
    gaps = [g for g in gaps if 0.15 < g < MAX_STRIDE_S]
    if not gaps:
        return None
    steps_per_interval = 1.0 if both_feet else 2.0
    return float(60.0 * steps_per_interval / statistics.median(gaps))


def _latest(t_s: FloatArray) -> float:
    """The latest time of a block, NaNs ignored (the plain maximum unless there are any)."""
    latest = float(t_s.max())
    return latest if not math.isnan(latest) else float(np.nanmax(t_s))


def gait_pipeline_of(pipeline: object) -> GaitPipeline | None:
    """``pipeline`` if it is a GaitPipeline, or the one a wrapper runs (the Lab Streaming
    Layer tee's ``inner``); None for anything else."""
    pipeline = getattr(pipeline, "inner", pipeline)
    return pipeline if isinstance(pipeline, GaitPipeline) else None
