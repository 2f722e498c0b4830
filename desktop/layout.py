"""Which panels the live window shows, and the window's geometry, kept across runs.

``app_settings()`` is gaitdeck's QSettings (organisation and application "gaitdeck", an INI
file; ``$GAITDECK_CONFIG_DIR/gaitdeck.ini`` when that folder is set, as for pods.json).
``PanelChooser`` adds a checkable View menu entry per panel; a hidden panel gives its space
to the others. The choice is saved at once, the geometry when the window closes (not in
off-screen runs), and both are restored by the next window.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QBoxLayout, QLayout, QMainWindow, QMenu, QScrollArea, QWidget

from desktop.screen_fit import clamp_to_screen

CONFIG_ENV = "GAITDECK_CONFIG_DIR"
HIDDEN_KEY = "view/hidden_panels"
GEOMETRY_KEY = "view/geometry"


def app_settings() -> QSettings:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return QSettings(str(Path(override) / "gaitdeck.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "gaitdeck", "gaitdeck")


def _string_list(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []


@dataclass(frozen=True)
class PanelEntry:
    key: str
    title: str
    widgets: Callable[[], list[QWidget]]


class PanelChooser(QObject):
    """View → Panels: one checkable action per entry; hidden keys persist."""

    def __init__(self, window: QMainWindow, menu: QMenu, entries: list[PanelEntry]) -> None:
        super().__init__(window)
        self.window = window
        self.entries = {entry.key: entry for entry in entries}
        self.actions: dict[str, QAction] = {}
        self._stretch: dict[tuple[int, int], int] = {}
        hidden = set(_string_list(app_settings().value(HIDDEN_KEY)))
        for entry in entries:
            action = QAction(entry.title, window)
            action.setCheckable(True)
            action.setChecked(entry.key not in hidden)
            action.toggled.connect(lambda on, key=entry.key: self.set_shown(key, on))
            menu.addAction(action)
            self.actions[entry.key] = action
            self._apply(entry.key, entry.key not in hidden)
        # An off-screen run (screenshots, CI) neither keeps nor takes the geometry: its
        # virtual screen says nothing about the user's, and screenshots stay reproducible.
        self.persist_geometry = QGuiApplication.platformName() != "offscreen"
        window.installEventFilter(self)

    def shown(self, key: str) -> bool:
        return self.actions[key].isChecked()

    def set_shown(self, key: str, on: bool) -> None:
        if self.actions[key].isChecked() != on:
            self.actions[key].setChecked(on)  # comes back here through toggled
            return
        self._apply(key, on)
        self.save()

    def _apply(self, key: str, on: bool) -> None:
        for widget in self.entries[key].widgets():
            widget.setVisible(on)
        central = self.window.centralWidget()
        if central is not None and not isinstance(central, QScrollArea):  # a replay's footer
            central = central.findChild(QScrollArea, "centralScroll") or central
        if isinstance(central, QScrollArea):  # the window's content scrolls when short
            central = central.widget()
        if central is not None and central.layout() is not None:
            self._free_empty(central.layout())

    def _free_empty(self, layout: QLayout) -> None:
        """A box layout keeps the stretch of a nested layout whose widgets are all hidden,
        so that space would stay empty: give such a layout no stretch until it shows again."""
        if not isinstance(layout, QBoxLayout):
            return
        for i in range(layout.count()):
            inner = layout.itemAt(i).layout()
            if inner is None:
                continue
            self._free_empty(inner)
            key = (id(layout), i)
            original = self._stretch.setdefault(key, layout.stretch(i))
            layout.setStretch(i, 0 if inner.isEmpty() else original)

    def hidden(self) -> list[str]:
        return [key for key, action in self.actions.items() if not action.isChecked()]

    def save(self) -> None:
        settings = app_settings()
        settings.setValue(HIDDEN_KEY, self.hidden())
        settings.sync()

    # ----------------------------------------------------------------- geometry
    def restore_geometry(self) -> bool:
        if not self.persist_geometry:
            return False
        value = app_settings().value(GEOMETRY_KEY)
        if not (isinstance(value, QByteArray) and self.window.restoreGeometry(value)):
            return False
        clamp_to_screen(self.window)  # saved on a larger screen, or at another scale
        return True

    def save_geometry(self) -> None:
        if not self.persist_geometry:
            return
        settings = app_settings()
        settings.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        settings.sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.save_geometry()
        return False
