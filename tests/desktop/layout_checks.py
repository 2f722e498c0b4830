"""What must show in the live window at any screen size, measured on a shown window.

Used in-process (tests/desktop/test_screen_fit.py) and by the scaled-screen script that
test runs in a subprocess (its own QApplication on a virtual screen)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from desktop.main_window import MainWindow
from desktop.widgets.live_traces import TRACE_MIN_PX
from processing.events import Side


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def shows_whole(window: MainWindow, widget: QWidget | None) -> bool:
    """``widget`` is visible, not empty, inside the window, and not scrolled away."""
    if widget is None or not widget.isVisible() or widget.width() < 8 or widget.height() < 8:
        return False
    if not window.rect().contains(rect_in(widget, window)):
        return False
    content = window.dashboard.widget()
    if content.isAncestorOf(widget):
        viewport = window.dashboard.viewport()
        return viewport.rect().contains(rect_in(widget, viewport))
    return True


def essentials(window: MainWindow) -> dict[str, QWidget | None]:
    """The controls and readings that must always show."""
    setup = window.session_setup  # the wizard on the tool bar; a replay has quick calibrate
    calibrate = setup.wizard_action if setup is not None else window.calibrate_action
    found: dict[str, QWidget | None] = {
        "calibrate": window.toolbar.widgetForAction(calibrate),
        "feedback bar": window.feedback.bar,
        "status bar": window.statusBar(),
    }
    if window.replay is None:
        record = window.session_actions.record_action
        found["record"] = window.toolbar.widgetForAction(record)
    else:
        found["transport"] = window.transport
    for side in Side:
        found[f"{side.value} strike type"] = window.strike[side].type_label
        found[f"{side.value} strike angle"] = window.strike[side].fsa_label
    return found


def hidden_essentials(window: MainWindow) -> list[str]:
    return [name for name, widget in essentials(window).items() if not shows_whole(window, widget)]


def trace_heights_px(window: MainWindow) -> list[float]:
    """The data area height of each live trace plot."""
    return [plot.item.vb.sceneBoundingRect().height() for plot in window.traces.plots]


def short_traces(window: MainWindow) -> list[float]:
    return [h for h in trace_heights_px(window) if h < TRACE_MIN_PX - 0.5]


def banner_overlaps(window: MainWindow) -> list[str]:
    """Show a cue; the panels its banner covers (none is right)."""
    window.feedback.banner.show_cue("Land softer: midfoot · stand tall")
    banner = rect_in(window.feedback.banner, window)
    panels = {"traces": window.traces.parentWidget(), "feedback bar": window.feedback.bar}
    for side in Side:
        panels[f"{side.value} strike"] = window.strike[side]
    return [
        name
        for name, panel in panels.items()
        if panel is not None and banner.intersects(rect_in(panel, window))
    ]


def overflow_px(available: QRect, frame: QRect) -> int:
    """How far ``frame`` reaches past ``available`` on its worst side (0 if inside)."""
    return max(0, available.left() - frame.left(), available.top() - frame.top(),
               frame.right() - available.right(), frame.bottom() - available.bottom())  # fmt: skip


def report(window: MainWindow) -> dict[str, object]:
    """Everything above, as plain data (for the subprocess check)."""
    screen = window.screen().availableGeometry()
    return {
        "available": [screen.x(), screen.y(), screen.width(), screen.height()],
        "frame": [*window.frameGeometry().getRect()],
        "fits": screen.contains(window.frameGeometry()),
        "overflow_px": overflow_px(screen, window.frameGeometry()),
        "maximised": window.isMaximized(),
        "arrangement": window.dashboard.arrangement.value,
        "hidden": hidden_essentials(window),
        "trace_heights_px": trace_heights_px(window),
        "short_traces": short_traces(window),
        "banner_overlaps": banner_overlaps(window),
        "dpr": window.devicePixelRatioF(),
        "scrolls": window.dashboard.verticalScrollBar().isVisible(),
    }
