"""A new user's first session, end to end, the way ``gaitdeck --simulate`` runs it.

The issue's acceptance line: *a new user can go from launch to a calibrated simulated
session with feedback and a report without reading code.* This walks that path through the
window's own controls (shortcuts, menu actions, dialog buttons), on the simulated pods
``gaitdeck --simulate`` builds, at real time:

Session → New session… (runner id, one stage) → Record → Session → Calibration wizard… (stand
still, walk or run, the alignment in words) → the feedback bar (constant schedule, Start)
→ Next stage → stop recording → File → Clinician report… → the HTML report.

Only the native file picker and the "compare with an earlier session?" question are
answered by the test (they would block off-screen).

Two orders are walked: recording first and calibrating while recording (the standing is in
the file), and the README's order, calibrating first and then recording (the live
calibration is written into the recording, and the report starts from it).
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from layout_checks import hidden_essentials, short_traces
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPushButton,
)
from qt_helpers import show_active

from desktop.app import favour_gui_thread
from desktop.cli import build_parser
from desktop.feedback.control import CUE_EVENT
from desktop.main_window import MainWindow
from desktop.screen_fit import FRAME_GUESS, PREFERRED_SIZE, fitted_geometry
from desktop.theme import apply_theme
from desktop.wizard.calibration_wizard import CalibrationWizard
from drivers.clock_sync import SessionClock
from drivers.recording.reader import Recording
from drivers.sim.session import LIVE_STANDING_S, simulated_pods
from drivers.types import Placement
from processing.calibration_check import POD_NAMES, STANDING_S
from processing.live_session import LiveSession

pytestmark = pytest.mark.slow

RUNNER_ID = "R-042"
STAGE_KMH = "11.5"
STAGE_MARKER = "stage 1: 11.5 km/h, 1 %"
PRESET_KEY, PRESET_MARKER = Qt.Key.Key_3, "shoe change"  # the default preset on hotkey 3
NOTE_MARKER = "calf tight"  # typed into Marker… (M)
LAPTOP = QRect(0, 0, 1366, 768)  # the most common clinic laptop screen
SAVED = "Recording saved: "
REPORT_SAVED = "Report saved to "


# ------------------------------------------------------------------------- helpers
def menu_action(window: MainWindow, menu_title: str, text: str) -> QAction:
    """The action a user sees as ``menu_title`` → ``text`` in the window's menu bar."""
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu) and top.text().replace("&", "") == menu_title:
            for action in menu.actions():
                if action.text().replace("&", "") == text:
                    return action
    raise LookupError(f"no {menu_title} → {text} in the menu bar")


def button(widget, text: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton) if b.text() == text]
    assert len(found) == 1, f"expected one “{text}” button, found {len(found)}"
    return found[0]


def expect(condition: object, what: str) -> None:
    """A precondition of the path, failed with a message that says which step is missing."""
    if not condition:
        pytest.fail(what)


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def plain_text(page: str) -> str:
    """The report page as a reader sees it: no tags, scripts, styles or charts."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<svg\b.*?</svg>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def answer_report_questions(monkeypatch: pytest.MonkeyPatch, out: Path) -> dict[str, str]:
    """Answer the report's native dialogs as a user would: save as ``out`` (HTML), do not
    compare with an earlier session. Returns what the save dialog suggested."""
    asked: dict[str, str] = {}

    def save_as(parent, caption, suggested, filters):
        asked["caption"], asked["suggested"], asked["filters"] = caption, suggested, filters
        return str(out), "Web page (*.html)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))  # fmt: skip
    return asked


def wait_for_report(qtbot, window: MainWindow, out: Path) -> str:
    qtbot.waitUntil(lambda: status(window).startswith(REPORT_SAVED), timeout=60_000)
    assert status(window) == f"{REPORT_SAVED}{out}"  # the user is told where it went
    return plain_text(out.read_text(encoding="utf-8"))


@pytest.fixture
def app_window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    """The window as ``gaitdeck --simulate`` shows it (``desktop.cli`` → ``run_app``): the
    CLI's default runner, rate and seed, the saved theme, the GUI thread favoured; the
    session started once the window is up. Recordings go to a temporary data folder (the
    settings already do, see conftest)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    args = build_parser().parse_args(["--simulate"])
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette_before, font_before = app.palette(), app.font()
    switch_before = sys.getswitchinterval()
    apply_theme(app)
    favour_gui_thread()
    clock = SessionClock()
    session = LiveSession(simulated_pods(args.runner, rate_hz=args.rate, seed=args.seed,
                                         clock=clock))  # fmt: skip
    window = MainWindow(session, clock=clock, runner_id=f"sim-{args.runner}")
    window.resize(fitted_geometry(LAPTOP, PREFERRED_SIZE, FRAME_GUESS).size())  # as run_app
    qtbot.addWidget(window)
    window.session_actions.warn = lambda title, text: pytest.fail(f"warning {title}: {text}")
    show_active(qtbot, window)
    session.start()
    yield window
    window.shutdown()
    session.stop()
    sys.setswitchinterval(switch_before)
    app.setPalette(palette_before)
    app.setFont(font_before)


