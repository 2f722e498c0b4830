"""Small dialogs of the File menu: where MetaBase devices were worn, what to export where."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drivers.types import Placement
from processing.exports.session import ExportKind

PLACEMENT_NAMES = {
    Placement.TRUNK: "Upper trunk",
    Placement.PELVIS: "Pelvis (sacrum)",
    Placement.LEFT_SHOE: "Left shoe",
    Placement.RIGHT_SHOE: "Right shoe",
}
EXPORT_NAMES = {
    ExportKind.TABLES: "Steps and strides tables (CSV) and summary.json",
    ExportKind.SAMPLES: "Raw samples per pod (CSV)",
    ExportKind.C3D: "C3D for gait-lab software (IMU analog channels and gait events)",
    ExportKind.HTML: "HTML session summary with plots",
}
NOT_USED = "not used"


class MappingDialog(QDialog):
    """One row per MetaBase device address: where it was worn (or not used)."""

    def __init__(self, addresses: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import MetaBase export: where was each device worn?")
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for address in addresses:  # no guess: a wrong default would go unnoticed
            combo = QComboBox()
            combo.addItem(NOT_USED, None)
            for placement, name in PLACEMENT_NAMES.items():
                combo.addItem(name, placement.value)
            combo.currentIndexChanged.connect(self._check)
            self.combos[address] = combo
            form.addRow(address, combo)
        self.problem = QLabel("")
        self.problem.setProperty("role", "muted")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._check()

    def mapping(self) -> dict[str, Placement]:
        chosen = {a: c.currentData() for a, c in self.combos.items()}
        return {a: Placement(p) for a, p in chosen.items() if p}

    def set_placement(self, address: str, placement: Placement | None) -> None:
        combo = self.combos[address]
        combo.setCurrentIndex(combo.findData(placement.value) if placement is not None else 0)

    def _check(self) -> None:
        placements = list(self.mapping().values())
        problem = ""
        if not placements:
            problem = "Choose a placement for at least one device."
        elif len(set(placements)) != len(placements):
            problem = "Two devices cannot be worn at the same place."
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)


class ExportDialog(QDialog):
    """Which formats, into which folder."""

    def __init__(self, source: Path, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export {source.name}")
        self.boxes: dict[ExportKind, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Analyse <b>{source.name}</b> and write:"))
        for kind, text in EXPORT_NAMES.items():
            box = QCheckBox(text)
            box.setChecked(True)
            box.toggled.connect(self._check)
            self.boxes[kind] = box
            layout.addWidget(box)
        row = QHBoxLayout()
        self.folder = QLineEdit(str(folder))
        self.folder.textChanged.connect(self._check)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row.addWidget(QLabel("Into folder:"))
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._check()

    def kinds(self) -> set[ExportKind]:
        return {kind for kind, box in self.boxes.items() if box.isChecked()}

    def out_dir(self) -> Path:
        return Path(self.folder.text().strip()).expanduser()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export into", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _check(self) -> None:
        ok = bool(self.kinds()) and bool(self.folder.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
