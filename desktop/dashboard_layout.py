"""The live window's arrangement, fitted to the room the window has.

Rows, top to bottom: the pod status row with the session tool bar (Record, Marker,
Calibrate…) at its end; the feedback row — the feedback bar and, beside it, the cue's own
slot (``CueBanner``), always reserved so a cue never covers a panel and nothing moves when
one shows; the main area. The main area has two columns, the live traces on the left and
the strike headline per foot on the right, always shown. A replay's transport bar sits under
the scroll area (``with_footer``), so it shows however short the window is.

``WIDE``, where the window has room (``WIDE_MIN_SIZE``, e.g. 1920 × 1080): the coordination
panel sits under the traces, cadence and the stride ranges under the strike headline.
``COMPACT`` (a 1366 × 768 laptop, or 2× scaling of a larger screen): those three panels
become tabs under the strike headline, each scrolling if it must; the pod cards drop their
detail lines and the tool bar moves, flat, into the menu bar's corner. The traces keep
``TRACE_MIN_PX`` per plot (``desktop.widgets.live_traces``). The whole is in a scroll area,
so a window smaller still scrolls rather than squashing a panel to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMenuBar,
    QScrollArea,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import palette
from desktop.widgets.cue import CueBanner
from desktop.widgets.pod_status import PodStatusRow

SPACING_PX = 10
FEET_STRETCH = 5  # the strike headline's share of the right column…
COMPACT_TABS_STRETCH = 2  # …and the tabs' (compact), which hold at least the cadence panel
# The window's size from which the wide arrangement fits without squashing a panel
# (measured; tests/desktop/test_screen_fit.py checks it). The window's, not the central
# area's: that changes with the arrangement (the tool bar moves into the menu bar).
WIDE_MIN_SIZE = QSize(1500, 990)


class Arrangement(Enum):
    WIDE = "wide"
    COMPACT = "compact"


def arrangement_for(size: QSize) -> Arrangement:
    """``WIDE`` when a window of ``size`` holds it, else ``COMPACT``."""
    fits = size.width() >= WIDE_MIN_SIZE.width() and size.height() >= WIDE_MIN_SIZE.height()
    return Arrangement.WIDE if fits else Arrangement.COMPACT


@dataclass(frozen=True)
class DashboardParts:
    """The window's widgets the arrangement places (it creates none of these)."""

    pod_row: PodStatusRow
    toolbar: QToolBar
    traces: QWidget  # the live traces' panel
    strikes: tuple[QWidget, QWidget]  # left and right foot
    timing: QWidget
    strides: QWidget
    coordination: QWidget
    menu_bar: QMenuBar  # holds the tool bar in its corner when the window is compact


def with_footer(dashboard: Dashboard, footer: QWidget | None) -> QWidget:
    """The window's central widget: the dashboard, and ``footer`` (a replay's transport
    bar) under it, outside the scroll area, so it never scrolls out of sight."""
    if footer is None:
        return dashboard
    central = QWidget()
    column = QVBoxLayout(central)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(dashboard, 1)
    row = QHBoxLayout()
    row.setContentsMargins(SPACING_PX, 0, SPACING_PX, 6)
    row.addWidget(footer)
    column.addLayout(row)
    return central


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class PanelTabs(QTabWidget):
    """Panels as tabs, each page scrolling; a panel hidden (View → Panels) hides its tab,
    and with every panel hidden the tabs hide too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panelTabs")
        self.setDocumentMode(True)
        self.tabBar().setDrawBase(False)  # no light line across the dark window
        self.panels: list[QWidget] = []
        self.in_use = False
        self.restyle()

    def hold(self, panels: list[tuple[QWidget, str]]) -> None:
        """Take ``panels`` (with their tab titles) into tabs, in that order."""
        for panel, title in panels:
            holder = QWidget()
            holder.setObjectName("tabPage")
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(panel)
            column.addStretch(1)
            self.addTab(_scrolling(holder), title)
            panel.installEventFilter(self)
            self.panels.append(panel)
        self.in_use = True
        if panels:  # the first tab shows whole, without scrolling
            first = panels[0][0].sizeHint().height()
            self.setMinimumHeight(self.tabBar().sizeHint().height() + first + 2)
        self.sync()

    def release(self) -> list[QWidget]:
        """Give the panels back (out of their pages) and hide."""
        released, self.panels = self.panels, []
        for panel in released:
            panel.removeEventFilter(self)
            panel.setParent(None)
        while self.count():
            page = self.widget(0)
            self.removeTab(0)
            page.deleteLater()
        self.in_use = False
        self.hide()
        return released

    def sync(self) -> None:
        """Tabs follow their panels' hidden state."""
        any_shown = False
        for index, panel in enumerate(self.panels):
            shown = not panel.isHidden()
            self.setTabVisible(index, shown)
            any_shown = any_shown or shown
        self.setVisible(self.in_use and any_shown)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self.sync()
        return False

    def restyle(self) -> None:
        p = palette
        self.setStyleSheet(
            f"QTabWidget::pane {{ border: none; }}"
            f" QTabBar::tab {{ color: {p.TEXT_MUTED}; background: {p.BACKGROUND};"
            f" border: 1px solid {p.PANEL_BORDER}; border-bottom: none; padding: 5px 14px;"
            " border-top-left-radius: 6px; border-top-right-radius: 6px; font-weight: 600; }"
            f" QTabBar::tab:selected {{ color: {p.TEXT}; background: {p.PANEL}; }}"
            f" QWidget#tabPage, QScrollArea, QScrollArea > QWidget > QWidget"
            f" {{ background: {p.BACKGROUND}; }}"
        )


