"""One factory for live BLE pod sources, by model key (``drivers.registry.PodModel.key``).

``make_source("witmotion", info)`` returns a ``Source`` that connects to ``info.address``
and streams at ``info.nominal_rate_hz`` on its own transport; ``default_rate_hz`` is the
rate to put in ``PodInfo`` when the user has not chosen one. Model keys gaitdeck cannot
stream from raise ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Callable

from drivers.ble.link import BleTransport
from drivers.ble.metamotion_source import MetaMotionBleSource
from drivers.ble.polar_source import PolarBleSource
from drivers.ble.rsc_source import RscBleSource
from drivers.ble.witmotion_source import WitMotionBleSource
from drivers.clock_sync import SessionClock
from drivers.models.polar.profile import profile_for_name
from drivers.source import Source
from drivers.types import PodInfo

SourceFactory = Callable[[PodInfo, BleTransport | None, SessionClock | None], Source]


def _witmotion(info: PodInfo, transport: BleTransport | None, clock: SessionClock | None) -> Source:
    return WitMotionBleSource(info, transport, clock=clock)


def _polar(info: PodInfo, transport: BleTransport | None, clock: SessionClock | None) -> Source:
    return PolarBleSource(info, transport, clock=clock)


def _metamotion(
    info: PodInfo, transport: BleTransport | None, clock: SessionClock | None
) -> Source:
    return MetaMotionBleSource(info, transport, clock=clock)


def _rsc(info: PodInfo, transport: BleTransport | None, clock: SessionClock | None) -> Source:
    return RscBleSource(info, transport, clock=clock)


_FACTORIES: dict[str, SourceFactory] = {
    "witmotion": _witmotion,
    "polar": _polar,
    "metamotion": _metamotion,
    "rsc": _rsc,
}
_DEFAULT_RATES_HZ: dict[str, float] = {
    "witmotion": 100.0,
    "polar": 208.0,
    "metamotion": 100.0,
    "rsc": 1.0,
}


def supported_models() -> tuple[str, ...]:
    """Model keys ``make_source`` accepts."""
    return tuple(_FACTORIES)


def default_rate_hz(model_key: str, *, name: str | None = None) -> float:
    """The sample rate gaitdeck asks a pod of this model for unless told otherwise.

    ``name`` (the advertised name) refines it where one key covers models with different
    rates: a Polar H10 streams at most 200 Hz, a Verity Sense 208 Hz (SDK mode), an OH1 50.
    """
    if model_key not in _DEFAULT_RATES_HZ:
        raise KeyError(f"no BLE source for pod model {model_key!r}")
    if model_key == "polar":
        polar = profile_for_name(name)
        if polar is not None and polar.gyro is None:
            return float(max(polar.acc.sample_rates_hz))
    return _DEFAULT_RATES_HZ[model_key]


def make_source(
    model_key: str,
    info: PodInfo,
    transport: BleTransport | None = None,
    *,
    clock: SessionClock | None = None,
) -> Source:
    """A live source for a pod of ``model_key``; a bleak transport unless one is given."""
    factory = _FACTORIES.get(model_key)
    if factory is None:
        raise KeyError(f"no BLE source for pod model {model_key!r}")
    return factory(info, transport, clock)
