"""View → Panels: hiding a panel frees its space; the choice and the window geometry are
kept in QSettings (a temporary folder here) for the next window."""

from __future__ import annotations

from pathlib import Path

import pytest
from desktop_fakes import FakeSession
from PySide6.QtCore import QSettings

from desktop.layout import GEOMETRY_KEY, HIDDEN_KEY, _string_list, app_settings
from desktop.main_window import MainWindow
from processing.events import Side

PANELS = ["pods", "traces", "strike", "timing", "strides", "coordination", "feedback"]


def make_window(qtbot, session: FakeSession, size: tuple[int, int] = (1900, 1040)) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.timer.stop()
    window.resize(*size)
    return window


def test_every_panel_has_a_checked_view_entry(qtbot, session) -> None:
    window = make_window(qtbot, session)
    chooser = window.view_menu.panels
    assert list(chooser.actions) == PANELS
    assert all(action.isChecked() for action in chooser.actions.values())
    titles = [a.text() for a in window.view_menu.menu.actions()[0].menu().actions()]
    assert titles[0] == "Pod status" and "Feedback bar" in titles


def test_hiding_panels_frees_their_space_and_persists(qtbot, session) -> None:
    window = make_window(qtbot, session)
    window.show()
    qtbot.waitExposed(window)
    stride_height = window.stride_panel.height()
    coordination_height = window.coordination_panel.height()
    window.view_menu.panels.actions["strike"].setChecked(False)
    window.view_menu.panels.actions["traces"].trigger()  # toggles it off
    qtbot.wait(10)
    assert window.strike[Side.LEFT].isHidden() and window.strike[Side.RIGHT].isHidden()
    assert window.traces.parentWidget().isHidden()
    qtbot.waitUntil(lambda: window.stride_panel.height() > stride_height + 100)
    assert window.coordination_panel.height() > coordination_height + 100
    assert sorted(_string_list(app_settings().value(HIDDEN_KEY))) == ["strike", "traces"]
    window.close()

    again = make_window(qtbot, FakeSession(session.status))
    assert again.view_menu.panels.hidden() == ["traces", "strike"]
    assert again.strike[Side.LEFT].isHidden() and not again.stride_panel.isHidden()
    again.view_menu.panels.set_shown("strike", True)
    assert not again.strike[Side.RIGHT].isHidden()
    assert _string_list(app_settings().value(HIDDEN_KEY)) == ["traces"]
    assert again.view_menu.panels.hidden() == ["traces"]


def test_window_geometry_is_saved_and_restored(qtbot, session) -> None:
    """The offscreen screen (800 × 800) is smaller than the window's minimum size, so Qt
    clamps a restored geometry: check the saved bytes and that the next window uses them."""
    window = make_window(qtbot, session)
    assert not window.view_menu.panels.persist_geometry  # off-screen runs keep none…
    window.view_menu.panels.persist_geometry = True  # …but this test plays a real screen
    window.show()
    qtbot.waitExposed(window)
    window.close()
    saved = app_settings().value(GEOMETRY_KEY)
    assert saved == window.saveGeometry()
    again = make_window(qtbot, FakeSession(session.status))
    again.view_menu.panels.persist_geometry = True
    calls: list[object] = []
    original = again.restoreGeometry
    again.restoreGeometry = lambda data: calls.append(data) or original(data)  # type: ignore[method-assign]
    again.show()
    qtbot.waitExposed(again)
    assert calls == [saved]
    again.show()  # only the first show restores
    assert len(calls) == 1


def test_off_screen_runs_do_not_save_geometry(qtbot, session) -> None:
    window = make_window(qtbot, session)
    window.show()
    qtbot.waitExposed(window)
    window.close()
    assert app_settings().value(GEOMETRY_KEY) is None


def test_settings_use_qsettings_path_without_the_config_variable(
    qtbot, session, settings_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GAITDECK_CONFIG_DIR")
    window = make_window(qtbot, session)
    window.view_menu.panels.set_shown("coordination", False)
    ini = settings_dir / "gaitdeck" / "gaitdeck.ini"
    assert ini.exists() and "coordination" in ini.read_text()
    store = QSettings(str(ini), QSettings.Format.IniFormat)
    assert _string_list(store.value(HIDDEN_KEY)) == ["coordination"]
