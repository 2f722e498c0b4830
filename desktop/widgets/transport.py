"""The replay transport bar: play/pause, speed, the timeline with markers, time, loop A/B."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.replay_control import SPEED_CHOICES, ReplayControl, format_clock, speed_text
from desktop.widgets.panel import set_text
from desktop.widgets.timeline import Timeline

PLAY, PAUSE = "▶  Play", "❚❚  Pause"


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to play/pause
    return button


class TransportBar(QFrame):
    """Controls ``control``; ``refresh`` (once per frame) follows the playback."""

    def __init__(self, control: ReplayControl, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.control = control
        self.setProperty("panel", True)
        self.setObjectName("transport")
        self.play_button = _button(PAUSE, "Play / pause (Space)")
        self.play_button.setMinimumWidth(104)
        self.play_button.clicked.connect(self.toggle)
        self.speed = QComboBox()
        self.speed.setToolTip("Playback speed (max: as fast as the processing goes)")
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        choices = list(SPEED_CHOICES)
        if control.speed not in choices:  # e.g. --speed 3
            choices.insert(-1, control.speed)
            choices[:-1] = sorted(c for c in choices[:-1] if c is not None)
        for choice in choices:
            self.speed.addItem(speed_text(choice), choice)
        self.speed.setCurrentIndex(choices.index(control.speed))
        self.speed.currentIndexChanged.connect(self._speed_chosen)
        self.timeline = Timeline(control.start_s, control.end_s)
        self.timeline.set_markers(control.markers())
        self.timeline.seek_requested.connect(self.seek)
        self.timeline.loop_selected.connect(self.set_loop)
        self.timeline.scrubbed.connect(self._show_time)
        self.time_label = QLabel("")
        self.time_label.setProperty("role", "value")
        self.time_label.setStyleSheet("font-size: 15px;")
        self.time_label.setMinimumWidth(130)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.a_button = _button("A", "Loop start at the current time (then B)")
        self.b_button = _button("B", "Loop end at the current time: play A–B over and over")
        self.clear_button = _button("✕ loop", "Stop looping (or shift-drag on the timeline)")
        self.a_button.clicked.connect(self.mark_a)
        self.b_button.clicked.connect(self.mark_b)
        self.clear_button.clicked.connect(self.clear_loop)
        self.loop_label = QLabel("")
        self.loop_label.setProperty("role", "muted")
        self.loop_label.setMinimumWidth(150)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.setSpacing(8)
        row.addWidget(self.play_button)
        row.addWidget(self.speed)
        row.addWidget(self.timeline, 1)
        row.addWidget(self.time_label)
        for widget in (self.a_button, self.b_button, self.clear_button, self.loop_label):
            row.addWidget(widget)
        self.refresh()

    # -------------------------------------------------------------------- commands
    def toggle(self) -> None:
        self.control.toggle()
        self.refresh()

    def seek(self, t_s: float) -> None:
        self.control.seek(t_s)
        self.refresh()

    def set_loop(self, a_s: float, b_s: float) -> None:
        self.control.set_loop(a_s, b_s)
        self.refresh()

    def mark_a(self) -> None:
        self.control.mark_a()
        self.refresh()

    def mark_b(self) -> None:
        self.control.mark_b()
        self.refresh()

    def clear_loop(self) -> None:
        self.control.clear_loop()
        self.refresh()

    def _speed_chosen(self, index: int) -> None:
        self.control.set_speed(self.speed.itemData(index))

    # ---------------------------------------------------------------------- redraw
    def refresh(self) -> None:
        position = self.control.poll()
        if not self.timeline.dragging:
            self.timeline.set_position(position)
            self._show_time(position)
        self.timeline.set_loop(self.control.loop)
        set_text_button(self.play_button, PAUSE if self.control.playing else PLAY)
        set_text(self.loop_label, self._loop_text())
        self.clear_button.setEnabled(self.control.loop is not None)

    def _show_time(self, t_s: float) -> None:
        total = format_clock(self.control.end_s)
        set_text(self.time_label, f"{format_clock(t_s)} / {total}")

    def _loop_text(self) -> str:
        loop = self.control.loop
        if loop is not None:
            return f"loop {format_clock(loop[0])}–{format_clock(loop[1])}"
        if self.control.loop_start_s is not None:
            return f"A at {format_clock(self.control.loop_start_s)} · now B"
        return "no loop"


def set_text_button(button: QPushButton, text: str) -> None:
    if button.text() != text:
        button.setText(text)
