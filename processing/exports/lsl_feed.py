"""Gait events onto Lab Streaming Layer: step markers and per-stride metrics.

Built on ``drivers.lsl.outlet.LslOutlet`` (raw IMU per pod, a marker stream, a value
stream), this adds what gaitdeck computes:

* Markers (type ``Markers``, one string channel, irregular): a small JSON object per event,
  stamped at the instant it describes. A StrikeEvent (published at initial contact) gives
  ``{"event": "foot_strike", "side": "left", "strike": "rearfoot", "fsa_deg": 12.34}`` at
  ``ic_s``; a StepEvent (published at toe-off) gives ``{"event": "foot_off", "side": …,
  "strike": …, "fsa_deg": …, "contact_ms": 231.0}`` at ``to_s``.
* Strides (type ``GaitMetrics``, float32, irregular): one sample per StrideEvent stamped at
  its start (the initial contact that opens it): ``side`` (0 left, 1 right), ``duration_s``,
  then every numeric StrideEvent field (``STRIDE_CHANNELS``); NaN where a value is missing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields

from drivers.lsl.outlet import LslOutlet
from drivers.lsl.stream_info import DEFAULT_TAG
from drivers.types import Placement, PodInfo, SampleBlock
from processing.events import GaitEvent, Side, StepEvent, StrideEvent, StrikeEvent

SPAN_FIELDS = ("side", "start_s", "end_s")
UNITS = {"_deg": "deg", "_pct": "%", "_s": "s", "_ms": "ms"}
SIDE_CODE = {Side.LEFT: 0.0, Side.RIGHT: 1.0}


def _unit(name: str) -> str:
    return next((unit for suffix, unit in UNITS.items() if name.endswith(suffix)), "")


STRIDE_FIELDS = tuple(  # the numbers: fields with a unit (not the quality words)
    f.name for f in fields(StrideEvent) if f.name not in SPAN_FIELDS and _unit(f.name)
)
STRIDE_CHANNELS: tuple[tuple[str, str], ...] = (
    ("side", "0 left, 1 right"),
    ("duration_s", "s"),
    *((name, _unit(name)) for name in STRIDE_FIELDS),
)


def marker_text(event: StrikeEvent | StepEvent) -> str:
    """The marker JSON of a strike (at IC) or a completed step (at toe-off)."""
    payload: dict[str, object] = {
        "event": "foot_off" if isinstance(event, StepEvent) else "foot_strike",
        "side": event.side.value,
        "strike": event.strike.value,
        "fsa_deg": _rounded(event.fsa_deg, 2),
    }
    if isinstance(event, StepEvent):
        payload["contact_ms"] = _rounded(event.contact_ms, 1)
    return json.dumps(payload, separators=(", ", ": "), allow_nan=False)


def marker_time_s(event: StrikeEvent | StepEvent) -> float:
    return event.to_s if isinstance(event, StepEvent) else event.ic_s


def stride_values(event: StrideEvent) -> list[float]:
    """The stride's channel values in STRIDE_CHANNELS order (NaN for None)."""
    values = [getattr(event, name) for name in STRIDE_FIELDS]
    numbers = [math.nan if v is None else float(v) for v in values]
    return [SIDE_CODE[event.side], event.duration_s, *numbers]


def _rounded(value: float, decimals: int) -> float | None:
    return round(float(value), decimals) if math.isfinite(value) else None


class GaitLslFeed:
    """The gait streams on one LslOutlet; call from the processing side (any thread)."""

    def __init__(self, outlet: LslOutlet) -> None:
        if list(outlet.value_channels) != [label for label, _ in STRIDE_CHANNELS]:
            raise ValueError("the outlet's value channels must be STRIDE_CHANNELS")
        self.outlet = outlet
        self.pod_of = {pod.placement: pod.pod_id for pod in outlet.pods.values()}

    @classmethod
    def open(
        cls,
        pods: Sequence[PodInfo],
        session_now_s: Callable[[], float],
        tag: str = DEFAULT_TAG,
    ) -> GaitLslFeed:
        """Create the outlets (raw IMU per pod, step markers, strides) and start streaming."""
        return cls(LslOutlet(pods, STRIDE_CHANNELS, session_now_s=session_now_s, tag=tag))

    def push_samples(self, pod_id: str, block: SampleBlock) -> None:
        self.outlet.push_samples(pod_id, block)

    push = push_samples  # PodSink

    def push_blocks(self, blocks: Mapping[Placement, SampleBlock]) -> None:
        """Blocks keyed by placement, as the engine hands them to the pipeline; placements
        without a stream are skipped."""
        for placement, block in blocks.items():
            pod_id = self.pod_of.get(placement)
            if pod_id is not None and len(block):
                self.outlet.push_samples(pod_id, block)

    def push_event(self, event: GaitEvent) -> None:
        """A strike or step as a marker, a stride as a metrics sample."""
        if isinstance(event, StrideEvent):
            self.outlet.push_values(event.start_s, stride_values(event))
        else:
            self.outlet.push_marker(marker_time_s(event), marker_text(event))

    def push_events(self, events: Iterable[GaitEvent]) -> None:
        for event in events:
            self.push_event(event)

    def close(self) -> None:
        self.outlet.close()