def new_session(qtbot, window: MainWindow) -> None:
    """Ctrl+N, type the runner id, add one stage at 11.5 km/h, Use this setup."""
    press(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    setup = window.session_setup
    assert setup is not None
    dialog = setup.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.runner.clear()
    qtbot.keyClicks(dialog.runner, RUNNER_ID)
    qtbot.mouseClick(button(dialog, "Add stage"), Qt.MouseButton.LeftButton)
    dialog.stage_table.item(0, 0).setText(STAGE_KMH)  # typed into the speed cell
    assert dialog.ok_button.text() == "Use this setup" and dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert status(window).startswith(f"Session set up for runner {RUNNER_ID}: next, Calibrate…")
    assert window.windowTitle().endswith(RUNNER_ID)
    assert "N starts stage 1" in setup.stage_label.text()
    qtbot.waitUntil(window.isActiveWindow)  # the hotkeys work on the window again


def open_wizard(qtbot, window: MainWindow) -> CalibrationWizard:
    """Session → Calibration wizard… (Ctrl+Shift+K)."""
    action = menu_action(window, "Session", "Calibration wizard…")
    expect(action.shortcut().toString() == "Ctrl+Shift+K", "the wizard is not on Ctrl+Shift+K")
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, window, Qt.Key.Key_K, modifiers)
    setup = window.session_setup
    wizard = setup.wizard if setup is not None else None
    if wizard is None or not wizard.isVisible():
        pytest.fail("Ctrl+Shift+K did not open the calibration wizard")
    return wizard


