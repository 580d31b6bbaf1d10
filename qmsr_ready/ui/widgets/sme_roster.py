"""SME roster: who presents each area on the day, their backup, the storyboard, prepared or not.

One row per area of the inspection's template (entered or not), with what is still missing, and
a small form below that edits the selected area.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.inspection_day.views import RosterView
from qmsr_ready.ui.models.row_table import ModelIndex, RowTableModel
from qmsr_ready.ui.presentation import BLUISH_GREEN, SPACING, VERMILLION


@dataclass(frozen=True)
class RosterRow:
    area_id: str
    title: str
    entry: RosterView

    @property
    def gaps(self) -> tuple[str, ...]:
        return self.entry.gaps


class RosterTableModel(RowTableModel):
    """Areas with their presenter, backup, storyboard, prepared flag and gaps."""

    COLUMNS = ("Area", "Presenter", "Backup", "Storyboard", "Prepared", "Missing")

    def set_roster(self, areas: list[tuple[str, str]], roster: tuple[RosterView, ...]) -> None:
        by_area = {r.area_id: r for r in roster}
        self.beginResetModel()
        self._rows = [
            RosterRow(a, t, by_area.get(a) or RosterView(a, "", "", "", False, ""))
            for a, t in areas
        ]
        self.endResetModel()

    def row_at(self, row: int) -> RosterRow:
        return self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self._row_for(index)
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.area_id} {r.title}: " + (", ".join(r.gaps) or "ready")
        if role == Qt.ItemDataRole.ForegroundRole and col == 5:
            return QColor(VERMILLION if r.gaps else BLUISH_GREEN)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        e = r.entry
        values = (f"{r.area_id} {r.title}", e.presenter, e.backup, e.storyboard,
                  "✓ Yes" if e.prepared else "✗ No",
                  "⚠ " + ", ".join(r.gaps) if r.gaps else "✓ Ready")
        return values[col]


class SmeRosterPanel(QWidget):
    """Roster table and an editor for the selected area; emits ``roster_requested``."""

    roster_requested = Signal(str, dict)  # area ID, changed fields

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RosterTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("SME roster")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Columns share the width (text elided) so that Storyboard and Prepared never hide
        # behind a horizontal scroll in a narrow side tab (1366x768 laptops).
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.presenter = QLineEdit(self)
        self.presenter.setPlaceholderText("Presenter (SME)")
        self.backup = QLineEdit(self)
        self.backup.setPlaceholderText("Backup")
        self.storyboard = QLineEdit(self)
        self.storyboard.setPlaceholderText("Storyboard document")
        self.prepared = QCheckBox("Prepared", self)
        self.save_button = QPushButton("Save area", self)
        self.save_button.clicked.connect(self._on_save_clicked)
        for w, name in ((self.presenter, "Presenter"), (self.backup, "Backup"),
                        (self.storyboard, "Storyboard")):
            w.setAccessibleName(name)
            w.returnPressed.connect(self._on_save_clicked)
        grid = QGridLayout()
        grid.setSpacing(SPACING)
        grid.addWidget(self.presenter, 0, 0)
        grid.addWidget(self.backup, 0, 1)
        grid.addWidget(self.storyboard, 1, 0)
        grid.addWidget(self.prepared, 1, 1)
        grid.addWidget(self.save_button, 0, 2, 2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, SPACING, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid)
        self._editable = True
        self._fill(None)

    def set_roster(self, areas: list[tuple[str, str]], roster: tuple[RosterView, ...]) -> None:
        current = self.selected_area()
        self.model.set_roster(areas, roster)
        for i in range(self.model.rowCount()):
            if self.model.row_at(i).area_id == current:
                self.table.selectRow(i)
                return
        self._fill(None)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._fill(self._selected_row())

    def selected_area(self) -> str:
        row = self._selected_row()
        return row.area_id if row is not None else ""

    def _selected_row(self) -> RosterRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._fill(self._selected_row())

    def _fill(self, row: RosterRow | None) -> None:
        e = row.entry if row is not None else None
        self.presenter.setText(e.presenter if e else "")
        self.backup.setText(e.backup if e else "")
        self.storyboard.setText(e.storyboard if e else "")
        self.prepared.setChecked(bool(e and e.prepared))
        for w in (self.presenter, self.backup, self.storyboard, self.prepared, self.save_button):
            w.setEnabled(row is not None and self._editable)

    def _on_save_clicked(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        e = row.entry
        values = {"presenter": self.presenter.text().strip(), "backup": self.backup.text().strip(),
                  "storyboard": self.storyboard.text().strip(),
                  "prepared": self.prepared.isChecked()}
        old = {"presenter": e.presenter, "backup": e.backup, "storyboard": e.storyboard,
               "prepared": e.prepared}
        changes = {k: v for k, v in values.items() if v != old[k]}
        if changes:
            self.roster_requested.emit(row.area_id, changes)
