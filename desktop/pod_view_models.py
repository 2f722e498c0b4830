"""What the pod status row and the pod manager show about each pod's link (no Qt).

Every source has rate, loss and reconnect counters and sync figures; only radio links
know RSSI, battery and the finer connection state, so those are read when present.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from desktop import palette
from desktop.view_models import DASH, format_number
from drivers.foot_pod import FootPodReading
from drivers.types import LinkStats, Placement, PodInfo, PodState

FootPodStatus = tuple[PodInfo, LinkStats, FootPodReading | None]

PLACEMENT_ORDER = (Placement.TRUNK, Placement.PELVIS, Placement.LEFT_SHOE, Placement.RIGHT_SHOE)
PLACEMENT_TITLES = {
    Placement.TRUNK: "Upper trunk",
    Placement.PELVIS: "Pelvis (sacrum)",
    Placement.LEFT_SHOE: "Left shoe",
    Placement.RIGHT_SHOE: "Right shoe",
}
FINE_STATE_NOTES = {  # drivers.ble.state.ConnectionState values worth telling apart
    "connecting": "connecting",
    "configuring": "configuring",
    "subscribing": "starting stream",
    "lost": "link lost",
    "waiting": "waiting to reconnect",
    "disconnecting": "disconnecting",
    "closed": "disconnected",
    "failed": "gave up",
}


def _finite(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _optional(stats: LinkStats, name: str) -> float | None:
    """A figure only radio links have (``BleLinkStats``): RSSI, battery."""
    return _finite(getattr(stats, name, None))


def rssi_text(stats: LinkStats) -> str:
    rssi = _optional(stats, "rssi_dbm")
    return f"{rssi:.0f} dBm".replace("-", "−") if rssi is not None else f"{DASH} dBm"


def battery_text(stats: LinkStats) -> str:
    battery = _optional(stats, "battery_pct")
    return f"{battery:.0f}%" if battery is not None else DASH


def sync_figures(stats: LinkStats) -> str:
    """Sync quality: jitter of the arrival times (ms) and the pod clock's drift (ppm)."""
    jitter = _finite(stats.sync_jitter_ms)
    drift = _finite(stats.sync_drift_ppm)
    if jitter is None and drift is None:
        return DASH
    parts = []
    if jitter is not None:
        parts.append(f"±{jitter:.1f} ms")
    if drift is not None:
        parts.append(f"{drift:+.0f} ppm".replace("-", "−"))
    return " · ".join(parts)


def sync_text(stats: LinkStats) -> str:
    return f"sync {sync_figures(stats)}"


def lost_figures(stats: LinkStats) -> str:
    """Samples lost and their share of all samples: ``16 (1.6%)``."""
    lost_pct = 100.0 * stats.samples_lost / max(1, stats.samples + stats.samples_lost)
    return f"{stats.samples_lost} ({lost_pct:.1f}%)"


def lost_text(stats: LinkStats) -> str:
    count, share = lost_figures(stats).split(" ", 1)
    return f"{count} lost {share}"


def reconnects_text(stats: LinkStats) -> str:
    return f"{stats.reconnects} reconnect{'s' if stats.reconnects != 1 else ''}"


def fine_state(stats: LinkStats) -> str | None:
    """The radio link's own state (e.g. ``waiting to reconnect``), if the source has one."""
    state = getattr(stats, "connection_state", None)
    return FINE_STATE_NOTES.get(str(state)) if state is not None else None


def radio_text(stats: LinkStats) -> str:
    """RSSI and battery where known, then sync quality: one line of a pod card."""
    parts = []
    if _optional(stats, "rssi_dbm") is not None:
        parts.append(rssi_text(stats))
    if _optional(stats, "battery_pct") is not None:
        parts.append(f"battery {battery_text(stats)}")
    parts.append(sync_text(stats))
    return " · ".join(parts)


@dataclass(frozen=True)
class PodCardModel:
    """One card of the status row, ready to render."""

    placement: Placement
    title: str
    model: str
    state_text: str
    colour: str
    rate_text: str
    lost_text: str
    detail: str = ""
    link_text: str = ""
    confidence: str = ""  # what its numbers rest on, or why they are in doubt
    confidence_colour: str = ""  # '' for plain (muted) text

    @classmethod
    def from_status(cls, info: PodInfo, stats: LinkStats) -> PodCardModel:
        rate = stats.effective_rate_hz if stats.state is PodState.STREAMING else None
        detail = reconnects_text(stats)
        if stats.frames_malformed:
            detail += f" · {stats.frames_malformed} bad frames"
        note = fine_state(stats)
        if note is not None and stats.state is not PodState.STREAMING:
            detail += f" · {note}"
        return cls(
            placement=info.placement,
            title=PLACEMENT_TITLES[info.placement],
            model=info.model,
            state_text=stats.state.value.upper(),
            colour=palette.STATE_COLOURS[stats.state],
            rate_text=f"{format_number(rate, decimals=1)} / {info.nominal_rate_hz:.0f} Hz",
            lost_text=lost_text(stats),
            detail=detail,
            link_text=radio_text(stats),
        )

    @classmethod
    def absent(cls, placement: Placement) -> PodCardModel:
        return cls(
            placement, PLACEMENT_TITLES[placement], "no pod in this session", "ABSENT",
            palette.ABSENT_COLOUR, f"{DASH} Hz", f"{DASH} lost", "placement not covered",
        )  # fmt: skip


def pod_cards(
    status: Iterable[tuple[PodInfo, LinkStats]],
    confidence: Mapping[Placement, tuple[str, bool]] | None = None,
) -> list[PodCardModel]:
    """One card per placement in body order; placements without a pod get an absent card.
    ``confidence``: per pod, the line on trusting its numbers and whether it is in doubt
    (shown in the warning colour)."""
    by_placement = {info.placement: (info, stats) for info, stats in status}
    cards = [
        PodCardModel.from_status(*by_placement[p]) if p in by_placement else PodCardModel.absent(p)
        for p in PLACEMENT_ORDER
    ]
    lines = confidence or {}
    return [
        replace(card, confidence=lines[card.placement][0],
                confidence_colour=palette.WARNING_COLOUR if lines[card.placement][1] else "")
        if card.placement in lines and card.placement in by_placement else card
        for card in cards
    ]  # fmt: skip


def foot_pod_text(foot_pods: Iterable[FootPodStatus]) -> str:
    """What running speed & cadence foot pods report, for beside gaitdeck's own cadence:
    ``foot pod (right shoe): 172 steps/min · 3.45 m/s``; empty without foot pods."""
    parts = []
    for info, stats, reading in foot_pods:
        where = PLACEMENT_TITLES[info.placement].lower()
        if stats.state is not PodState.STREAMING or reading is None:
            parts.append(f"foot pod ({where}): {stats.state.value}")
        else:
            parts.append(f"foot pod ({where}): {reading.cadence_per_min} steps/min · "
                         f"{reading.speed_m_s:.2f} m/s")  # fmt: skip
    return "  |  ".join(parts)