class Dashboard(QScrollArea):
    """The window's central widget: the rows above, arranged ``WIDE`` or ``COMPACT`` by
    the window's size (switching as the window is resized)."""

    def __init__(self, parts: DashboardParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window: QWidget | None = None  # the scroll area filters events from the start
        self.setObjectName("centralScroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.parts = parts
        self.cue_banner = CueBanner()
        self.tabs = PanelTabs()
        self.tabs.hide()
        content = QWidget()
        content.setObjectName("central")
        outer = QVBoxLayout(content)
        outer.setContentsMargins(SPACING_PX, SPACING_PX, SPACING_PX, 6)
        outer.setSpacing(SPACING_PX)
        self.top_row = self._row(parts.pod_row, parts.toolbar)
        outer.addLayout(self.top_row)
        self.feedback_row = self._row(self.cue_banner)
        outer.addLayout(self.feedback_row)
        outer.addLayout(self._main(), 1)
        self.setWidget(content)
        self.arrangement: Arrangement | None = None
        window = parts.menu_bar.window()
        self.arrange(arrangement_for(window.size()))
        window.installEventFilter(self)  # arranged by the window's size
        self._window = window

    @staticmethod
    def _row(stretched: QWidget, *rest: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(SPACING_PX)
        row.addWidget(stretched, 1)
        for widget in rest:
            row.addWidget(widget)
        return row

    def _main(self) -> QHBoxLayout:
        parts = self.parts
        self.left = QVBoxLayout()
        self.left.setSpacing(SPACING_PX)
        self.left.addWidget(parts.traces, 5)
        feet = QHBoxLayout()
        feet.setSpacing(SPACING_PX)
        for strike in parts.strikes:
            feet.addWidget(strike, 1)
        self.right = QVBoxLayout()
        self.right.setSpacing(SPACING_PX)
        self.right.addLayout(feet, FEET_STRETCH)
        self.right.addWidget(self.tabs, COMPACT_TABS_STRETCH)
        main = QHBoxLayout()
        main.setSpacing(SPACING_PX)
        main.addLayout(self.left, 1)
        main.addLayout(self.right, 1)
        return main

    def add_feedback_bar(self, bar: QWidget) -> None:
        """The feedback bar goes first in the feedback row, the cue slot beside it."""
        self.feedback_row.insertWidget(0, bar)

    def arrange(self, arrangement: Arrangement) -> None:
        """Move the secondary panels between columns and tabs (their shown / hidden state
        is kept), and set the pod cards and tool bar to match."""
        if arrangement is self.arrangement:
            return
        self.arrangement = arrangement
        parts = self.parts
        secondary = (parts.timing, parts.strides, parts.coordination)
        shown = {panel: not panel.isHidden() for panel in secondary}
        compact = arrangement is Arrangement.COMPACT
        if compact:
            for layout, panel in ((self.right, parts.timing), (self.right, parts.strides),
                                  (self.left, parts.coordination)):  # fmt: skip
                layout.removeWidget(panel)
            self.tabs.hold([(parts.timing, "Cadence && contact"),
                            (parts.strides, "Bend && twist"),
                            (parts.coordination, "Coordination")])  # fmt: skip
        else:
            self.tabs.release()
            self.left.addWidget(parts.coordination, 2)
            self.right.addWidget(parts.timing)
            self.right.addWidget(parts.strides, 4)
        for panel, on in shown.items():
            panel.setVisible(on)
        self.tabs.sync()
        parts.pod_row.set_compact(compact)
        self._place_toolbar(compact)

    def _place_toolbar(self, compact: bool) -> None:
        """Compact: flat, in the menu bar's corner (the pod cards get the whole row);
        wide: upright at the end of the pod row (no extra row of height)."""
        toolbar, menu_bar = self.parts.toolbar, self.parts.menu_bar
        if compact:
            self.top_row.removeWidget(toolbar)
            toolbar.setOrientation(Qt.Orientation.Horizontal)
            menu_bar.setCornerWidget(toolbar, Qt.Corner.TopRightCorner)
        else:
            if menu_bar.cornerWidget(Qt.Corner.TopRightCorner) is toolbar:
                menu_bar.setCornerWidget(None, Qt.Corner.TopRightCorner)
            toolbar.setOrientation(Qt.Orientation.Vertical)
            self.top_row.addWidget(toolbar)
        toolbar.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        window = self._window
        if window is not None and watched is window and event.type() == QEvent.Type.Resize:
            self.arrange(arrangement_for(window.size()))
        return super().eventFilter(watched, event)  # the scroll area follows its content
