"""The pod manager: scan, say where each pod is worn, pick its rate, connect, disconnect.

A non-modal dialog over the dashboard. Scans and links run on the BLE thread (via
``PodSession``); a timer polls the scan and redraws each row's link figures at
``REFRESH_HZ``. Rows are rebuilt only when the set of pods changes, so a combo box the user
is using is never replaced under them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import palette
from desktop.pod_manager_model import DEFAULT_SCAN_S, PodManagerModel, PodRowModel
from desktop.pod_view_models import PLACEMENT_ORDER, PLACEMENT_TITLES
from desktop.theme import STYLESHEET
from desktop.widgets.panel import label, set_text
from drivers.errors import GaitdeckError
from drivers.types import Placement

REFRESH_HZ = 4.0
COLUMNS = ("Model", "Name", "Address", "Signal", "Worn on", "Rate", "State", "Battery",
           "Received", "Lost", "Reconnects", "Sync (jitter · drift)", "")  # fmt: skip
TEXT_COLUMNS = {"model_text": 0, "name": 1, "address": 2, "rssi_text": 3, "state_text": 6,
                "battery_text": 7, "received_text": 8, "lost_text": 9, "reconnects_text": 10,
                "sync_text": 11}  # fmt: skip
PLACEMENT_COL, RATE_COL, STATE_COL, ACTION_COL = 4, 5, 6, 12
NO_PLACEMENT = "choose…"
HINT = ("Say where each pod is worn, then Connect. After connecting, stand still for 3 s "
        "(or press Calibrate).")  # fmt: skip
_BORDER = palette.PANEL_BORDER
DIALOG_STYLE = (
    STYLESHEET
    + f"""
QDialog {{ background: {palette.BACKGROUND}; }}
QTableWidget {{ background: {palette.PANEL}; gridline-color: {_BORDER}; border: 1px solid {_BORDER};
               border-radius: 8px; font-size: 13px; }}
QHeaderView::section {{ background: {palette.PANEL}; color: {palette.TEXT_MUTED}; border: none;
                       border-bottom: 1px solid {_BORDER}; padding: 4px 6px; font-weight: 600; }}
QPushButton {{ background: {_BORDER}; border: 1px solid {palette.ABSENT_COLOUR}; border-radius: 6px;
              padding: 4px 14px; font-weight: 600; }}
QPushButton:disabled {{ color: {palette.TEXT_DIM}; }}
QComboBox {{ background: {palette.PLOT_BACKGROUND}; border: 1px solid {palette.ABSENT_COLOUR};
            border-radius: 4px; padding: 2px 6px; }}
"""
)


@dataclass
class RowWidgets:
    """The editable cells of one pod's row."""

    address: str
    placement: QComboBox
    rate: QComboBox
    action: QPushButton


