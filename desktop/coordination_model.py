"""Pelvis–trunk coordination of recent strides, as the coordination panel shows it (no Qt)."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from desktop import palette
from drivers.types import FloatArray
from processing.events import StrideEvent

TREND_WINDOW = 60  # strides in the trend sparklines (CRP here, stride ranges elsewhere)


@dataclass(frozen=True)
class PhaseBin:
    key: str  # StrideEvent field pt_transverse_<key>_pct
    label: str
    colour: str


PHASE_BINS = (  # in the order they are stacked, bottom up
    PhaseBin("in_phase", "In-phase", palette.IN_PHASE_COLOUR),
    PhaseBin("pelvis_phase", "Pelvis-phase", palette.PELVIS_COLOUR),
    PhaseBin("trunk_phase", "Trunk-phase", palette.TRUNK_COLOUR),
    PhaseBin("anti_phase", "Anti-phase", palette.ANTI_PHASE_COLOUR),
)
COORDINATION_WINDOW = 30  # strides in the stacked share bars
RUNNING_MEAN = 10  # strides in the running means


def _value(value: float | None) -> float:
    return float(value) if value is not None else math.nan


def crp_note(crp_deg: float | None) -> str:
    """|CRP| (0 in phase .. 180 anti-phase) in words."""
    if crp_deg is None or not math.isfinite(crp_deg):
        return "needs trunk and pelvis"
    return "near in-phase" if crp_deg < 45 else "near anti-phase" if crp_deg > 135 else "shifted"


class CoordinationTrends:
    """Transverse-plane pelvis–trunk coordination of recent strides: the four phase shares
    per stride (NaN where the trunk or pelvis was missing), the CRP trend, running means of
    the last ``mean_of`` strides that had them, and the latest stride's other couplings."""

    def __init__(
        self,
        window: int = COORDINATION_WINDOW,
        trend_window: int = TREND_WINDOW,
        mean_of: int = RUNNING_MEAN,
    ) -> None:
        self.window = window
        self.trend_window = trend_window
        self.mean_of = mean_of
        self.latest: StrideEvent | None = None
        self._shares: deque[tuple[float, ...]] = deque(maxlen=window)
        self._crp: deque[float] = deque(maxlen=trend_window)
        self.revision = 0

    def add(self, stride: StrideEvent) -> None:
        if self.latest is None or stride.end_s >= self.latest.end_s:
            self.latest = stride
        shares = (getattr(stride, f"pt_transverse_{b.key}_pct") for b in PHASE_BINS)
        self._shares.append(tuple(_value(v) for v in shares))
        self._crp.append(_value(stride.pt_transverse_crp_mean_deg))
        self.revision += 1

    def reset(self) -> None:
        self.latest = None
        self._shares.clear()
        self._crp.clear()
        self.revision += 1

    def shares_pct(self) -> FloatArray:
        """(strides, 4) shares in PHASE_BINS order, oldest first."""
        return np.array(self._shares, dtype=np.float64).reshape(-1, len(PHASE_BINS))

    def mean_shares_pct(self) -> FloatArray | None:
        shares = self.shares_pct()
        shares = shares[np.isfinite(shares).all(axis=1)][-self.mean_of :]
        return shares.mean(axis=0) if len(shares) else None

    def crp_series(self) -> FloatArray:
        return np.fromiter(self._crp, dtype=np.float64)

    def mean_crp_deg(self) -> float | None:
        crp = self.crp_series()
        crp = crp[np.isfinite(crp)][-self.mean_of :]
        return float(crp.mean()) if crp.size else None

    def latest_value(self, key: str) -> float | None:
        value = getattr(self.latest, key) if self.latest is not None else None
        return float(value) if value is not None and math.isfinite(value) else None
