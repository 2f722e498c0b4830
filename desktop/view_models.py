"""What the live window shows, computed from the board without Qt (unit-testable).

``DeckViewModel.pull(board)`` is called once per frame: it reads new gait events from its
cursor and routes them to the per-foot strike models, the stride trends and the cadence /
contact model. Widgets only render these objects.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from desktop import palette
from desktop.coordination_model import TREND_WINDOW, CoordinationTrends
from drivers.types import FloatArray, LinkStats, PodInfo
from processing import traces
from processing.board import MetricsBoard
from processing.events import GaitEvent, Side, StepEvent, StrideEvent, StrikeEvent, StrikeType
from processing.quality import Quality

DASH = "—"
STRIKE_WINDOW = 50  # steps in the per-foot distribution


class SessionView(Protocol):
    """What the window reads from a live session (``LiveSession`` satisfies it)."""

    board: MetricsBoard

    def pod_status(self) -> list[tuple[PodInfo, LinkStats]]: ...

    def request_calibration(self) -> bool:
        """Recalibrate from the next quiet standing; False if the session cannot."""
        ...


# ---------------------------------------------------------------------------- formatting
def _is_number(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def format_deg(value: float | None, *, signed: bool = False, decimals: int = 1) -> str:
    """``12.3°``, or an em dash when the value is missing; minus is a true minus sign."""
    if value is None or not _is_number(value):
        return DASH
    text = f"{value:+.{decimals}f}°" if signed else f"{value:.{decimals}f}°"
    return text.replace("-", "−")


def format_number(value: float | None, unit: str = "", decimals: int = 0) -> str:
    if value is None or not _is_number(value):
        return DASH
    return f"{value:.{decimals}f}{(' ' + unit) if unit else ''}"


def format_percent(fraction: float) -> str:
    return f"{round(100.0 * fraction):d}%"


def strike_colour(strike: StrikeType | None) -> str:
    return palette.STRIKE_COLOURS[strike] if strike else palette.NO_STRIKE_COLOUR


def toes_note(fsa_deg: float) -> str:
    """FSA is positive with the toes up (heel first), negative with the toes down."""
    return "toes up" if fsa_deg > 0 else "toes down" if fsa_deg < 0 else "flat"


# ------------------------------------------------------------------------ strike per foot
class StrikeDistribution:
    """Strike types of the last ``window`` steps of one foot."""

    def __init__(self, window: int = STRIKE_WINDOW) -> None:
        self.window = window
        self._strikes: deque[StrikeType] = deque(maxlen=window)
        self._contacts: deque[float] = deque(maxlen=window)  # each strike's IC time

    def add(self, strike: StrikeType, ic_s: float = float("nan")) -> None:
        self._strikes.append(strike)
        self._contacts.append(ic_s)

    def revise(self, ic_s: float, strike: StrikeType) -> None:
        """The step of the contact at ``ic_s`` completed: its refined type replaces the
        one judged at contact (if that contact is still in the window)."""
        for k in range(len(self._contacts) - 1, -1, -1):
            if abs(self._contacts[k] - ic_s) < 1e-6:
                self._strikes[k] = strike
                return

    def clear(self) -> None:
        self._strikes.clear()
        self._contacts.clear()

    @property
    def total(self) -> int:
        return len(self._strikes)

    def counts(self) -> dict[StrikeType, int]:
        counts = dict.fromkeys(StrikeType, 0)
        for strike in self._strikes:
            counts[strike] += 1
        return counts

    def fractions(self) -> dict[StrikeType, float]:
        total = self.total
        return {k: (n / total if total else 0.0) for k, n in self.counts().items()}


@dataclass(frozen=True)
class StrikeReading:
    ic_s: float
    fsa_deg: float
    strike: StrikeType
    quality: Quality = Quality.GOOD
    reason: str = ""

    @property
    def doubtful(self) -> bool:
        return self.quality is not Quality.GOOD


RECENT_STEPS = 10  # completed steps whose quality the pod card sums up


class FootStrikeModel:
    """The last strike of one foot and its distribution.

    A step may arrive twice (its StrikeEvent at contact, its StepEvent at toe-off); it is
    counted once, keyed by its initial-contact time. The StepEvent then updates the last
    reading and the distribution with the step's refined angle and type, and its quality
    (``processing.quality``): a low one is shown greyed, its type with a "?".
    ``recent_quality`` holds the last completed steps'.
    """

    def __init__(self, side: Side, window: int = STRIKE_WINDOW) -> None:
        self.side = side
        self.last: StrikeReading | None = None
        self.distribution = StrikeDistribution(window)
        self.recent_quality: deque[Quality] = deque(maxlen=RECENT_STEPS)
        self._seen_ic: deque[float] = deque(maxlen=8)
        self.revision = 0  # bumped on every change, so widgets redraw only then

    def add(self, ic_s: float, fsa_deg: float, strike: StrikeType,
            quality: Quality = Quality.GOOD, reason: str = "") -> bool:  # fmt: skip
        """A strike (or a completed step); True if it is a new contact."""
        reading = StrikeReading(ic_s, fsa_deg, strike, quality, reason)
        if any(abs(ic_s - seen) < 1e-6 for seen in self._seen_ic):
            if self.last is not None and abs(self.last.ic_s - ic_s) < 1e-6:
                self.last = reading  # the step completed: its refined angle and quality
            self.distribution.revise(ic_s, strike)
            self.revision += 1
            return False
        self._seen_ic.append(ic_s)
        if self.last is None or ic_s >= self.last.ic_s:
            self.last = reading
        self.distribution.add(strike, ic_s)
        self.revision += 1
        return True

    def add_step_quality(self, quality: Quality) -> None:
        self.recent_quality.append(quality)

    def reset(self) -> None:
        """Forget every step (the board started over)."""
        self.last = None
        self.distribution.clear()
        self.recent_quality.clear()
        self._seen_ic.clear()
        self.revision += 1

    @property
    def type_text(self) -> str:
        if self.last is None:
            return DASH
        return self.last.strike.value.upper() + ("?" if self.last.doubtful else "")

    @property
    def fsa_text(self) -> str:
        if self.last is None:
            return DASH
        return format_deg(self.last.fsa_deg, signed=True)

    @property
    def quality_note(self) -> str:
        """'' for a good last step, else ``low confidence · <why>``."""
        if self.last is None or not self.last.doubtful:
            return ""
        return f"low confidence · {self.last.reason}" if self.last.reason else "low confidence"

    @property
    def colour(self) -> str:
        if self.last is not None and self.last.doubtful:
            return palette.TEXT_DIM  # greyed: not shown as fact
        return strike_colour(self.last.strike if self.last else None)


# ------------------------------------------------------------------------- stride trends
@dataclass(frozen=True)
class StrideMetric:
    key: str  # StrideEvent attribute
    label: str
    unit: str = "°"


STRIDE_METRICS = (
    StrideMetric("trunk_flex_mean_deg", "Trunk flexion, mean"),
    StrideMetric("trunk_flex_rom_deg", "Trunk flexion range"),
    StrideMetric("trunk_rot_rom_deg", "Trunk rotation range"),
    StrideMetric("trunk_lat_rom_deg", "Trunk lateral bend range"),
    StrideMetric("pelvis_rot_rom_deg", "Pelvis rotation range"),
    StrideMetric("pelvis_tilt_rom_deg", "Pelvis tilt range"),
    StrideMetric("pelvis_obliquity_rom_deg", "Pelvis obliquity range"),
)


class StrideTrends:
    """The latest stride's ranges and each range over the last ``window`` strides (NaN gaps)."""

    def __init__(self, window: int = TREND_WINDOW) -> None:
        self.window = window
        self.latest: StrideEvent | None = None
        self._series = {m.key: deque[float](maxlen=window) for m in STRIDE_METRICS}
        self.revision = 0

    def add(self, stride: StrideEvent) -> None:
        if self.latest is None or stride.end_s >= self.latest.end_s:
            self.latest = stride
        for key, series in self._series.items():
            value = getattr(stride, key)
            series.append(float(value) if value is not None else math.nan)
        self.revision += 1

    def reset(self) -> None:
        self.latest = None
        for series in self._series.values():
            series.clear()
        self.revision += 1

    def latest_value(self, key: str) -> float | None:
        return getattr(self.latest, key) if self.latest is not None else None

    def latest_text(self, key: str) -> str:
        return format_deg(self.latest_value(key))

    def series(self, key: str) -> FloatArray:
        return np.fromiter(self._series[key], dtype=np.float64)


