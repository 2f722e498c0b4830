"""Pod models known to gaitdeck, and identifying them from what a device advertises.

Pure data and functions: no I/O. A model matches an advertisement by any advertised
service UUID, or failing that by its local-name prefix (many pods advertise only a name).
UUIDs are lower-case 128-bit strings; note WitMotion's non-standard ``…9a34fb`` base.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from drivers.models.witmotion.profile import WITMOTION


def sig_uuid(short: int) -> str:
    """A 16-bit Bluetooth SIG UUID on the standard base."""
    return f"0000{short:04x}-0000-1000-8000-00805f9b34fb"


@dataclass(frozen=True)
class PodModel:
    """``key`` is stable (settings, recordings); ``label`` is what the user sees."""

    key: str
    label: str
    service_uuids: frozenset[str]
    name_prefixes: tuple[str, ...] = ()
    imu: bool = True  # streams raw IMU samples (RSC foot pods send speed and cadence)


WITMOTION_MODEL = PodModel(
    "witmotion", WITMOTION.model, frozenset({WITMOTION.service_uuid}), ("WT901", "BWT901")
)
POLAR_MODEL = PodModel(
    "polar", "Polar (PMD)", frozenset({"fb005c80-02e7-f387-1cad-8acd2d8df0c8"}), ("Polar ",)
)
METAMOTION_MODEL = PodModel(
    "metamotion", "MbientLab MetaMotion",
    frozenset({"326a9000-85cb-9195-d9dd-464cfbbae75a"}), ("MetaWear",),
)  # fmt: skip
RSC_MODEL = PodModel(
    "rsc", "Running speed & cadence foot pod", frozenset({sig_uuid(0x1814)}), imu=False
)
MODELS: tuple[PodModel, ...] = (WITMOTION_MODEL, POLAR_MODEL, METAMOTION_MODEL, RSC_MODEL)


def identify(
    name: str | None, service_uuids: Iterable[str], models: Iterable[PodModel] = MODELS
) -> PodModel | None:
    """The model a device advertising ``name`` and ``service_uuids`` is, or None."""
    models = tuple(models)
    advertised = {u.lower() for u in service_uuids}
    for model in models:
        if model.service_uuids & advertised:
            return model
    for model in models:
        if name and any(name.startswith(prefix) for prefix in model.name_prefixes):
            return model
    return None


def model_by_key(key: str) -> PodModel:
    for model in MODELS:
        if model.key == key:
            return model
    raise KeyError(key)
