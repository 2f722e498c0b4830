"""What the pod manager shows and does, without Qt: scan, choose, connect, disconnect.

``PodManagerModel`` keeps the pods found by the last scan and what the user chose for each
(placement, rate; pre-filled from ``PodMemory`` and saved back on every choice), and turns
them plus the live links of a ``PodSession`` into one ``PodRowModel`` per pod. Scans run on
the BLE thread; ``poll()`` (called by the dialog's timer) collects a finished scan.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

from desktop import palette
from desktop.pod_session import PodChoice, PodSession, is_imu
from desktop.pod_view_models import (
    PLACEMENT_ORDER,
    PLACEMENT_TITLES,
    battery_text,
    fine_state,
    lost_figures,
    rssi_text,
    sync_figures,
)
from desktop.view_models import DASH
from drivers.ble.scan import FoundPod
from drivers.errors import GaitdeckError
from drivers.models.polar.profile import profile_for_name
from drivers.pod_links import PodLink
from drivers.pod_memory import PodMemory, normalise_address
from drivers.registry import model_by_key
from drivers.types import Placement, PodState

DEFAULT_SCAN_S = 5.0
# Rates offered per model, within what each model can do (gait needs ≥ 50 Hz).
RATE_CHOICES_HZ: dict[str, tuple[float, ...]] = {
    "witmotion": (50.0, 100.0, 200.0),
    "metamotion": (50.0, 100.0, 200.0),
}  # Polar: from the model's profile, by advertised name
MIN_GAIT_RATE_HZ = 50
NOT_CONNECTED = "not connected"
IDLE_COLOUR = palette.TEXT_DIM


def default_rate_hz(model_key: str, name: str | None = None) -> float | None:
    """The rate gaitdeck asks this model for by default; None if it cannot stream from it."""
    from drivers.ble.pods import default_rate_hz as factory_default

    try:
        return factory_default(model_key, name=name)
    except KeyError:
        return None


def rate_choices(model_key: str | None, name: str | None = None) -> tuple[float, ...]:
    """Rates the user may pick for a model (``name`` tells Polar models apart); empty when
    gaitdeck cannot stream from it; just the default for pods without IMU samples."""
    default = default_rate_hz(model_key, name) if model_key else None
    if default is None or model_key is None:
        return ()
    if not is_imu(model_key):
        return (default,)
    offered = _polar_rates(name) if model_key == "polar" else RATE_CHOICES_HZ.get(model_key, ())
    return tuple(sorted({*offered, default}))


def _polar_rates(name: str | None) -> tuple[float, ...]:
    profile = profile_for_name(name)
    if profile is None:
        return ()
    stream = profile.sdk_mode_acc if profile.gyro is not None else profile.acc
    rates = (stream or profile.acc).sample_rates_hz
    return tuple(float(r) for r in rates if r >= MIN_GAIT_RATE_HZ)


@dataclass(frozen=True)
class PodRowModel:
    """One row of the pod manager, ready to render."""

    address: str
    model_key: str | None
    model_text: str
    name: str
    rssi_text: str
    placement: Placement | None
    rate_hz: float | None
    rate_choices: tuple[float, ...]
    state_text: str
    state_colour: str
    battery_text: str
    received_text: str  # effective rate
    lost_text: str
    reconnects_text: str
    sync_text: str
    connected: bool  # a link exists: the action is Disconnect
    can_act: bool  # the action button is enabled
    note: str = ""  # why it cannot connect, or why its link gave up

    @property
    def rate_labels(self) -> tuple[str, ...]:
        """One label per rate choice; foot pods report when they like, so no rate shown."""
        if self.model_key is not None and not is_imu(self.model_key):
            return tuple(DASH for _ in self.rate_choices)
        return tuple(f"{rate:g} Hz" for rate in self.rate_choices)

    @property
    def action_text(self) -> str:
        return "Disconnect" if self.connected else "Connect"


@dataclass
class _Choice:
    placement: Placement | None = None
    rate_hz: float | None = None


class PodManagerModel:
    """State and actions of the pod manager over ``session`` and ``memory``."""

    def __init__(self, session: PodSession, memory: PodMemory) -> None:
        self.session = session
        self.memory = memory
        self.found: dict[str, FoundPod] = {}
        self.choices: dict[str, _Choice] = {}
        self.message = "Press Scan to look for pods"
        self.scanning = False
        self._scan: Future[list[FoundPod]] | None = None
        self._scan_s = DEFAULT_SCAN_S
        self._reported: set[str] = set()  # addresses whose give-up is already told

    # --------------------------------------------------------------------------- scan
    def start_scan(self, timeout_s: float = DEFAULT_SCAN_S) -> None:
        if self.scanning:
            return
        self.scanning = True
        self._scan_s = timeout_s
        self.message = f"Scanning for {timeout_s:g} s…"
        self._scan = self.session.links.scan(timeout_s)

    def poll(self) -> bool:
        """Collect a finished scan and tell of links that gave up; True if a scan finished
        now (rows changed)."""
        self._report_failures()
        scan = self._scan
        if scan is None or not scan.done():
            return False
        self._scan, self.scanning = None, False
        try:
            found = scan.result()
        except GaitdeckError as exc:
            self.message = str(exc)
            return True
        except Exception as exc:  # one line in the dialog, never a traceback
            self.message = f"scan failed: {exc or type(exc).__name__}"
            return True
        self.set_found(found)
        return True

    def _report_failures(self) -> None:
        for link in self.session.links.links():
            if link.error is not None and link.address not in self._reported:
                self._reported.add(link.address)
                self.message = f"{link.info.address} gave up: {link.error}"

    def set_found(self, found: list[FoundPod]) -> None:
        """The pods a scan heard. Connected pods stop advertising, so what an earlier scan
        heard of them is kept."""
        linked = {link.address for link in self.session.links.links()}
        kept = {a: pod for a, pod in self.found.items() if a in linked}
        self.found = kept | {normalise_address(pod.address): pod for pod in found}
        for address, pod in self.found.items():
            self._choice(address, pod.model.key if pod.model else None)
        heard = [normalise_address(pod.address) for pod in found]
        known = sum(1 for a in heard if self.memory.get(a) is not None)
        if not heard and not linked:
            self.message = (f"No pods heard in {self._scan_s:g} s — switched on? "
                            "connected to a phone?")  # fmt: skip
            return
        others = len([a for a in heard if a not in linked])
        if linked:
            parts = [f"{len(linked)} connected", f"{others} more found"]
        else:
            parts = [f"{others} pod{'s' if others != 1 else ''} found"]
        if known:
            parts.append(f"{known} remembered")
        self.message = " · ".join(parts)

    # ------------------------------------------------------------------------ choices
    def set_placement(self, address: str, placement: Placement | None) -> None:
        choice = self._choice(normalise_address(address), self._model_key(address))
        choice.placement = placement
        self._remember(address)

    def set_rate(self, address: str, rate_hz: float) -> None:
        choice = self._choice(normalise_address(address), self._model_key(address))
        choice.rate_hz = rate_hz
        self._remember(address)

    def _choice(self, address: str, model_key: str | None) -> _Choice:
        choice = self.choices.get(address)
        if choice is None:
            remembered = self.memory.get(address)
            choice = _Choice()
            if remembered is not None:
                choice.placement = remembered.placement
                choice.rate_hz = remembered.rate_hz
            name = self._name(address)
            if choice.rate_hz not in rate_choices(model_key, name):
                choice.rate_hz = default_rate_hz(model_key, name) if model_key else None
            self.choices[address] = choice
        return choice

    def _remember(self, address: str) -> None:
        choice = self.choices[normalise_address(address)]
        model_key = self._model_key(address)
        if choice.placement is None:
            self.memory.forget(address)
        elif model_key is not None:
            self.memory.remember(address, choice.placement, model_key, choice.rate_hz)

    def _name(self, address: str) -> str | None:
        pod = self.found.get(normalise_address(address))
        return pod.name if pod is not None else None

    def _model_key(self, address: str) -> str | None:
        address = normalise_address(address)
        link = self.session.links.link(address)
        if link is not None:
            return link.model_key
        pod = self.found.get(address)
        if pod is not None and pod.model is not None:
            return pod.model.key
        remembered = self.memory.get(address)
        return remembered.model_key if remembered is not None else None

    # ------------------------------------------------------------------------ actions
    def connect(self, address: str) -> None:
        """Connect the pod with its chosen placement and rate; GaitdeckError says why not."""
        address = normalise_address(address)
        model_key = self._model_key(address)
        choice = self._choice(address, model_key)
        if model_key is None:
            raise GaitdeckError(f"{address} is not a pod gaitdeck knows")
        if choice.placement is None:
            raise GaitdeckError(f"choose where pod {address} is worn first")
        if choice.rate_hz is None:
            raise GaitdeckError(f"gaitdeck cannot stream from {model_by_key(model_key).label} "
                                "pods yet")  # fmt: skip
        pod = self.found.get(address)
        original = pod.address if pod is not None else address
        self.session.connect(PodChoice(original, model_key, choice.placement, choice.rate_hz))
        self.message = f"Connecting {original} ({PLACEMENT_TITLES[choice.placement].lower()})…"

    def disconnect(self, address: str) -> None:
        self.session.disconnect(address)
        self._reported.discard(normalise_address(address))
        self.message = f"Disconnecting {address}…"

    # --------------------------------------------------------------------------- rows
    def rows(self) -> list[PodRowModel]:
        """Connected pods in body order, then the other pods found (strongest first)."""
        links = {link.address: link for link in self.session.links.links()}
        order = {placement: i for i, placement in enumerate(PLACEMENT_ORDER)}
        linked = sorted(links, key=lambda a: (order[links[a].info.placement], a))
        addresses = linked + [a for a in self.found if a not in links]
        return [self._row(a, self.found.get(a), links.get(a)) for a in addresses]

    def _row(self, address: str, pod: FoundPod | None, link: PodLink | None) -> PodRowModel:
        model_key = self._model_key(address)
        choice = self._choice(address, model_key)
        choices = rate_choices(model_key, self._name(address))
        if model_key is None:
            note = "not a pod gaitdeck knows"
        else:
            note = "" if choices else "gaitdeck cannot stream from this model yet"
        rssi = f"{pod.rssi_dbm} dBm".replace("-", "−") if pod and pod.rssi_dbm else f"{DASH} dBm"
        figures = _LinkFigures(NOT_CONNECTED, IDLE_COLOUR, rssi)
        if link is not None:
            figures = _link_figures(link, rssi)
            note = link.error or ""
        label = pod.model.label if pod and pod.model else link.info.model if link else DASH
        can_connect = link is None and bool(choices) and choice.placement is not None
        return PodRowModel(
            address=pod.address if pod is not None else address,
            model_key=model_key,
            model_text=label,
            name=pod.name if pod is not None else "",
            rssi_text=figures.rssi,
            placement=choice.placement,
            rate_hz=choice.rate_hz,
            rate_choices=choices,
            state_text=figures.state,
            state_colour=figures.colour,
            battery_text=figures.battery,
            received_text=figures.received,
            lost_text=figures.lost,
            reconnects_text=figures.reconnects,
            sync_text=figures.sync,
            connected=link is not None,
            can_act=can_connect or (link is not None and not link.stopping),
            note=note,
        )


@dataclass(frozen=True)
class _LinkFigures:
    state: str
    colour: str
    rssi: str
    battery: str = DASH
    received: str = DASH
    lost: str = DASH
    reconnects: str = DASH
    sync: str = DASH


def _link_figures(link: PodLink, scanned_rssi: str) -> _LinkFigures:
    """State and link quality of a connected pod, from a snapshot of its counters."""
    stats = link.snapshot()
    state = "streaming" if stats.state is PodState.STREAMING else fine_state(stats)
    colour = palette.STATE_COLOURS[stats.state]
    if link.stopping:
        state, colour = "disconnecting", IDLE_COLOUR
    rssi = rssi_text(stats) if getattr(stats, "rssi_dbm", None) is not None else scanned_rssi
    rate = f"{stats.effective_rate_hz:.1f} Hz" if stats.effective_rate_hz else f"{DASH} Hz"
    return _LinkFigures(
        state or stats.state.value, colour, rssi, battery_text(stats), rate,
        lost_figures(stats), str(stats.reconnects), sync_figures(stats),
    )  # fmt: skip
