"""Link quality as the pod cards and the pod manager show it (no Qt)."""

from __future__ import annotations

from desktop_fakes import pod, stats

from desktop.pod_view_models import (
    PodCardModel,
    battery_text,
    lost_figures,
    radio_text,
    rssi_text,
    sync_figures,
)
from drivers.ble.pod_source import BleLinkStats
from drivers.ble.state import ConnectionState
from drivers.types import LinkStats, Placement, PodState


def test_simulated_pod_shows_rate_loss_reconnects_and_sync() -> None:
    sim = LinkStats(state=PodState.STREAMING, samples=9_900, samples_lost=100, reconnects=2,
                    effective_rate_hz=199.4, sync_jitter_ms=0.84, sync_drift_ppm=-37.2)  # fmt: skip
    card = PodCardModel.from_status(pod(Placement.TRUNK), sim)
    assert card.rate_text == "199.4 / 200 Hz"
    assert card.lost_text == "100 lost (1.0%)"
    assert card.detail == "2 reconnects"
    assert card.link_text == "sync ±0.8 ms · −37 ppm"  # no radio: no RSSI, no battery


def test_radio_pod_adds_rssi_battery_and_its_fine_state() -> None:
    ble = BleLinkStats(state=PodState.LOST, samples=1000, rssi_dbm=-67, battery_pct=81,
                       connection_state=ConnectionState.WAITING)  # fmt: skip
    card = PodCardModel.from_status(pod(Placement.LEFT_SHOE), ble)
    assert card.link_text == "−67 dBm · battery 81% · sync —"
    assert card.detail == "0 reconnects · waiting to reconnect"
    assert card.rate_text.startswith("—")  # a lost pod claims no rate


def test_missing_figures_are_dashes() -> None:
    empty = stats()
    assert rssi_text(empty) == "— dBm"
    assert battery_text(empty) == "—"
    assert sync_figures(empty) == "—"
    assert radio_text(empty) == "sync —"
    assert lost_figures(LinkStats()) == "0 (0.0%)"
    nan_sync = LinkStats(sync_jitter_ms=float("nan"), sync_drift_ppm=12.0)
    assert sync_figures(nan_sync) == "+12 ppm"
