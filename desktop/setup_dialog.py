"""The session setup dialog (Session → New session…) and the extra-stage question.

Edits a ``SessionSetup``: runner id (validated as typed), notes, treadmill stages (speed and
incline per row), the texts of the marker hotkeys 1–9; shows the session's pods and where
they are worn, with the pod manager one click away for real pods.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.pod_view_models import PLACEMENT_ORDER, PLACEMENT_TITLES
from desktop.widgets.panel import label
from desktop.wizard.style import busy_colour, dialog_style
from drivers.types import LinkStats, PodInfo
from processing.session_setup import (
    DEFAULT_MARKER_PRESETS,
    INCLINE_RANGE_PCT,
    MAX_SPEED_KMH,
    PRESET_COUNT,
    SessionSetup,
    TreadmillStage,
    normalised_presets,
    runner_id_problem,
    suggest_runner_id,
)

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

STAGE_HINT = "During the session, N starts the next stage and marks it in the recording."


def speed_box(value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, MAX_SPEED_KMH)
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setSuffix(" km/h")
    box.setValue(value)
    return box


def incline_box(value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(*INCLINE_RANGE_PCT)
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setSuffix(" %")
    box.setValue(value)
    return box


def pod_lines(status: list[tuple[PodInfo, LinkStats]]) -> list[tuple[str, str]]:
    """(where it is worn, which pod and its state) per placement, absent ones included."""
    worn = {info.placement: (info, stats) for info, stats in status}
    lines = []
    for placement in PLACEMENT_ORDER:
        if placement in worn:
            info, stats = worn[placement]
            lines.append((PLACEMENT_TITLES[placement],
                          f"{info.model} · {info.address} · {stats.state.value}"))  # fmt: skip
        else:
            lines.append((PLACEMENT_TITLES[placement], "no pod"))
    return lines


class SessionSetupDialog(QDialog):
    def __init__(self, setup: SessionSetup, window: MainWindow, stage: int = 0) -> None:
        super().__init__(window)
        self.window_ = window
        self.original = setup
        self.setWindowTitle("gaitdeck · new session")
        self.setStyleSheet(dialog_style())
        self.resize(880, 720)
        self._build(setup, stage)
        self._check()

    # ------------------------------------------------------------------------ layout
    def _build(self, setup: SessionSetup, stage: int) -> None:
        self.runner = QLineEdit(setup.runner_id)
        self.runner.setPlaceholderText(
            f"pseudonymous id, e.g. {suggest_runner_id(setup.runner_id)}"
        )
        self.runner.textChanged.connect(self._check)
        self.suggest_button = QPushButton(f"New id: {suggest_runner_id(setup.runner_id)}")
        self.suggest_button.clicked.connect(
            lambda: self.runner.setText(suggest_runner_id(setup.runner_id))
        )
        runner_row = QHBoxLayout()
        runner_row.addWidget(self.runner, 1)
        runner_row.addWidget(self.suggest_button)
        self.problem = label("", "muted")
        self.problem.setStyleSheet(f"color: {busy_colour()};")
        self.notes = QPlainTextEdit(setup.notes)
        self.notes.setPlaceholderText("optional: shoes, complaints, goal of the session… "
                                      "(no names)")  # fmt: skip
        self.notes.setFixedHeight(64)
        runner_field = QVBoxLayout()
        runner_field.setSpacing(2)
        runner_field.addLayout(runner_row)
        runner_field.addWidget(self.problem)
        form = QFormLayout()
        form.addRow("Runner", runner_field)
        form.addRow("Notes", self.notes)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addLayout(self._stages_column(setup, stage), 1)
        columns.addLayout(self._presets_column(setup), 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Use this setup")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 14)
        outer.setSpacing(10)
        outer.addWidget(label("NEW SESSION", "heading"))
        outer.addLayout(form)
        outer.addLayout(columns, 1)
        outer.addLayout(self._pods_section())
        outer.addWidget(self.buttons)

    def _stages_column(self, setup: SessionSetup, stage: int) -> QVBoxLayout:
        self.stage_table = QTableWidget(0, 2)
        self.stage_table.setHorizontalHeaderLabels(["Speed (km/h)", "Incline (%)"])
        self.stage_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.stage_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stage_table.verticalHeader().setDefaultSectionSize(28)
        for s in setup.stages:
            self.add_stage(s)
        self.stage_table.itemChanged.connect(self._stage_edited)
        add, remove = QPushButton("Add stage"), QPushButton("Remove")
        add.clicked.connect(lambda: self.add_stage())
        remove.clicked.connect(self.remove_stage)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        hint = label(STAGE_HINT + (f" Stage {stage} is running now." if stage else ""), "muted")
        hint.setWordWrap(True)
        column = QVBoxLayout()
        column.addWidget(label("TREADMILL STAGES", "heading"))
        column.addWidget(self.stage_table, 1)
        column.addLayout(row)
        column.addWidget(hint)
        return column

    def _presets_column(self, setup: SessionSetup) -> QVBoxLayout:
        self.preset_table = QTableWidget(PRESET_COUNT, 1)
        self.preset_table.setHorizontalHeaderLabels(["Marker text"])
        self.preset_table.setVerticalHeaderLabels([f"key {i}" for i in range(1, 10)])
        self.preset_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.preset_table.verticalHeader().setDefaultSectionSize(28)
        self.preset_table.setMinimumHeight(28 * (PRESET_COUNT + 1) + 6)
        self.set_presets(setup.marker_presets)
        reset = QPushButton("Reset to defaults")
        reset.clicked.connect(lambda: self.set_presets(DEFAULT_MARKER_PRESETS))
        row = QHBoxLayout()
        row.addWidget(reset)
        row.addStretch(1)
        column = QVBoxLayout()
        column.addWidget(label("MARKER HOTKEYS", "heading"))
        column.addWidget(self.preset_table, 1)
        column.addLayout(row)
        return column

    def _pods_section(self) -> QVBoxLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        self.pod_labels: list[QLabel] = []
        for i, (where, what) in enumerate(pod_lines(self.window_.session.pod_status())):
            name, text = label(where), label(what, "muted")
            grid.addWidget(name, i // 2, 2 * (i % 2))
            grid.addWidget(text, i // 2, 2 * (i % 2) + 1)
            self.pod_labels.append(text)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.pods_button = QPushButton("Pods…")
        real = self.window_.pod_manager is not None
        self.pods_button.setEnabled(real)
        self.pods_button.setToolTip("Scan, place and connect pods (Ctrl+P)" if real else
                                    "Simulated pods: where they are worn is fixed")  # fmt: skip
        self.pods_button.clicked.connect(self.window_.open_pod_manager)
        head = QHBoxLayout()
        head.addWidget(label("PODS", "heading"))
        head.addWidget(label("placements are remembered per pod; change them in the pod "
                             "manager" if real else "simulated pods", "muted"), 1)  # fmt: skip
        head.addWidget(self.pods_button)
        section = QVBoxLayout()
        section.addLayout(head)
        section.addLayout(grid)
        return section

    # ---------------------------------------------------------------------- editing
    def add_stage(self, stage: TreadmillStage | None = None) -> None:
        table = self.stage_table
        if stage is None:
            last = self.stages()[-1:] or [TreadmillStage(9.0, 1.0)]
            stage = TreadmillStage(min(MAX_SPEED_KMH, last[0].speed_kmh + 1.0),
                                   last[0].incline_pct)  # fmt: skip
        row = table.rowCount()
        table.insertRow(row)
        for column, value in enumerate((stage.speed_kmh, stage.incline_pct)):
            item = QTableWidgetItem(f"{value:.1f}")
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(row, column, item)
        table.setVerticalHeaderItem(row, QTableWidgetItem(f"stage {row + 1}"))

    def _stage_edited(self, item: QTableWidgetItem) -> None:
        """Keep what was typed if it is a number in range, else the previous value."""
        previous = float(item.data(Qt.ItemDataRole.UserRole))
        low, high = (0.0, MAX_SPEED_KMH) if item.column() == 0 else INCLINE_RANGE_PCT
        try:
            value = float(item.text().replace(",", ".").replace("−", "-"))
        except ValueError:
            value = math.nan
        if not low <= value <= high:
            value = previous
        blocked = self.stage_table.blockSignals(True)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setText(f"{value:.1f}")
        self.stage_table.blockSignals(blocked)

    def remove_stage(self) -> None:
        table = self.stage_table
        rows = sorted({i.row() for i in table.selectedIndexes()}) or [table.rowCount() - 1]
        for row in reversed(rows):
            if row >= 0:
                table.removeRow(row)
        for row in range(table.rowCount()):
            table.setVerticalHeaderItem(row, QTableWidgetItem(f"stage {row + 1}"))

    def stages(self) -> list[TreadmillStage]:
        return [
            TreadmillStage(self._value(row, 0), self._value(row, 1))
            for row in range(self.stage_table.rowCount())
        ]

    def _value(self, row: int, column: int) -> float:
        item = self.stage_table.item(row, column)
        assert item is not None  # every cell gets an item in add_stage
        return float(item.data(Qt.ItemDataRole.UserRole))

    def set_presets(self, texts: tuple[str, ...]) -> None:
        for i, text in enumerate(normalised_presets(list(texts))):
            self.preset_table.setItem(i, 0, QTableWidgetItem(text))

    def presets(self) -> tuple[str, ...]:
        texts: list[object] = []
        for i in range(PRESET_COUNT):
            item = self.preset_table.item(i, 0)
            texts.append(item.text() if item is not None else "")
        return normalised_presets(texts)

    def restyle(self) -> None:
        """After a theme switch."""
        self.setStyleSheet(dialog_style())
        self.problem.setStyleSheet(f"color: {busy_colour()};")

    def _check(self) -> None:
        problem = runner_id_problem(self.runner.text())
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        self.ok_button.setEnabled(problem is None)

    def result_setup(self) -> SessionSetup:
        """The setup as edited (call once accepted: the runner id is then valid)."""
        return dataclasses.replace(
            self.original, runner_id=self.runner.text().strip(),
            notes=self.notes.toPlainText().strip(), stages=tuple(self.stages()),
            marker_presets=self.presets(),
        )  # fmt: skip


def stage_prompt(number: int) -> str:
    """What the extra-stage dialog asks for stage ``number``, the first one past the plan."""
    if number == 1:
        return "Stage 1: no stages were planned. Its speed and incline:"
    return f"Stage {number}: beyond the planned stages. Its speed and incline:"


class StageDialog(QDialog):
    """Speed and incline of an extra stage, once the planned ones are used up."""

    def __init__(self, number: int, like: TreadmillStage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"gaitdeck · stage {number}")
        self.setStyleSheet(dialog_style())
        self.speed, self.incline = speed_box(like.speed_kmh), incline_box(like.incline_pct)
        form = QFormLayout(self)
        form.addRow(label(stage_prompt(number), "muted"))
        form.addRow("Speed", self.speed)
        form.addRow("Incline", self.incline)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.speed.setFocus(Qt.FocusReason.OtherFocusReason)

    def stage(self) -> TreadmillStage:
        return TreadmillStage(self.speed.value(), self.incline.value())
