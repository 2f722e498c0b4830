"""Finding pods: scan through a transport and name each device's model."""

from __future__ import annotations

from dataclasses import dataclass

from drivers.ble.link import Advertisement, BleTransport
from drivers.registry import PodModel, identify


@dataclass(frozen=True)
class FoundPod:
    """A device seen advertising; ``model`` is None when gaitdeck does not know it."""

    advertisement: Advertisement
    model: PodModel | None

    @property
    def address(self) -> str:
        return self.advertisement.address

    @property
    def name(self) -> str:
        return self.advertisement.name or ""

    @property
    def rssi_dbm(self) -> int | None:
        return self.advertisement.rssi_dbm


def classify(advertisements: list[Advertisement]) -> list[FoundPod]:
    """Each advertisement with its model, strongest signal first."""
    found = [FoundPod(adv, identify(adv.name, adv.service_uuids)) for adv in advertisements]
    return sorted(
        found, key=lambda p: (-(p.rssi_dbm if p.rssi_dbm is not None else -999), p.address)
    )


async def scan_pods(
    transport: BleTransport, timeout_s: float = 5.0, *, include_unknown: bool = False
) -> list[FoundPod]:
    """Pods advertising within ``timeout_s``; unknown devices only if asked for."""
    found = classify(await transport.scan(timeout_s))
    return found if include_unknown else [p for p in found if p.model is not None]


def format_pod(pod: FoundPod) -> str:
    """One line for ``gaitdeck scan``: model, name, address, RSSI."""
    model = pod.model.label if pod.model is not None else "(unknown)"
    rssi = f"{pod.rssi_dbm} dBm" if pod.rssi_dbm is not None else "? dBm"
    return f"{model:<34} {pod.name or '-':<20} {pod.address:<17} {rssi:>8}"
