"""The window fits the screen: sized to the available geometry (a restored geometry too),
arranged wide or compact by the room it has, with Record, Calibrate, the strike headline
per foot, the feedback bar and the status bar always in view, traces at least
``TRACE_MIN_PX`` per plot, and the cue in its own slot, never over a panel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from desktop_fakes import FakeSession, SyntheticRunner
from layout_checks import banner_overlaps, hidden_essentials, short_traces, trace_heights_px
from PySide6.QtCore import QMargins, QRect, QSize
from PySide6.QtGui import QGuiApplication

from desktop.dashboard_layout import WIDE_MIN_SIZE, Arrangement, arrangement_for
from desktop.main_window import SCREENSHOT_SIZE, MainWindow
from desktop.screen_fit import FRAME_GUESS, PREFERRED_SIZE, clamp_to_screen, fitted_geometry
from desktop.widgets.cue import MIN_TEXT_PT, TEXT_PT
from desktop.widgets.live_traces import TRACE_MIN_PX
from processing.events import Side

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SAMPLE = ROOT / "recordings" / "sim-mixed.gdrec"


def client_size(width: int, height: int) -> QSize:
    """The window's client size on a ``width`` × ``height`` screen (as gaitdeck sizes it)."""
    return fitted_geometry(QRect(0, 0, width, height), PREFERRED_SIZE, FRAME_GUESS).size()


@pytest.fixture
def window(qtbot, session: FakeSession) -> Iterator[MainWindow]:
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.timer.stop()
    yield win
    win.shutdown()


def show_at(qtbot, window: MainWindow, size: QSize, session: FakeSession | None = None) -> None:
    window.resize(size)
    window.show()
    qtbot.waitExposed(window)
    if session is not None:
        SyntheticRunner(session.board).run(6.0)
    window.on_frame()
    window.refresh_status()
    qtbot.wait(20)


# ------------------------------------------------------------------ sizing arithmetic
def test_fitted_geometry_never_exceeds_the_available_screen() -> None:
    laptop = QRect(0, 0, 1366, 768)
    client = fitted_geometry(laptop, PREFERRED_SIZE, FRAME_GUESS)
    assert laptop.contains(client.marginsAdded(FRAME_GUESS))
    assert client.size() == QSize(1364, 729)  # the whole screen, less the frame
    below_a_panel = QRect(0, 27, 1920, 1053)  # a desktop panel at the top
    client = fitted_geometry(below_a_panel, PREFERRED_SIZE, QMargins(0, 30, 0, 0))
    assert client == QRect(0, 57, 1920, 1023)


def test_a_large_screen_gets_the_preferred_size_centred() -> None:
    client = fitted_geometry(QRect(0, 0, 3840, 2160), PREFERRED_SIZE, FRAME_GUESS)
    assert client.size() == PREFERRED_SIZE
    assert client.center().x() == pytest.approx(1920, abs=1)
    assert client.center().y() == pytest.approx(1080 + 18, abs=2)


def test_arrangement_by_room() -> None:
    assert arrangement_for(client_size(1366, 768)) is Arrangement.COMPACT
    assert arrangement_for(client_size(1920, 1080)) is Arrangement.WIDE
    assert arrangement_for(QSize(*SCREENSHOT_SIZE)) is Arrangement.WIDE
    assert arrangement_for(QSize(1920, WIDE_MIN_SIZE.height() - 1)) is Arrangement.COMPACT
    assert arrangement_for(QSize(1400, 1200)) is Arrangement.COMPACT


def test_a_restored_window_larger_than_the_screen_is_clamped(qtbot, window) -> None:
    """The offscreen screen is 800 × 800, with window frames."""
    available = QGuiApplication.primaryScreen().availableGeometry()
    window.setGeometry(QRect(300, 200, 1600, 1000))  # as a bigger screen saved it
    window.show()
    qtbot.waitExposed(window)
    assert not available.contains(window.frameGeometry())
    assert clamp_to_screen(window)
    assert available.contains(window.frameGeometry()), (available, window.frameGeometry())
    assert not clamp_to_screen(window)  # fits now: nothing to do


# ------------------------------------------------------------------ what shows
@pytest.mark.parametrize(
    ("screen", "arrangement"),
    [
        ((1366, 768), Arrangement.COMPACT),
        ((1920, 1080), Arrangement.WIDE),
        (SCREENSHOT_SIZE, Arrangement.WIDE),
    ],
    ids=["1366x768", "1920x1080", "screenshot"],
)
def test_essentials_show_whole_at_common_screen_sizes(
    qtbot, window, session, screen: tuple[int, int], arrangement: Arrangement
) -> None:
    size = client_size(*screen) if screen != SCREENSHOT_SIZE else QSize(*SCREENSHOT_SIZE)
    show_at(qtbot, window, size, session)
    assert window.dashboard.arrangement is arrangement
    assert hidden_essentials(window) == []
    assert short_traces(window) == [], trace_heights_px(window)
    assert not window.dashboard.verticalScrollBar().isVisible()
    for side in Side:  # the headline is read from 2 m: never shrunk to small print
        assert window.strike[side].type_label.font().pixelSize() >= 28
        assert window.strike[side].fsa_label.font().pixelSize() >= 40
    assert banner_overlaps(window) == []
    if arrangement is Arrangement.COMPACT:
        assert not window.dashboard.tabs.isHidden()
        assert window.stride_panel.parentWidget() is not window.dashboard.widget()
    else:
        assert window.dashboard.tabs.isHidden()
        assert window.stride_panel.isVisible() and window.coordination_panel.isVisible()


