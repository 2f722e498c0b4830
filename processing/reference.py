"""Reference values the live panels draw against: literature values, the runner's own
coordination baseline, and left/right symmetry of recent steps. No Qt.

* Foot strike angle thresholds (Altman & Davis 2012) come from ``StrikeThresholds``.
* Teng & Powers (2015) compared runners who ran with about 11° and about 4° of mean trunk
  flexion (relative to vertical); gaitdeck's flexion is relative to the runner's standing
  posture, so the two are drawn as reference lines, not as targets.
* ``CoordinationBaseline`` takes the mean in-phase share and CRP of the first ``strides``
  strides after it is armed (at calibration or when the clinician asks).
* ``SideSymmetry`` gives the symmetry index of contact time over recent steps and the
  left − right difference of foot strike angle (an index of a signed angle near zero is
  meaningless, so angles are compared by their difference, as in the session summary).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from processing.events import GaitEvent, Side, StepEvent, StrideEvent, StrikeThresholds
from processing.exports.session_stats import symmetry_index

ALTMAN_DAVIS_2012 = (
    "Altman & Davis (2012), Gait Posture 35: foot strike angle above 8° is a rearfoot "
    "strike, below −1.6° a forefoot strike, midfoot in between."
)
TENG_POWERS_2015 = (
    "Teng & Powers (2015), Med Sci Sports Exerc 47: their high- and low-flexion groups ran "
    "with about 11° and about 4° of mean trunk flexion; the forward lean shifted load from "
    "the knee towards the hip. Their angles are relative to vertical, gaitdeck's to your "
    "standing posture."
)
TRUNK_FLEXION_GROUPS_DEG = {"low-flexion group": 4.0, "high-flexion group": 11.0}
STRIKE_THRESHOLDS = StrikeThresholds()
BASELINE_STRIDES = 20


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


@dataclass(frozen=True)
class Baseline:
    in_phase_pct: float
    crp_deg: float
    strides: int


class CoordinationBaseline:
    """The runner's own pelvis–trunk (transverse) coordination: means of the first
    ``strides`` strides with both values after ``arm()``. ``value`` is None until then."""

    def __init__(self, strides: int = BASELINE_STRIDES) -> None:
        if strides < 1:
            raise ValueError("a baseline needs at least one stride")
        self.strides = strides
        self.value: Baseline | None = None
        self.armed = True  # the first strides of a session are its baseline
        self._in_phase: list[float] = []
        self._crp: list[float] = []

    def arm(self) -> None:
        """Start a new baseline from the next strides (the old one shows until then)."""
        self.armed = True
        self._in_phase, self._crp = [], []

    @property
    def collected(self) -> int:
        return len(self._crp)

    def add(self, event: GaitEvent) -> bool:
        """Take one event; True when this completed the baseline."""
        if not self.armed or not isinstance(event, StrideEvent):
            return False
        in_phase, crp = event.pt_transverse_in_phase_pct, event.pt_transverse_crp_mean_deg
        if in_phase is None or crp is None or not (_finite(in_phase) and _finite(crp)):
            return False
        self._in_phase.append(in_phase)
        self._crp.append(crp)
        if len(self._crp) < self.strides:
            return False
        n = len(self._crp)
        self.value = Baseline(sum(self._in_phase) / n, sum(self._crp) / n, n)
        self.armed = False
        return True


@dataclass(frozen=True)
class Symmetry:
    contact_si_pct: float | None  # 100 (L − R) / mean(L, R)
    fsa_diff_deg: float | None  # mean FSA left − right


class SideSymmetry:
    """Left/right symmetry over each foot's last ``window`` completed steps."""

    def __init__(self, window: int = 20) -> None:
        self._contact_ms = {side: deque[float](maxlen=window) for side in Side}
        self._fsa_deg = {side: deque[float](maxlen=window) for side in Side}

    def add(self, event: GaitEvent) -> None:
        if isinstance(event, StepEvent):
            self._contact_ms[event.side].append(event.contact_ms)
            self._fsa_deg[event.side].append(event.fsa_deg)

    def reset(self) -> None:
        for series in (*self._contact_ms.values(), *self._fsa_deg.values()):
            series.clear()

    def value(self) -> Symmetry:
        contact = {side: _mean(v) for side, v in self._contact_ms.items()}
        fsa = {side: _mean(v) for side, v in self._fsa_deg.items()}
        left_fsa, right_fsa = fsa[Side.LEFT], fsa[Side.RIGHT]
        return Symmetry(
            symmetry_index(contact[Side.LEFT], contact[Side.RIGHT]),
            left_fsa - right_fsa if left_fsa is not None and right_fsa is not None else None,
        )


def _mean(values: deque[float]) -> float | None:
    return sum(values) / len(values) if values else None
