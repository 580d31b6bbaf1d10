"""Findings register: a table model over frozen rows plus a filtering proxy.

The rows come from core (``core.views.findings``: two Core queries however many findings), so
5,000 findings load as fast as 50 and this module needs no SQL. Overdue means a due date before
today on a finding that is not closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from qmsr_ready.core.views.findings import NO_AREA, FindingListRow, load_finding_rows
from qmsr_ready.core.vocab import Classification, FindingStatus
from qmsr_ready.ui.presentation import (
    DATE_FORMAT,
    OVERDUE,
    classification_look,
    finding_status_look,
)

__all__ = [
    "COL", "COLUMNS", "NO_AREA", "FindingListRow", "FindingsFilterProxy", "FindingsTableModel",
    "RowRole", "SortRole", "load_finding_rows",
]  # fmt: skip

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
CLASS_ORDER = {c.value: i for i, c in enumerate(Classification)}
STATUS_ORDER = {s.value: i for i, s in enumerate(FindingStatus)}


COLUMNS = (
    "Inspection", "Code", "Title", "Class", "Status", "Area", "Owner", "Due", "Risk", "483",
)  # fmt: skip
COL = {name: i for i, name in enumerate(COLUMNS)}
RowRole = Qt.ItemDataRole.UserRole + 1  # the FindingListRow
SortRole = Qt.ItemDataRole.UserRole + 2


class FindingsTableModel(QAbstractTableModel):
    """Read-only table of findings; edits happen in the finding editor via commands."""

    def __init__(self, parent: QObject | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FindingListRow] = []
        self._today = today or dt.date.today()
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    @property
    def today(self) -> dt.date:
        return self._today

    def set_rows(self, rows: list[FindingListRow], today: dt.date | None = None) -> None:
        """Replace the rows; unchanged keys with changed content emit dataChanged only."""
        if today is not None:
            self._today = today
        rows = self._sorted(list(rows))
        old_keys = [(r.inspection_code, r.code) for r in self._rows]
        new_keys = [(r.inspection_code, r.code) for r in rows]
        if old_keys == new_keys:
            changed = [i for i, (a, b) in enumerate(zip(self._rows, rows, strict=True)) if a != b]
            self._rows = list(rows)
            if changed:
                self.dataChanged.emit(
                    self.index(min(changed), 0), self.index(max(changed), len(COLUMNS) - 1)
                )
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def _sorted(self, rows: list[FindingListRow]) -> list[FindingListRow]:
        column, order = self._sort
        if column < 0:
            return rows
        return sorted(
            rows,
            key=lambda r: (self._sort_key(r, column), r.inspection_code, r.code),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with precomputed keys: a proxy sort calls ``data()`` per comparison,
        which for 5,000 rows costs hundreds of milliseconds."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self._rows
        self._rows = self._sorted(list(old))
        new_position = {(r.inspection_code, r.code): i for i, r in enumerate(self._rows)}
        before = self.persistentIndexList()
        after = [
            self.index(new_position[(old[i.row()].inspection_code, old[i.row()].code)], i.column())
            for i in before
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def row_at(self, row: int) -> FindingListRow:
        return self._rows[row]

    def rows(self) -> list[FindingListRow]:
        return list(self._rows)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == RowRole:
            return row
        overdue = row.overdue(self._today)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column, overdue)
        if role == SortRole:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL["Class"]:
                return classification_look(row.classification).qcolor
            if column == COL["Status"]:
                return finding_status_look(row.status).qcolor
            if overdue and column == COL["Due"]:
                return OVERDUE.qcolor
            return None
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            tint = QColor(OVERDUE.color)
            tint.setAlpha(36)
            return tint
        if role == Qt.ItemDataRole.FontRole and overdue and column in (COL["Code"], COL["Due"]):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            due = f"\n{OVERDUE.text}: due {row.due_date}" if overdue else ""
            return f"{row.code} {row.title}{due}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL["Risk"], COL["483"]):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _display(row: FindingListRow, column: int, overdue: bool) -> str:
        if column == COL["Inspection"]:
            return row.inspection_code
        if column == COL["Code"]:
            return row.code
        if column == COL["Title"]:
            return row.title
        if column == COL["Class"]:
            return classification_look(row.classification).text
        if column == COL["Status"]:
            return finding_status_look(row.status).text
        if column == COL["Area"]:
            return row.area_id
        if column == COL["Owner"]:
            return row.owner
        if column == COL["Due"]:
            if row.due_date is None:
                return ""
            due = row.due_date.strftime(DATE_FORMAT)
            return f"{due}  {OVERDUE.text}" if overdue else due
        if column == COL["Risk"]:
            return str(row.risk)
        return "Yes" if row.likely_483 else ""

    @staticmethod
    def _sort_key(row: FindingListRow, column: int) -> Any:
        if column == COL["Class"]:
            return CLASS_ORDER.get(row.classification, 99)
        if column == COL["Status"]:
            return STATUS_ORDER.get(row.status, 99)
        if column == COL["Due"]:
            return row.due_date.toordinal() if row.due_date else 10**7
        if column == COL["Risk"]:
            return row.risk
        if column == COL["483"]:
            return int(row.likely_483)
        return FindingsTableModel._display(row, column, False).lower()


class FindingsFilterProxy(QSortFilterProxyModel):
    """Filters by status, classification, area, owner, overdue and free text."""

    OPEN_STATUSES = "__not_closed__"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(True)
        self._status = ""
        self._classification = ""
        self._area = ""
        self._owner: str | None = None
        self._overdue_only = False
        self._needle = ""

    def set_filters(
        self,
        *,
        status: str | None = None,
        classification: str | None = None,
        area: str | None = None,
        owner: str | None = None,
        overdue_only: bool | None = None,
        text: str | None = None,
    ) -> None:
        """Change any subset of the filters at once (one re-filter, none when nothing changed:
        a reload already filtered the new rows once)."""
        wanted = (
            self._status if status is None else status,
            self._classification if classification is None else classification,
            self._area if area is None else area,
            self._owner if owner is None else (owner or None),
            self._overdue_only if overdue_only is None else overdue_only,
            self._needle if text is None else text.strip().lower(),
        )
        current = (self._status, self._classification, self._area, self._owner,
                   self._overdue_only, self._needle)
        if wanted == current:
            return
        self.beginFilterChange()
        (self._status, self._classification, self._area, self._owner, self._overdue_only,
         self._needle) = wanted
        self.endFilterChange()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the source model (fast); this proxy only filters."""
        model = self.sourceModel()
        if isinstance(model, FindingsTableModel):
            model.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, FindingsTableModel)
        row = model.row_at(source_row)
        if self._status == self.OPEN_STATUSES:
            if row.status == FindingStatus.CLOSED:
                return False
        elif self._status and row.status != self._status:
            return False
        if self._classification and row.classification != self._classification:
            return False
        if self._area and row.area_id != self._area:
            return False
        if self._owner is not None and row.owner != self._owner:
            return False
        if self._overdue_only and not row.overdue(model.today):
            return False
        if self._needle:
            hay = f"{row.code} {row.title} {row.owner} {' '.join(row.question_ids)}".lower()
            return self._needle in hay
        return True
