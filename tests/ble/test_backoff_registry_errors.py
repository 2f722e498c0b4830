"""Pure parts of the BLE path: backoff rules, model registry, bleak error mapping."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakBluetoothNotAvailableReason,
    BleakCharacteristicNotFoundError,
    BleakDBusError,
    BleakDeviceNotFoundError,
    BleakError,
    BleakGATTProtocolError,
)

from drivers.ble.backoff import DEFAULT_RULES, Backoff, BackoffRule, rule_for
from drivers.ble.errors import (
    BleError,
    BluetoothUnavailable,
    ConfigRefused,
    ConnectFailed,
    GattError,
    LinkLost,
    NotFound,
)
from drivers.ble.link import Advertisement
from drivers.ble.scan import classify, format_pod
from drivers.ble.transport import map_error
from drivers.registry import MODELS, identify, model_by_key, sig_uuid

REPO = Path(__file__).resolve().parents[2]
WIT = "0000ffe5-0000-1000-8000-00805f9a34fb"


def test_backoff_rule_grows_caps_and_gives_up() -> None:
    rule = BackoffRule(first_s=0.5, factor=2.0, max_s=3.0, max_retries=4)
    assert [rule.delay_s(n) for n in range(5)] == [0.5, 1.0, 2.0, 3.0, None]


def test_backoff_counts_each_error_class_and_resets() -> None:
    backoff = Backoff()
    assert backoff.next_delay_s(LinkLost("x")) == 0.2
    assert backoff.next_delay_s(ConnectFailed("x")) == 0.5  # its own streak
    assert backoff.next_delay_s(LinkLost("x")) == 0.4
    backoff.reset()
    assert backoff.next_delay_s(LinkLost("x")) == 0.2


def test_refused_config_is_given_up_but_lost_links_never_are() -> None:
    backoff = Backoff()
    delays = [backoff.next_delay_s(ConfigRefused("output rate 200 Hz")) for _ in range(4)]
    assert delays[:3] == [1.0, 2.0, 4.0] and delays[3] is None
    assert all(backoff.next_delay_s(LinkLost("x")) is not None for _ in range(100))


def test_every_error_class_has_a_rule_and_subclasses_inherit() -> None:
    for cls in (BluetoothUnavailable, NotFound, ConnectFailed, LinkLost, GattError, ConfigRefused):
        assert cls in DEFAULT_RULES

    class Stale(NotFound):
        pass

    assert rule_for(Stale("x"), DEFAULT_RULES) is DEFAULT_RULES[NotFound]


def test_default_backoff_brings_a_lost_link_back_within_5_s() -> None:
    first = DEFAULT_RULES[LinkLost].delay_s(0)
    assert first is not None and first <= 0.5


@pytest.mark.parametrize(
    ("name", "uuids", "key"),
    [
        ("WT901BLE68", [WIT.upper()], "witmotion"),
        ("WT901BLE68", [], "witmotion"),  # by name: many pods advertise no UUIDs
        (None, ["0000ffe5-0000-1000-8000-00805f9b34fb"], None),  # standard 9B base: not Wit
        ("Polar Sense B5A1", ["0000180d-0000-1000-8000-00805f9b34fb"], "polar"),
        (None, ["fb005c80-02e7-f387-1cad-8acd2d8df0c8"], "polar"),
        ("MetaWear", [], "metamotion"),
        (None, ["326a9000-85cb-9195-d9dd-464cfbbae75a"], "metamotion"),
        ("Stryd", [sig_uuid(0x1814)], "rsc"),
        ("Kettle", [sig_uuid(0x180F)], None),
    ],
)
def test_identify_by_service_uuid_then_name(
    name: str | None, uuids: list[str], key: str | None
) -> None:
    model = identify(name, uuids)
    assert (model.key if model else None) == key


def test_registry_keys_are_unique_and_findable() -> None:
    keys = [m.key for m in MODELS]
    assert len(set(keys)) == len(keys)
    assert model_by_key("rsc").imu is False
    with pytest.raises(KeyError):
        model_by_key("nope")


def test_classify_sorts_strongest_first_and_formats_one_line() -> None:
    ads = [
        Advertisement("AA:00:00:00:00:01", "WT901BLE1", -80, (WIT,)),
        Advertisement("AA:00:00:00:00:02", "Polar Sense", -40, ()),
        Advertisement("AA:00:00:00:00:03", None, None, ()),
    ]
    found = classify(ads)
    assert [p.address[-1] for p in found] == ["2", "1", "3"]
    line = format_pod(found[1])
    assert "WitMotion" in line and "WT901BLE1" in line and line.endswith("-80 dBm")
    assert "(unknown)" in format_pod(found[2]) and "? dBm" in format_pod(found[2])


@pytest.mark.parametrize(
    ("exc", "step", "expected"),
    [
        (BleakBluetoothNotAvailableError("off", BleakBluetoothNotAvailableReason.POWERED_OFF),
         "scan", BluetoothUnavailable),
        (FileNotFoundError(2, "no socket"), "scan", BluetoothUnavailable),
        (BleakDBusError("org.freedesktop.DBus.Error.ServiceUnknown", []), "connect",
         BluetoothUnavailable),
        (BleakDeviceNotFoundError("AA:BB"), "connect", NotFound),
        (BleakDBusError("org.bluez.Error.Failed", ["le-connection-abort-by-remote"]), "connect",
         ConnectFailed),
        (TimeoutError(), "connect", ConnectFailed),
        (BleakGATTProtocolError(0x03), "gatt", GattError),
        (BleakCharacteristicNotFoundError("ffe9"), "gatt", GattError),
        (BleakError("Not connected"), "gatt", LinkLost),
        (BleakDBusError("org.freedesktop.DBus.Error.UnknownObject", []), "gatt", LinkLost),
        (BleakDBusError("org.bluez.Error.NotPermitted", ["Write not permitted"]), "gatt",
         GattError),
    ],
)  # fmt: skip
def test_bleak_exceptions_map_to_typed_errors(
    exc: BaseException, step: str, expected: type[BleError]
) -> None:
    error = map_error(exc, step)  # type: ignore[arg-type]
    assert type(error) is expected and str(error)


def _imports_bleak(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "bleak" for a in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "bleak":
            return True
    return False


def test_bleak_is_imported_by_exactly_one_product_module() -> None:
    product = [p for d in ("drivers", "processing", "desktop") for p in (REPO / d).rglob("*.py")]
    users = [p.relative_to(REPO).as_posix() for p in product if _imports_bleak(p)]
    assert users == ["drivers/ble/transport.py"]


def test_conformance_canary_for_what_the_fake_relies_on() -> None:
    """bleak internals the test harness touches; re-check on every bleak bump (pinned 3.1.0)."""
    from importlib.metadata import version

    from bleak.backends.bluezdbus.version import BlueZFeatures

    assert version("bleak") == "3.1.0"
    assert hasattr(BlueZFeatures, "checked_bluez_version")
