"""Sizes the window to the screen it opens on: never larger than the screen's available
geometry (the screen less panels and docks), frame and title bar included.

``fitted_geometry`` is the arithmetic (the window's client rectangle for an available
rectangle, a preferred size and the frame's margins); ``fit_to_screen`` applies it before
the window is shown, with a guess at the frame, and ``clamp_to_screen`` corrects a shown
window (a restored geometry, or a frame larger than guessed) once the real frame is known.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

PREFERRED_SIZE = QSize(1920, 1200)  # a larger screen gets a window this big, centred
# Before it is shown a window has no frame yet: assume a title bar this tall (most window
# managers draw 24–38 px) and thin borders; clamp_to_screen corrects it once shown.
FRAME_GUESS = QMargins(1, 38, 1, 1)


def fitted_geometry(available: QRect, preferred: QSize, frame: QMargins) -> QRect:
    """The client rectangle of a window as large as ``preferred`` but whose frame (client
    plus ``frame``) lies within ``available``; centred in it."""
    room = available.marginsRemoved(frame)
    width = max(1, min(preferred.width(), room.width()))
    height = max(1, min(preferred.height(), room.height()))
    x = room.x() + (room.width() - width) // 2
    y = room.y() + (room.height() - height) // 2
    return QRect(x, y, width, height)


def _screen_of(window: QWidget) -> QScreen | None:
    return window.screen() or QGuiApplication.primaryScreen()


def fit_to_screen(window: QWidget, preferred: QSize = PREFERRED_SIZE) -> QRect:
    """Give ``window`` (not yet shown) the geometry that fits its screen; returns it.
    A screen with less room than ``preferred`` (a laptop) gets the window maximised: the
    window manager then fits it exactly, frame included; the geometry is its normal one."""
    screen = _screen_of(window)
    if screen is None:
        window.resize(preferred)
        return window.geometry()
    available = screen.availableGeometry()
    geometry = fitted_geometry(available, preferred, FRAME_GUESS)
    window.setGeometry(geometry)
    if geometry.size() != preferred:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    return geometry


def frame_margins(window: QWidget) -> QMargins:
    """The frame around the client area as the window system reports it (zero if none)."""
    frame, client = window.frameGeometry(), window.geometry()
    return QMargins(
        max(0, client.left() - frame.left()),
        max(0, client.top() - frame.top()),
        max(0, frame.right() - client.right()),
        max(0, frame.bottom() - client.bottom()),
    )


def clamp_to_screen(window: QWidget) -> bool:
    """Shrink and move a shown ``window`` so its frame lies within the available geometry
    of its screen; returns True if it had to. A maximised or full-screen window is left to
    the window manager."""
    screen = _screen_of(window)
    if screen is None or window.isMaximized() or window.isFullScreen():
        return False
    available = screen.availableGeometry()
    if available.contains(window.frameGeometry()):
        return False
    frame = frame_margins(window)
    room = available.marginsRemoved(frame)
    size = window.size().boundedTo(room.size())
    client = window.geometry()
    x = min(max(client.x(), room.x()), room.right() + 1 - size.width())
    y = min(max(client.y(), room.y()), room.bottom() + 1 - size.height())
    window.setGeometry(QRect(x, y, size.width(), size.height()))
    return True


def is_offscreen() -> bool:
    """Qt renders without a screen (screenshots, tests): no real screen to fit."""
    return QGuiApplication.platformName() == "offscreen"


def size_window(window: QWidget, offscreen_size: QSize) -> None:
    """A new window's size: fitted to its screen, or ``offscreen_size`` off-screen, where
    the virtual screen says nothing and screenshots stay reproducible."""
    if is_offscreen():
        window.resize(offscreen_size)
    else:
        fit_to_screen(window)
