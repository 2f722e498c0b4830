"""``gaitdeck scan`` run for real in a subprocess against the fake BlueZ."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ble_helpers import witmotion_pods
from fakebluez import FakeBlueZThread, PodSpec

REPO = Path(__file__).resolve().parents[2]
GAITDECK = Path(sys.executable).with_name("gaitdeck")


def gaitdeck(bus: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": bus}
    return subprocess.run(
        [str(GAITDECK), *args], capture_output=True, text=True, timeout=60, env=env, cwd=REPO
    )


def test_scan_lists_pods_with_model_name_address_and_rssi(fake_bluez: FakeBlueZThread) -> None:
    for spec in [*witmotion_pods(2), PodSpec("C0:FF:EE:00:01:01", "Polar Sense 1", "polar"),
                 PodSpec("C0:FF:EE:00:01:04", "Kettle", "other")]:  # fmt: skip
        fake_bluez.call(fake_bluez.fake.add_pod, spec)
    result = gaitdeck(fake_bluez.fake.bus_address, "scan", "--timeout", "0.5")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3  # the kettle is not a pod
    (wit,) = [line for line in lines if "WT901BLE60" in line]
    assert wit.startswith("WitMotion") and "C0:FF:EE:00:00:01" in wit and wit.endswith("dBm")
    rssi = [int(line.split()[-2]) for line in lines]
    assert rssi == sorted(rssi, reverse=True)  # strongest first
    assert any("Polar" in line and "C0:FF:EE:00:01:01" in line for line in lines)
    everything = gaitdeck(fake_bluez.fake.bus_address, "scan", "--timeout", "0.5", "--all")
    assert "Kettle" in everything.stdout and "(unknown)" in everything.stdout


def test_scan_imports_no_qt(fake_bluez: FakeBlueZThread) -> None:
    fake_bluez.call(fake_bluez.fake.add_pod, witmotion_pods(1)[0])
    script = (
        "import sys\n"
        "for name in ('PySide6', 'pyqtgraph', 'shiboken6'): sys.modules[name] = None\n"
        "from desktop.cli import main\n"
        "sys.exit(main(['scan', '--timeout', '0.3']))\n"
    )
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": fake_bluez.fake.bus_address}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, env=env, cwd=REPO)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "C0:FF:EE:00:00:01" in result.stdout


def test_scan_without_bluez_fails_in_one_line(system_bus: str) -> None:
    for bus in ("unix:path=/nonexistent/gaitdeck", system_bus):  # no daemon; no org.bluez
        result = gaitdeck(bus, "scan", "--timeout", "0.3")
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
        assert result.stderr.startswith("gaitdeck: ")


def test_scan_with_nothing_around_says_so(fake_bluez: FakeBlueZThread) -> None:
    result = gaitdeck(fake_bluez.fake.bus_address, "scan", "--timeout", "0.3")
    assert result.returncode == 1 and "no pods heard" in result.stderr
    bad = gaitdeck(fake_bluez.fake.bus_address, "scan", "--timeout", "-1")
    assert bad.returncode == 2 and "--timeout" in bad.stderr
