"""Findings by classification × area, as a table with totals and a heat tint per cell."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from qmsr_ready.core.report.model import ClassAreaMatrix
from qmsr_ready.core.vocab import Classification
from qmsr_ready.ui.presentation import CLASSIFICATION_LOOK

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
TOTAL = "Total"


class ClassAreaModel(QAbstractTableModel):
    """Rows: classifications then Total; columns: areas then Total."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._matrix: ClassAreaMatrix | None = None
        self._peak = 1

    def set_matrix(self, matrix: ClassAreaMatrix | None) -> None:
        self.beginResetModel()
        self._matrix = matrix
        peak = max((max(row, default=0) for row in matrix.counts), default=0) if matrix else 0
        self._peak = peak or 1
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        if parent.isValid() or self._matrix is None:
            return 0
        return len(self._matrix.classifications) + 1

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        if parent.isValid() or self._matrix is None:
            return 0
        return len(self._matrix.area_ids) + 1

    def _count(self, row: int, column: int) -> int:
        m = self._matrix
        assert m is not None
        rows, cols = len(m.classifications), len(m.area_ids)
        if row < rows and column < cols:
            return m.counts[row][column]
        if row < rows:
            return sum(m.counts[row])
        if column < cols:
            return sum(r[column] for r in m.counts)
        return sum(sum(r) for r in m.counts)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        m = self._matrix
        if m is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(m.area_ids):
                return m.area_ids[section] or "Unlinked"
            return TOTAL if section == len(m.area_ids) else None
        if 0 <= section < len(m.classifications):
            try:
                return CLASSIFICATION_LOOK[Classification(m.classifications[section])].text
            except ValueError:
                return m.classification_labels[section]
        return TOTAL if section == len(m.classifications) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        m = self._matrix
        if m is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if row >= self.rowCount() or column >= self.columnCount():
            return None
        count = self._count(row, column)
        is_total = row == len(m.classifications) or column == len(m.area_ids)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(count) if count else "·"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and is_total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and count and not is_total:
            try:
                color = QColor(CLASSIFICATION_LOOK[Classification(m.classifications[row])].color)
            except ValueError:
                return None
            color.setAlpha(40 + int(150 * count / self._peak))
            return color
        if role == Qt.ItemDataRole.AccessibleTextRole:
            row_name = self.headerData(row, Qt.Orientation.Vertical, 0)
            column_name = self.headerData(column, Qt.Orientation.Horizontal, 0)
            return f"{row_name}, {column_name}: {count}"
        return None