class PodManagerDialog(QDialog):
    """Lists pods found by scanning, with their placement, rate, state and link quality."""

    def __init__(
        self,
        model: PodManagerModel,
        parent: QWidget | None = None,
        *,
        auto_scan: bool = True,
        scan_s: float = DEFAULT_SCAN_S,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.scan_s = scan_s
        self.rows: dict[str, RowWidgets] = {}
        self.setWindowTitle("gaitdeck · pods")
        self.setStyleSheet(DIALOG_STYLE)
        self.setModal(False)
        self._build()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(int(1000 / REFRESH_HZ))
        if auto_scan:
            self.scan()
        self.refresh()

    def _build(self) -> None:
        self.message = label("", None)
        self.message.setWordWrap(False)
        self.scan_button = QPushButton("Scan")
        self.scan_button.clicked.connect(self.scan)
        top = QHBoxLayout()
        top.addWidget(label("POD MANAGER", "heading"))
        top.addWidget(self.message, 1)
        top.addWidget(self.scan_button)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT_COLUMNS["model_text"], QHeaderView.ResizeMode.Stretch)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(label(HINT, "muted"), 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1600, 380)

    # ------------------------------------------------------------------------ actions
    def scan(self) -> None:
        self.model.start_scan(self.scan_s)
        self.refresh()

    def refresh(self) -> None:
        self.model.poll()
        rows = self.model.rows()
        if [r.address for r in rows] != list(self.rows):
            self._rebuild(rows)
        for index, row in enumerate(rows):
            self._update(index, row)
        self.scan_button.setEnabled(not self.model.scanning)
        set_text(self.message, self.model.message)

    def _rebuild(self, rows: list[PodRowModel]) -> None:
        self.table.setRowCount(len(rows))
        self.rows = {}
        for index, row in enumerate(rows):
            for column in TEXT_COLUMNS.values():
                self.table.setItem(index, column, QTableWidgetItem(""))
            widgets = RowWidgets(row.address, self._placement_box(row), QComboBox(),
                                 QPushButton(row.action_text))  # fmt: skip
            widgets.rate.currentIndexChanged.connect(lambda _, a=row.address: self._rate(a))
            widgets.action.clicked.connect(lambda _=False, a=row.address: self._act(a))
            self.table.setCellWidget(index, PLACEMENT_COL, widgets.placement)
            self.table.setCellWidget(index, RATE_COL, widgets.rate)
            self.table.setCellWidget(index, ACTION_COL, widgets.action)
            self.rows[row.address] = widgets

    def _placement_box(self, row: PodRowModel) -> QComboBox:
        box = QComboBox()
        box.addItem(NO_PLACEMENT, None)
        for placement in PLACEMENT_ORDER:
            box.addItem(PLACEMENT_TITLES[placement], placement.value)
        box.currentIndexChanged.connect(lambda _, a=row.address: self._placement(a))
        return box

    def _update(self, index: int, row: PodRowModel) -> None:
        for field, column in TEXT_COLUMNS.items():
            item = self.table.item(index, column)
            text = str(getattr(row, field))
            if item is not None and item.text() != text:
                item.setText(text)
        state = self.table.item(index, STATE_COL)
        if state is not None:
            state.setForeground(QBrush(QColor(row.state_colour)))
            state.setToolTip(row.note)
        widgets = self.rows[row.address]
        _select(widgets.placement, row.placement.value if row.placement else None)
        widgets.placement.setEnabled(not row.connected and row.model_key is not None)
        _fill_rates(widgets.rate, row)
        widgets.rate.setEnabled(not row.connected and len(row.rate_choices) > 1)
        widgets.action.setText(row.action_text)
        widgets.action.setEnabled(row.can_act)
        widgets.action.setToolTip(row.note)

    def _placement(self, address: str) -> None:
        value = self.rows[address].placement.currentData()
        self.model.set_placement(address, Placement(value) if value else None)
        self.refresh()

    def _rate(self, address: str) -> None:
        value = self.rows[address].rate.currentData()
        if value is not None:
            self.model.set_rate(address, float(value))

    def _act(self, address: str) -> None:
        try:
            row = next(r for r in self.model.rows() if r.address == address)
            if row.connected:
                self.model.disconnect(address)
            else:
                self.model.connect(address)
        except GaitdeckError as exc:
            self.model.message = str(exc)
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self.timer.start(int(1000 / REFRESH_HZ))
        super().showEvent(event)


def _select(box: QComboBox, value: object) -> None:
    index = box.findData(value)
    if index >= 0 and index != box.currentIndex():
        box.blockSignals(True)
        box.setCurrentIndex(index)
        box.blockSignals(False)


def _fill_rates(box: QComboBox, row: PodRowModel) -> None:
    wanted = list(row.rate_labels) or ["—"]
    if [box.itemText(i) for i in range(box.count())] != wanted:
        box.blockSignals(True)
        box.clear()
        for text, rate in zip(row.rate_labels, row.rate_choices, strict=True):
            box.addItem(text, rate)
        if not row.rate_choices:
            box.addItem("—", None)
        box.blockSignals(False)
    _select(box, row.rate_hz)
