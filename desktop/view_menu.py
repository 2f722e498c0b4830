"""The View menu: a checkable entry per panel (``desktop.layout.PanelChooser``) and the
theme (dark or light, persisted), applied to the open window at once. When the window is
first shown it takes its saved geometry, and is then kept within the screen's available
geometry (``desktop.screen_fit``), whatever size was saved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QWidget

from desktop import palette
from desktop.layout import PanelChooser, PanelEntry
from desktop.screen_fit import clamp_to_screen, is_offscreen
from desktop.theme import apply_theme, restyle, save_theme
from processing.events import Side

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

THEME_LABELS = {palette.DARK: "Dark", palette.LIGHT: "Light"}
FRAME_SETTLE_MS = 400  # an X11 window manager reports the frame a moment after mapping


def panel_entries(window: MainWindow, feedback_bar: QWidget | None) -> list[PanelEntry]:
    def trace_panel() -> list[QWidget]:
        parent = window.traces.parentWidget()
        return [parent] if parent is not None else [window.traces]

    entries = [
        PanelEntry("pods", "Pod status", lambda: [window.pod_row]),
        PanelEntry("traces", "Live traces", trace_panel),
        PanelEntry(
            "strike",
            "Strike per foot",
            lambda: [window.strike[Side.LEFT], window.strike[Side.RIGHT]],
        ),
        PanelEntry("timing", "Cadence && contact", lambda: [window.timing_panel]),
        PanelEntry("strides", "Bend && twist per stride", lambda: [window.stride_panel]),
        PanelEntry("coordination", "Coordination", lambda: [window.coordination_panel]),
    ]
    if feedback_bar is not None:
        bar = feedback_bar  # with the cue slot beside it (cues then show in the status bar)
        entries.append(PanelEntry("feedback", "Feedback bar", lambda: [bar, window.cue_banner]))
    return entries


class ViewMenu(QObject):
    def __init__(self, window: MainWindow, feedback_bar: QWidget | None = None) -> None:
        super().__init__(window)
        self.window = window
        menu = window.menuBar().addMenu("&View")
        panels = menu.addMenu("Panels")
        self.panels = PanelChooser(window, panels, panel_entries(window, feedback_bar))
        themes = menu.addMenu("Theme")
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name, text in THEME_LABELS.items():
            action = QAction(text, window)
            action.setCheckable(True)
            action.setChecked(name == palette.NAME)
            action.triggered.connect(lambda _=False, name=name: self.set_theme(name))
            group.addAction(action)
            themes.addAction(action)
            self.theme_actions[name] = action
        self.menu = menu
        self._restored = False
        self.fit_screen = not is_offscreen()
        window.installEventFilter(self)
        restyle(window)  # the palette in use now (the saved theme, via apply_theme)

    def set_theme(self, name: str) -> None:
        """Switch to theme ``name`` now and remember it."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        else:
            palette.use(name)
        save_theme(name)
        self.theme_actions[name].setChecked(True)
        restyle(self.window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show and not self._restored:
            self._restored = True  # the saved geometry wins over the default size
            self.panels.restore_geometry()
            if self.fit_screen:  # once the window manager has framed it: within the screen
                QTimer.singleShot(FRAME_SETTLE_MS, self.clamp_to_screen)
        return False

    def clamp_to_screen(self) -> bool:
        return clamp_to_screen(self.window)


def install_view(window: MainWindow, feedback_bar: QWidget | None = None) -> ViewMenu:
    return ViewMenu(window, feedback_bar)