# ------------------------------------------------------------------- cadence and contact
class CadenceContactModel:
    """Cadence and per-foot contact time: board metrics first, else from recent steps."""

    def __init__(self, window: int = 10) -> None:
        self.metrics: dict[str, float] = {}
        self._contact_ms = {side: deque[float](maxlen=window) for side in Side}
        self._ic_s: deque[float] = deque(maxlen=window + 1)

    def add_step(self, step: StepEvent) -> None:
        self._contact_ms[step.side].append(step.contact_ms)

    def reset(self) -> None:
        self.metrics = {}
        for recent in self._contact_ms.values():
            recent.clear()
        self._ic_s.clear()

    def add_contact(self, ic_s: float) -> None:
        if not self._ic_s or ic_s > self._ic_s[-1]:
            self._ic_s.append(ic_s)

    @property
    def cadence_spm(self) -> float | None:
        value = self.metrics.get(traces.CADENCE_SPM)
        if value is not None and math.isfinite(value) and value > 0:
            return value
        if len(self._ic_s) < 3:
            return None
        span_s = self._ic_s[-1] - self._ic_s[0]
        return 60.0 * (len(self._ic_s) - 1) / span_s if span_s > 0 else None

    def contact_ms(self, side: Side) -> float | None:
        value = self.metrics.get(traces.CONTACT_MS[side.value])
        if value is not None and math.isfinite(value) and value > 0:
            return value
        recent = self._contact_ms[side]
        return float(np.median(recent)) if recent else None


