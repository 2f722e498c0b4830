"""View → Theme: dark and light palettes with the same names; a switch restyles the open
window and its plots at once and is kept for the next launch."""

from __future__ import annotations

from desktop_fakes import FakeSession, SyntheticRunner
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from desktop import palette
from desktop.layout import app_settings
from desktop.main_window import MainWindow
from desktop.theme import THEME_KEY, apply_theme, saved_theme, stylesheet
from processing.events import Side


def make_window(qtbot, session: FakeSession) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.timer.stop()
    return window


def test_both_palettes_have_the_same_names() -> None:
    dark, light = palette.colours(palette.DARK), palette.colours(palette.LIGHT)
    assert dark.keys() == light.keys()
    assert dark["BACKGROUND"] != light["BACKGROUND"] and dark["TEXT"] != light["TEXT"]


def luminance(colour: QColor) -> float:
    return 0.2126 * colour.redF() + 0.7152 * colour.greenF() + 0.0722 * colour.blueF()


def test_switching_theme_restyles_window_and_plots_and_persists(qtbot, session) -> None:
    SyntheticRunner(session.board).run(4.0)
    window = make_window(qtbot, session)
    window.on_frame()
    assert palette.NAME == palette.DARK and saved_theme() == palette.DARK
    dark_image = window.grab().toImage()
    window.view_menu.theme_actions[palette.LIGHT].trigger()
    assert palette.NAME == palette.LIGHT and palette.BACKGROUND == "#eef1f5"
    assert app_settings().value(THEME_KEY) == palette.LIGHT
    assert window.styleSheet() == stylesheet() and "#eef1f5" in window.styleSheet()
    assert window.traces.backgroundBrush().color().name() == palette.PLOT_BACKGROUND
    axis = window.traces.plots[0].item.getAxis("left")
    assert axis.pen().color().name() == palette.TEXT_MUTED
    window.on_frame()
    light_image = window.grab().toImage()
    corner = (5, window.menuBar().height() + 5)  # the window background
    assert luminance(light_image.pixelColor(*corner)) > 0.85
    assert luminance(dark_image.pixelColor(*corner)) < 0.15
    indicator = window.strike[Side.LEFT]
    assert palette.PANEL in indicator.styleSheet() or "#" in indicator.styleSheet()
    fsa_colour = indicator.fsa_label.styleSheet()
    assert palette.TEXT in fsa_colour  # dark text on the light theme

    app = QApplication.instance()
    palette.use(palette.DARK)  # as a new launch would start
    assert apply_theme(app) == palette.LIGHT and palette.NAME == palette.LIGHT
    again = make_window(qtbot, FakeSession(session.status))
    assert again.view_menu.theme_actions[palette.LIGHT].isChecked()
    assert (
        again.traces.backgroundBrush().color().name() == palette.colours("light")["PLOT_BACKGROUND"]
    )
    apply_theme(app, palette.DARK)


def test_unknown_saved_theme_falls_back_to_dark() -> None:
    app_settings().setValue(THEME_KEY, "sepia")
    assert saved_theme() == palette.DARK
