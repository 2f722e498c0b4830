"""The pod manager against bleak's real BlueZ backend and the fake ``org.bluez``.

Scans, connects and disconnects go through ``PodLinks`` on its BLE thread, ``BleakTransport``
and bleak 3.1 unmodified; only what is below the D-Bus socket is fake.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ble_helpers import witmotion_pods
from fakebluez import FakeBlueZThread, PodSpec
from fakebluez.device import FakeDevice
from PySide6.QtWidgets import QComboBox

from desktop.main_window import MainWindow
from desktop.pod_manager import PLACEMENT_COL, STATE_COL, TEXT_COLUMNS, PodManagerDialog
from desktop.pod_manager_model import PodManagerModel
from desktop.pod_session import PodSession
from drivers.pod_links import PodLinks
from drivers.pod_memory import PodMemory
from drivers.types import Placement, PodState

SCAN_S = 0.6
WAIT_MS = 15_000
TRUNK_POD, PELVIS_POD = "C0:FF:EE:00:00:01", "C0:FF:EE:00:00:02"


def add_pods(fake: FakeBlueZThread, specs: list[PodSpec]) -> None:
    for spec in specs:
        fake.call(fake.fake.add_pod, spec)


@pytest.fixture
def memory_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "pods.json"


@pytest.fixture
def pod_session(memory_path: Path) -> Iterator[PodSession]:
    session = PodSession(PodLinks(), PodMemory(memory_path))
    session.start()
    try:
        yield session
    finally:
        session.stop()


def open_manager(qtbot, session: PodSession) -> PodManagerDialog:
    assert session.memory is not None
    dialog = PodManagerDialog(PodManagerModel(session, session.memory), scan_s=SCAN_S)
    qtbot.addWidget(dialog)
    dialog.timer.stop()  # the test refreshes by hand
    qtbot.waitUntil(lambda: _scanned(dialog), timeout=WAIT_MS)
    return dialog


def _scanned(dialog: PodManagerDialog) -> bool:
    dialog.refresh()
    return not dialog.model.scanning


def cell(dialog: PodManagerDialog, address: str, field: str) -> str:
    row = list(dialog.rows).index(address)
    item = dialog.table.item(row, TEXT_COLUMNS[field])
    assert item is not None
    return item.text()


def choose_placement(dialog: PodManagerDialog, address: str, placement: Placement) -> None:
    box = dialog.rows[address].placement
    box.setCurrentIndex(box.findData(placement.value))  # as the user picking it


def device(fake: FakeBlueZThread, address: str) -> FakeDevice:
    return fake.fake.devices[address]


def test_scan_lists_pods_with_model_and_rssi(qtbot, fake_bluez, pod_session) -> None:
    add_pods(fake_bluez, witmotion_pods(2))
    add_pods(fake_bluez, [PodSpec("C0:FF:EE:00:01:01", "Polar Sense 1A2B", "polar", rssi_dbm=-70),
                          PodSpec("C0:FF:EE:00:01:04", "Kettle", "other")])  # fmt: skip
    dialog = open_manager(qtbot, pod_session)
    assert set(dialog.rows) == {TRUNK_POD, PELVIS_POD, "C0:FF:EE:00:01:01"}  # no kettle
    assert cell(dialog, TRUNK_POD, "model_text") == "WitMotion WT9011DCL"
    assert cell(dialog, TRUNK_POD, "name") == "WT901BLE60"
    assert cell(dialog, "C0:FF:EE:00:01:01", "model_text") == "Polar (PMD)"
    rssi = int(cell(dialog, TRUNK_POD, "rssi_text").removesuffix(" dBm").replace("−", "-"))
    assert -55 <= rssi <= -45  # the fake advertises -50 dBm, wobbling by 1 dB per advert
    assert cell(dialog, TRUNK_POD, "state_text") == "not connected"
    assert "3 pods found" in dialog.message.text()
    assert not dialog.rows[TRUNK_POD].action.isEnabled()  # no placement chosen yet


def test_placements_are_remembered_by_a_new_manager(
    qtbot, fake_bluez, pod_session, memory_path
) -> None:
    add_pods(fake_bluez, witmotion_pods(2))
    first = open_manager(qtbot, pod_session)
    choose_placement(first, PELVIS_POD, Placement.LEFT_SHOE)
    rate_box = first.rows[PELVIS_POD].rate
    rate_box.setCurrentIndex(rate_box.findData(200.0))
    assert first.rows[PELVIS_POD].action.isEnabled()
    first.close()

    again = PodSession(PodLinks(), PodMemory(memory_path))  # as after a restart
    try:
        second = open_manager(qtbot, again)
        box: QComboBox = second.rows[PELVIS_POD].placement
        assert box.currentData() == Placement.LEFT_SHOE.value
        assert second.rows[PELVIS_POD].rate.currentData() == 200.0
        assert second.rows[TRUNK_POD].placement.currentData() is None  # never chosen
    finally:
        again.stop()


def test_connect_streams_into_the_session_and_disconnect_closes_the_link(
    qtbot, fake_bluez, pod_session
) -> None:
    add_pods(fake_bluez, witmotion_pods(2))
    dialog = open_manager(qtbot, pod_session)
    window = MainWindow(pod_session, pod_manager=dialog.model)
    qtbot.addWidget(window)
    window.timer.stop()
    choose_placement(dialog, TRUNK_POD, Placement.TRUNK)
    dialog.rows[TRUNK_POD].action.click()

    def streaming() -> bool:
        dialog.refresh()
        return cell(dialog, TRUNK_POD, "state_text") == "streaming"

    qtbot.waitUntil(streaming, timeout=WAIT_MS)
    live = pod_session.live
    assert live is not None
    qtbot.waitUntil(lambda: live.board.processed_rows > 50, timeout=WAIT_MS)  # data flows
    assert dialog.rows[TRUNK_POD].action.text() == "Disconnect"
    assert not dialog.table.cellWidget(0, PLACEMENT_COL).isEnabled()  # fixed while linked
    assert cell(dialog, TRUNK_POD, "received_text").endswith(" Hz")
    window.on_frame()
    window.refresh_status()
    assert window.pod_row.cards[Placement.TRUNK].state.text() == "STREAMING"
    assert window.pod_row.cards[Placement.TRUNK].link.text().startswith("−")  # RSSI known
    assert window.frame_errors == {}

    dialog.rows[TRUNK_POD].action.click()
    qtbot.waitUntil(lambda: not fake_bluez.call(lambda: device(fake_bluez, TRUNK_POD).connected),
                    timeout=WAIT_MS)  # fmt: skip
    assert fake_bluez.call(lambda: device(fake_bluez, TRUNK_POD).log.host_disconnects) == 1
    qtbot.waitUntil(lambda: pod_session.links.links() == [], timeout=WAIT_MS)
    assert pod_session.live is None and pod_session.pod_status() == []
    dialog.refresh()
    assert cell(dialog, TRUNK_POD, "state_text") == "not connected"
    window.on_frame()
    window.refresh_status()
    assert window.pod_row.cards[Placement.TRUNK].state.text() == "ABSENT"
    window.close()


def test_a_taken_placement_is_refused_in_one_line(qtbot, fake_bluez, pod_session) -> None:
    add_pods(fake_bluez, witmotion_pods(2))
    dialog = open_manager(qtbot, pod_session)
    choose_placement(dialog, TRUNK_POD, Placement.TRUNK)
    dialog.rows[TRUNK_POD].action.click()
    choose_placement(dialog, PELVIS_POD, Placement.TRUNK)
    dialog.rows[PELVIS_POD].action.click()
    assert dialog.message.text() == f"trunk already has pod {TRUNK_POD}"
    assert [link.address for link in pod_session.links.links()] == [TRUNK_POD]


def test_stopping_the_session_leaves_no_pod_connected(qtbot, fake_bluez, memory_path) -> None:
    add_pods(fake_bluez, witmotion_pods(2))
    session = PodSession(PodLinks(), PodMemory(memory_path))
    session.start()
    dialog = open_manager(qtbot, session)
    for address, placement in ((TRUNK_POD, Placement.TRUNK), (PELVIS_POD, Placement.PELVIS)):
        choose_placement(dialog, address, placement)
        dialog.rows[address].action.click()

    def both_streaming() -> bool:
        return [s.state for _, s in session.pod_status()] == [PodState.STREAMING] * 2

    qtbot.waitUntil(both_streaming, timeout=WAIT_MS)
    session.stop()  # what app exit does
    for address in (TRUNK_POD, PELVIS_POD):
        assert not fake_bluez.call(lambda a=address: device(fake_bluez, a).connected)
        assert fake_bluez.call(lambda a=address: device(fake_bluez, a).log.host_disconnects) == 1


def test_no_bluetooth_is_one_line_in_the_dialog(qtbot, system_bus, memory_path) -> None:
    session = PodSession(PodLinks(), PodMemory(memory_path))  # the bus has no org.bluez
    try:
        dialog = open_manager(qtbot, session)
        text = dialog.message.text()
        assert "BlueZ" in text or "Bluetooth" in text, text
        assert "\n" not in text and "Traceback" not in text
        assert dialog.rows == {} and dialog.scan_button.isEnabled()
    finally:
        session.stop()


def test_state_column_is_coloured_by_link_state(qtbot, fake_bluez, pod_session) -> None:
    add_pods(fake_bluez, witmotion_pods(1))
    dialog = open_manager(qtbot, pod_session)
    choose_placement(dialog, TRUNK_POD, Placement.TRUNK)
    dialog.rows[TRUNK_POD].action.click()

    def streaming() -> bool:
        dialog.refresh()
        return cell(dialog, TRUNK_POD, "state_text") == "streaming"

    qtbot.waitUntil(streaming, timeout=WAIT_MS)
    item = dialog.table.item(0, STATE_COL)
    assert item is not None and item.foreground().color().name() == "#35d07f"


def test_polar_and_foot_pod_beside_witmotion(qtbot, fake_bluez, pod_session) -> None:
    polar, stryd = "C0:FF:EE:00:01:01", "C0:FF:EE:00:01:03"
    add_pods(fake_bluez, witmotion_pods(1))
    add_pods(fake_bluez, [PodSpec(polar, "Polar Sense 1A2B3C4D", "polar", Placement.PELVIS),
                          PodSpec(stryd, "Stryd", "rsc")])  # fmt: skip
    dialog = open_manager(qtbot, pod_session)
    window = MainWindow(pod_session, pod_manager=dialog.model)
    qtbot.addWidget(window)
    window.timer.stop()
    assert dialog.rows[stryd].rate.currentText() == "—"  # foot pods have no rate to pick
    for address, placement in ((TRUNK_POD, Placement.TRUNK), (polar, Placement.PELVIS),
                               (stryd, Placement.RIGHT_SHOE)):  # fmt: skip
        choose_placement(dialog, address, placement)
        dialog.rows[address].action.click()

    def all_streaming() -> bool:
        dialog.refresh()
        return all(cell(dialog, a, "state_text") == "streaming" for a in (TRUNK_POD, polar, stryd))

    qtbot.waitUntil(all_streaming, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: pod_session.foot_pods()[0][2] is not None, timeout=WAIT_MS)
    assert [info.placement for info, _ in pod_session.pod_status()] == [
        Placement.TRUNK,
        Placement.PELVIS,
    ]  # fmt: skip  (the foot pod is beside the IMU pipeline, not in it)
    window.refresh_status()
    text = window.timing_panel.foot_pods.text()
    assert text.startswith("foot pod (right shoe): ") and "steps/min" in text, text
    assert window.pod_row.cards[Placement.PELVIS].state.text() == "STREAMING"
    assert window.pod_row.cards[Placement.PELVIS].pod_model.text() == "Polar (PMD)"
    window.close()


def test_a_refused_setting_is_named_and_the_pod_can_be_removed(
    qtbot, fake_bluez, pod_session
) -> None:
    add_pods(fake_bluez, witmotion_pods(1))
    fake_bluez.call(fake_bluez.fake.refuse_config, TRUNK_POD)
    dialog = open_manager(qtbot, pod_session)
    choose_placement(dialog, TRUNK_POD, Placement.TRUNK)
    dialog.rows[TRUNK_POD].action.click()

    def gave_up() -> bool:
        dialog.refresh()
        return cell(dialog, TRUNK_POD, "state_text") == "gave up"

    qtbot.waitUntil(gave_up, timeout=30_000)  # three refusals with backoff
    assert dialog.message.text().startswith(f"{TRUNK_POD} gave up: ")
    assert "output rate 100 Hz" in dialog.message.text()
    assert "output rate 100 Hz" in dialog.rows[TRUNK_POD].action.toolTip()
    dialog.rows[TRUNK_POD].action.click()  # Disconnect removes it
    qtbot.waitUntil(lambda: pod_session.links.links() == [], timeout=WAIT_MS)
    assert not fake_bluez.call(lambda: device(fake_bluez, TRUNK_POD).connected)


def test_choosing_no_placement_forgets_the_pod(qtbot, fake_bluez, pod_session) -> None:
    add_pods(fake_bluez, witmotion_pods(1))
    dialog = open_manager(qtbot, pod_session)
    memory = dialog.model.memory
    choose_placement(dialog, TRUNK_POD, Placement.PELVIS)
    assert memory.get(TRUNK_POD) is not None
    dialog.rows[TRUNK_POD].placement.setCurrentIndex(0)  # "choose…"
    assert memory.get(TRUNK_POD) is None
    assert not dialog.rows[TRUNK_POD].action.isEnabled()


def test_disconnect_while_still_connecting_leaves_no_link(qtbot, fake_bluez, pod_session) -> None:
    add_pods(fake_bluez, witmotion_pods(1))
    fake_bluez.call(fake_bluez.fake.stall_discovery, TRUNK_POD)  # Connect hangs in discovery
    dialog = open_manager(qtbot, pod_session)
    choose_placement(dialog, TRUNK_POD, Placement.TRUNK)
    dialog.rows[TRUNK_POD].action.click()
    qtbot.waitUntil(lambda: fake_bluez.call(lambda: device(fake_bluez, TRUNK_POD).connected),
                    timeout=WAIT_MS)  # fmt: skip
    dialog.refresh()
    assert cell(dialog, TRUNK_POD, "state_text") == "connecting"
    dialog.rows[TRUNK_POD].action.click()
    qtbot.waitUntil(lambda: pod_session.links.links() == [], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not fake_bluez.call(lambda: device(fake_bluez, TRUNK_POD).connected),
                    timeout=WAIT_MS)  # fmt: skip