# ---------------------------------------------------------------------- markers and frame
@dataclass(frozen=True)
class ContactMarker:
    side: Side
    ic_s: float
    strike: StrikeType


class FrameRateMeter:
    """Frames per second over a sliding window of frame times (seconds, any clock)."""

    def __init__(self, window: int = 60) -> None:
        self._times: deque[float] = deque(maxlen=window)

    def tick(self, now_s: float) -> None:
        self._times.append(now_s)

    @property
    def fps(self) -> float:
        if len(self._times) < 2:
            return 0.0
        span = self._times[-1] - self._times[0]
        return (len(self._times) - 1) / span if span > 0 else 0.0


@dataclass
class DeckViewModel:
    """Everything event-driven the window shows, advanced by ``pull`` once per frame."""

    feet: dict[Side, FootStrikeModel] = field(
        default_factory=lambda: {side: FootStrikeModel(side) for side in Side}
    )
    strides: StrideTrends = field(default_factory=StrideTrends)
    coordination: CoordinationTrends = field(default_factory=CoordinationTrends)
    cadence: CadenceContactModel = field(default_factory=CadenceContactModel)
    markers: deque[ContactMarker] = field(default_factory=lambda: deque(maxlen=64))
    cursor: int = 0
    events_seen: int = 0
    epoch: int = 0  # the board's epoch what is shown was gathered in

    def pull(self, board: MetricsBoard) -> int:
        """Read new events and the latest metrics; returns how many events were new.
        A board that started over (a new ``epoch``: a replay seek) first clears
        everything gathered so far."""
        if board.epoch != self.epoch:
            self.reset()
            self.epoch = board.epoch
        events, self.cursor = board.events_since(self.cursor)
        self.ingest(events)
        self.cadence.metrics = board.metrics()
        return len(events)

    def reset(self) -> None:
        """Drop every step, stride and marker shown (the cursor stays: board sequence
        numbers keep increasing across a reset)."""
        for foot in self.feet.values():
            foot.reset()
        self.strides.reset()
        self.coordination.reset()
        self.cadence.reset()
        self.markers.clear()
        self.events_seen = 0

    def ingest(self, events: Iterable[GaitEvent]) -> None:
        for event in events:
            self.events_seen += 1
            if isinstance(event, StrikeEvent | StepEvent):
                foot = self.feet[event.side]
                if foot.add(event.ic_s, event.fsa_deg, event.strike, event.quality,
                            event.quality_reason):  # fmt: skip
                    self.markers.append(ContactMarker(event.side, event.ic_s, event.strike))
                    self.cadence.add_contact(event.ic_s)
                if isinstance(event, StepEvent):
                    self.cadence.add_step(event)
                    foot.add_step_quality(event.quality)
            elif isinstance(event, StrideEvent):
                self.strides.add(event)
                self.coordination.add(event)


class StickyRange:
    """A plot's y range that grows at once to fit the data but shrinks only when the data
    has used less than ``shrink_below`` of it, so the axis does not jitter every frame."""

    def __init__(self, minimum_span: float, pad: float = 0.08, shrink_below: float = 0.45) -> None:
        self.minimum_span = minimum_span
        self.pad = pad
        self.shrink_below = shrink_below
        self.current: tuple[float, float] | None = None

    def update(self, low: float, high: float) -> tuple[float, float] | None:
        """The new range if it must change for data spanning [low, high], else None."""
        if not (math.isfinite(low) and math.isfinite(high)):
            return None
        centre, span = (low + high) / 2, max(high - low, self.minimum_span)
        if self.current is not None:
            cur_low, cur_high = self.current
            fits = cur_low <= low and high <= cur_high
            if fits and span >= self.shrink_below * (cur_high - cur_low):
                return None
        half = span * (0.5 + self.pad)
        self.current = (centre - half, centre + half)
        return self.current
