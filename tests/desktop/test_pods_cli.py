"""``gaitdeck --pod`` run for real in a subprocess against the fake BlueZ."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ble_helpers import witmotion_pods
from fakebluez import FakeBlueZThread, PodSpec

GAITDECK = Path(sys.executable).with_name("gaitdeck")
SCAN = ("--scan-timeout", "0.6")


def gaitdeck(fake: FakeBlueZThread, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GAITDECK_CONFIG_DIR": str(config),
           "DBUS_SYSTEM_BUS_ADDRESS": fake.fake.bus_address}  # fmt: skip
    return subprocess.run(
        [str(GAITDECK), *args, *SCAN], capture_output=True, text=True, timeout=120, env=env
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0
    return result.stderr.strip()


def test_pod_streams_then_exit_disconnects_and_remembers(
    fake_bluez: FakeBlueZThread, tmp_path: Path
) -> None:
    (spec,) = witmotion_pods(1)
    fake_bluez.call(fake_bluez.fake.add_pod, spec)
    shot = tmp_path / "dash.png"
    result = gaitdeck(fake_bluez, tmp_path, "--pod", f"{spec.address}=left_shoe",
                      "--screenshot", str(shot), "--exit-after", "3")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert shot.exists()
    device = fake_bluez.fake.devices[spec.address]
    log = fake_bluez.call(lambda: device.log)
    assert log.connects == 1 and log.host_disconnects == 1  # no dangling link after exit
    assert not fake_bluez.call(lambda: device.connected)
    assert fake_bluez.call(lambda: fake_bluez.fake.witmotion(spec.address).sent.notifications) > 0
    saved = json.loads((tmp_path / "pods.json").read_text())["pods"][spec.address]
    assert saved == {"placement": "left_shoe", "model": "witmotion", "rate_hz": 100.0}

    again = gaitdeck(fake_bluez, tmp_path, "--pod", spec.address, "--exit-after", "1")
    assert again.returncode == 0, again.stderr  # placement remembered


def test_pod_errors_are_one_line(fake_bluez: FakeBlueZThread, tmp_path: Path) -> None:
    a, b = witmotion_pods(2)
    for spec in (a, b, PodSpec("C0:FF:EE:00:01:04", "Kettle", "other")):
        fake_bluez.call(fake_bluez.fake.add_pod, spec)
    unplaced = one_line_error(gaitdeck(fake_bluez, tmp_path, "--pod", a.address))
    places = "trunk, pelvis, left_shoe, right_shoe"
    assert (
        unplaced
        == f"gaitdeck: where is pod {a.address} worn? give it as {a.address}=PLACEMENT ({places})"
    )
    absent = one_line_error(gaitdeck(fake_bluez, tmp_path, "--pod", "C0:FF:EE:09:09:09=trunk"))
    assert "pod C0:FF:EE:09:09:09 not heard in 0.6 s" in absent
    kettle = one_line_error(gaitdeck(fake_bluez, tmp_path, "--pod", "C0:FF:EE:00:01:04=trunk"))
    assert "is not a pod gaitdeck knows" in kettle
    twice = gaitdeck(fake_bluez, tmp_path, "--pod", f"{a.address}=trunk", "--pod",
                     f"{b.address}=trunk")  # fmt: skip
    assert f"two pods worn on trunk: {a.address} and {b.address}" in one_line_error(twice)
    assert fake_bluez.call(lambda: [d.log.connects for d in fake_bluez.fake.devices.values()]) == [
        0, 0, 0,
    ]  # fmt: skip


def test_record_real_pods_headless(fake_bluez: FakeBlueZThread, tmp_path: Path) -> None:
    from drivers.recording import Recording
    from drivers.replay.blocks import recording_blocks

    a, b = witmotion_pods(2)
    for spec in (a, b):
        fake_bluez.call(fake_bluez.fake.add_pod, spec)
    out = tmp_path / "pods.gdrec"
    result = gaitdeck(fake_bluez, tmp_path, "record", "--pod", f"{a.address}=left_shoe",
                      "--pod", f"{b.address}=trunk", "--duration", "3", "--out", str(out),
                      "--runner-id", "R-5")  # fmt: skip
    assert result.returncode == 0, result.stderr
    with Recording(out) as rec:
        assert rec.clean and rec.header.runner_id == "R-5"
        assert sorted(p.placement.value for p in rec.header.pods) == ["left_shoe", "trunk"]
        blocks = recording_blocks(rec)
    assert all(len(block) > 50 for block in blocks.values())
    for spec in (a, b):  # the links were closed at the end
        assert not fake_bluez.call(lambda s=spec: fake_bluez.fake.devices[s.address].connected)