def test_replay_window_fits_a_laptop(qtbot, window) -> None:
    replay = window.session_actions.open_recording(SAMPLE)
    assert replay is not None
    qtbot.addWidget(replay)
    replay.timer.stop()
    show_at(qtbot, replay, client_size(1366, 768))
    assert replay.dashboard.arrangement is Arrangement.COMPACT
    assert hidden_essentials(replay) == []
    assert short_traces(replay) == []
    # the transport bar never scrolls away, even where the panels above it must scroll
    assert not replay.dashboard.isAncestorOf(replay.transport)
    replay.resize(client_size(1093, 614))
    qtbot.wait(20)
    assert replay.dashboard.verticalScrollBar().maximum() > 0
    assert "transport" not in hidden_essentials(replay)
    replay.close()


def test_smaller_still_scrolls_instead_of_squashing(qtbot, window, session) -> None:
    """1.25× scaling of a 1366 × 768 screen leaves 1093 × 614: the content scrolls."""
    show_at(qtbot, window, client_size(1093, 614), session)
    assert window.dashboard.verticalScrollBar().isVisible()
    assert short_traces(window) == []


def test_switching_arrangement_moves_panels_and_keeps_them_shown(qtbot, window) -> None:
    show_at(qtbot, window, client_size(1920, 1080))
    window.resize(client_size(1366, 768))
    qtbot.waitUntil(lambda: window.dashboard.arrangement is Arrangement.COMPACT)
    tabs = window.dashboard.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Cadence && contact", "Bend && twist", "Coordination"]  # fmt: skip
    assert window.toolbar.parentWidget() is window.menuBar()  # flat, in the corner
    assert window.pod_row.cards[next(iter(window.pod_row.cards))].detail.isHidden()
    window.resize(client_size(1920, 1080))
    qtbot.waitUntil(lambda: window.dashboard.arrangement is Arrangement.WIDE)
    assert tabs.isHidden() and tabs.count() == 0
    for panel in (window.timing_panel, window.stride_panel, window.coordination_panel):
        assert panel.isVisible() and panel.height() > 60
    assert not window.pod_row.cards[next(iter(window.pod_row.cards))].detail.isHidden()


def test_hidden_panels_hide_their_tab_and_stay_hidden_across_arrangements(qtbot, window) -> None:
    show_at(qtbot, window, client_size(1366, 768))
    chooser, tabs = window.view_menu.panels, window.dashboard.tabs
    chooser.set_shown("strides", False)
    assert not tabs.isTabVisible(1) and tabs.isTabVisible(0) and tabs.isVisible()
    chooser.set_shown("timing", False)
    chooser.set_shown("coordination", False)
    assert tabs.isHidden()  # nothing left to show: the strike headline takes the column
    window.resize(client_size(1920, 1080))
    qtbot.waitUntil(lambda: window.dashboard.arrangement is Arrangement.WIDE)
    assert window.stride_panel.isHidden() and window.coordination_panel.isHidden()
    chooser.set_shown("strides", True)
    window.resize(client_size(1366, 768))
    qtbot.waitUntil(lambda: window.dashboard.arrangement is Arrangement.COMPACT)
    assert tabs.isVisible() and tabs.isTabVisible(1) and not tabs.isTabVisible(0)


# ------------------------------------------------------------------ the cue's slot
def test_a_long_cue_shrinks_to_fit_its_slot(qtbot, window) -> None:
    show_at(qtbot, window, client_size(1366, 768))
    banner = window.cue_banner
    banner.show_cue("Land softer")
    short_pt = banner._text_font.pointSizeF()
    banner.show_cue("Land softer: midfoot · stand tall: lean forward from the ankles " * 2)
    assert MIN_TEXT_PT <= banner._text_font.pointSizeF() < short_pt <= TEXT_PT
    assert banner.active and banner.height() == window.feedback.bar.height()


def test_with_the_feedback_row_hidden_a_cue_shows_in_the_status_bar(qtbot, window) -> None:
    show_at(qtbot, window, client_size(1366, 768))
    window.view_menu.panels.set_shown("feedback", False)
    assert window.cue_banner.isHidden() and window.feedback.bar.isHidden()
    window.cue_banner.show_cue("Stand tall")
    assert window.statusBar().currentMessage() == "Stand tall"


# ------------------------------------------------------------------ scaled screens
@pytest.mark.parametrize(
    ("native", "scale", "logical"),
    [((2732, 1536), "2", (1366, 768)), ((1920, 1080), "1.25", (1536, 864))],
    ids=["2x-2732x1536", "1.25x-1920x1080"],
)
def test_fits_a_scaled_screen(
    tmp_path: Path, native: tuple[int, int], scale: str, logical: tuple[int, int]
) -> None:
    """A real QApplication on a virtual high-DPI screen: the window opened as gaitdeck
    opens it fits the screen, with every essential control in view."""
    config = tmp_path / "screen.json"
    screen = {"name": "virtual", "x": 0, "y": 0, "width": native[0], "height": native[1]}
    config.write_text(json.dumps({"screens": [screen]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "QT_SCALE_FACTOR": scale, "GAITDECK_CONFIG_DIR": str(tmp_path),
           "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)])}  # fmt: skip
    done = subprocess.run(
        [sys.executable, str(HERE / "scaled_window.py")],
        env=env, capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["available"] == [0, 0, *logical]
    assert result["dpr"] == float(scale)
    assert result["maximised"]  # less room than preferred: the window manager fits it
    # A maximised window fills the screen; at 1.25× Qt rounds its logical frame 1 px over.
    assert result["fits"] or (scale == "1.25" and result["overflow_px"] <= 1), result
    assert result["arrangement"] == "compact"
    assert result["hidden"] == [] and result["short_traces"] == []
    assert result["banner_overlaps"] == [] and not result["scrolls"]
    assert min(result["trace_heights_px"]) >= TRACE_MIN_PX - 0.5