def press(qtbot, window: MainWindow, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier):
    """A hotkey on the dashboard (after a closed dialog the user clicks back on it first:
    the off-screen platform does not hand the focus back by itself)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, key, modifiers)


def toggle_recording(qtbot, window: MainWindow) -> None:
    press(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)


# --------------------------------------------------------------------------- the path
def test_first_session_from_launch_to_report(
    qtbot, app_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = app_window
    # on a 1366 x 768 laptop every essential control shows, and the traces have room
    assert hidden_essentials(window) == [] and short_traces(window) == []
    new_session(qtbot, window)

    # Record (Ctrl+R) while the runner still stands: the report calibrates on that standing
    toggle_recording(qtbot, window)
    assert status(window).startswith("Recording to ")
    assert status(window).endswith(f"-{RUNNER_ID}.gdrec")
    started_s = window.session_actions.recording.now_s()
    assert started_s is not None
    if started_s > LIVE_STANDING_S - STANDING_S - 0.5:  # a diagnosis, should it ever happen
        pytest.fail(f"recording started at {started_s:.1f} s: too late to hold 3 s of the "
                    f"simulated runner's standing (until {LIVE_STANDING_S:.0f} s)")  # fmt: skip

    # Session → Calibration wizard…: stand still (3 s), walk or run, then each pod in words
    wizard = open_wizard(qtbot, window)
    assert wizard.pages.currentIndex() == 0  # 1  Stand still: a countdown while still
    qtbot.waitUntil(lambda: "Hold still" in wizard.message.text(), timeout=5_000)
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 1, timeout=15_000)  # walk or run
    qtbot.waitUntil(lambda: wizard.close_button.text() == "Done", timeout=30_000)
    assert wizard.pages.currentIndex() == 2
    assert wizard.message.text() == (
        "Calibrated and aligned: every pod's axes are known. Ready to record."
    )
    for placement in Placement:
        words = wizard.summary_rows.text(placement)  # e.g. "toes = −z, up = +x, confident …"
        axis = "toes" if placement.is_shoe else "forward"
        pattern = rf"{axis} = [+−][xyz], up = [+−][xyz].*, confident \(quality (0\.\d\d|1\.00)\)"
        assert re.fullmatch(pattern, words), f"{POD_NAMES[placement]}: {words}"
    qtbot.mouseClick(wizard.close_button, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()

    # the feedback bar: constant schedule, ▶ Start; cues show as banners and are tallied
    bar = window.feedback.bar
    bar.schedule.setCurrentIndex(bar.schedule.findText("Constant"))
    qtbot.mouseClick(bar.start_button, Qt.MouseButton.LeftButton)
    assert bar.start_button.text() == "■ Stop" and window.feedback.model.running
    banner = window.feedback.banner
    qtbot.waitUntil(lambda: banner.shown >= 3, timeout=15_000)  # a heel striker: rearfoot cues
    assert banner.text and "constant 100%" in bar.status.text()

    # Next stage (N) once, a preset marker (3) and a typed one (M), a few strides, then stop
    events_before = window.view_model.events_seen
    press(qtbot, window, Qt.Key.Key_N)
    assert status(window) == f"{STAGE_MARKER.capitalize()} marked"
    assert STAGE_MARKER in window.session_setup.stage_label.text()
    press(qtbot, window, PRESET_KEY)
    assert status(window).startswith(f"Marker “{PRESET_MARKER}” at ")
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *a, **k: (NOTE_MARKER, True)))  # fmt: skip
    press(qtbot, window, Qt.Key.Key_M)
    assert status(window).startswith(f"Marker “{NOTE_MARKER}” at ")
    qtbot.waitUntil(lambda: window.view_model.events_seen >= events_before + 12, timeout=15_000)
    toggle_recording(qtbot, window)
    assert status(window).startswith(SAVED)
    recording_path = Path(status(window).removeprefix(SAVED))
    given = re.search(r"given (\d+) of (\d+) due", bar.status.text())
    assert given is not None and int(given[1]) >= 3

    with Recording(recording_path) as recording:
        assert recording.header.runner_id == RUNNER_ID
        markers = [text for _, text in recording.markers()]
        cues = [data for _, data in recording.events() if data["type"] == CUE_EVENT]
    assert markers[0] == "feedback start: constant" and STAGE_MARKER in markers
    assert PRESET_MARKER in markers and NOTE_MARKER in markers
    assert len(cues) >= 3 and {c["block"] for c in cues} == {"constant 100%"}

    # File → Clinician report…, saved as HTML where the user says
    out = tmp_path / "R-042-report.html"
    asked = answer_report_questions(monkeypatch, out)
    menu_action(window, "File", "Clinician report…").trigger()
    text = wait_for_report(qtbot, window, out)
    assert asked["suggested"] == str(recording_path.with_name(f"{recording_path.stem}-report.pdf"))

    assert f"gaitdeck clinician report — runner {RUNNER_ID}" in text
    assert f"Runner {RUNNER_ID}" in text
    # calibration: every pod levelled on the standing in the recording, axes found
    assert "All 4 pods were calibrated on quiet standing and their axes found" in text
    assert "not calibrated" not in text and "no quiet standing" not in text
    contacts = re.search(r"Foot contacts (\d+) Strides (\d+)", text)
    assert contacts is not None and int(contacts[1]) >= 20 and int(contacts[2]) >= 15
    # strike distribution per foot: the default simulated runner is a heel striker
    for side in ("left", "right"):
        row = re.search(rf"\b{side} (\d+) (\d+) \((\d+)%\) (\d+) \((?:\d+|–)%?\)", text)
        assert row is not None, f"no strike distribution row for the {side} foot"
        strikes, rearfoot, share = int(row[1]), int(row[2]), int(row[3])
        assert strikes >= 10 and rearfoot <= strikes and share >= 80
    # stages: the setup's stage marker splits the run
    stage_row = re.search(rf"{re.escape(STAGE_MARKER)} [\d.]+ [\d.]+ (\d+) ", text)
    assert stage_row is not None and int(stage_row[1]) >= 4
    # every marker is listed with its time; only the stage marker starts a stage
    for kind, text_ in (
        ("stage (starts a stage)", STAGE_MARKER),
        ("note", PRESET_MARKER),
        ("note", NOTE_MARKER),
        ("feedback", "feedback start: constant"),
    ):
        row = rf"\b\d+\.\d \d\d:\d\d:\d\d {re.escape(kind)} {re.escape(text_)}"
        assert re.search(row, text), f"the report does not list the marker “{text_}”"
    assert not re.search(rf"{re.escape(PRESET_MARKER)} [\d.]+ [\d.]+ \d+ ", text)  # no stage
    # the retraining feedback: every cue the window gave and recorded is counted
    assert f"Retraining feedback (constant schedule): {len(cues)} cues given" in text


# ------------------------------------------------------------ the order the app suggests
def test_report_after_calibrating_then_recording(
    qtbot, app_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = app_window
    wizard = open_wizard(qtbot, window)
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 1, timeout=15_000)  # calibrated
    qtbot.mouseClick(wizard.skip_button, Qt.MouseButton.LeftButton)  # the runner will run
    qtbot.mouseClick(wizard.close_button, Qt.MouseButton.LeftButton)
    toggle_recording(qtbot, window)  # "Ready to record"
    events_before = window.view_model.events_seen
    qtbot.waitUntil(lambda: window.view_model.events_seen >= events_before + 12, timeout=15_000)
    toggle_recording(qtbot, window)
    qtbot.waitUntil(lambda: status(window).startswith(SAVED), timeout=1_000)

    out = tmp_path / "report.html"
    answer_report_questions(monkeypatch, out)
    menu_action(window, "File", "Clinician report…").trigger()
    qtbot.waitUntil(lambda: status(window).startswith(REPORT_SAVED), timeout=60_000)
    text = plain_text(out.read_text(encoding="utf-8"))

    assert "no quiet standing" not in text  # the live calibration carried over
    assert text.count("calibrated before recording") == 4  # one per pod in the table
    contacts = re.search(r"Foot contacts (\d+)", text)
    assert contacts is not None and int(contacts[1]) > 0
