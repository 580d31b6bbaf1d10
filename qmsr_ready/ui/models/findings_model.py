"""Findings register: a table model over frozen rows plus a filtering proxy.

Rows come from two queries however many findings there are (findings with their inspection
code, then all question links), so 5,000 findings load as fast as 50. Overdue means a due date
before today on a finding that is not closed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
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
from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.models import Finding, FindingQuestion, Inspection
from qmsr_ready.core.vocab import Classification, FindingStatus
from qmsr_ready.ui.presentation import (
    DATE_FORMAT,
    OVERDUE,
    classification_look,
    finding_status_look,
)

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
NO_AREA = "—"
CLASS_ORDER = {c.value: i for i, c in enumerate(Classification)}
STATUS_ORDER = {s.value: i for i, s in enumerate(FindingStatus)}


@dataclass(frozen=True)
class FindingListRow:
    """One register line, detached from the database session."""

    inspection_code: str
    code: str
    title: str
    classification: str
    status: str
    area_id: str
    owner: str
    due_date: dt.date | None
    severity: int
    likelihood: int
    likely_483: bool
    question_ids: tuple[str, ...]

    @property
    def risk(self) -> int:
        return self.severity * self.likelihood

    def overdue(self, today: dt.date) -> bool:
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status != FindingStatus.CLOSED
        )


def area_of(question_id: str) -> str:
    """Area ID from a question ID (``MA-03-Q02`` → ``MA``), per the template ID rules."""
    return question_id.split("-", 1)[0] if question_id else NO_AREA


def load_finding_rows(session: Session, inspection_code: str = "") -> list[FindingListRow]:
    """All findings of one inspection (or of every inspection when the code is empty)."""
    query = select(
        Finding.id, Inspection.code, Finding.code, Finding.title, Finding.classification,
        Finding.status, Finding.owner, Finding.due_date, Finding.severity, Finding.likelihood,
        Finding.likely_483,
    ).join(Inspection, Finding.inspection_id == Inspection.id)  # fmt: skip
    links = select(FindingQuestion.finding_id, FindingQuestion.question_id).order_by(
        FindingQuestion.id
    )
    if inspection_code:
        query = query.where(Inspection.code == inspection_code)
        links = links.join(Finding, FindingQuestion.finding_id == Finding.id).join(
            Inspection, Finding.inspection_id == Inspection.id
        ).where(Inspection.code == inspection_code)
    by_finding: dict[int, list[str]] = defaultdict(list)
    for finding_id, question_id in session.execute(links):
        by_finding[finding_id].append(question_id)
    rows = []
    for r in session.execute(query.order_by(Inspection.code, Finding.code)):
        qids = tuple(by_finding.get(r[0], ()))
        rows.append(
            FindingListRow(
                inspection_code=r[1], code=r[2], title=r[3], classification=r[4], status=r[5],
                area_id=area_of(qids[0]) if qids else NO_AREA, owner=r[6], due_date=r[7],
                severity=r[8], likelihood=r[9], likely_483=bool(r[10]), question_ids=qids,
            )
        )
    return rows


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
        """Change any subset of the filters at once (one re-filter)."""
        self.beginFilterChange()
        if status is not None:
            self._status = status
        if classification is not None:
            self._classification = classification
        if area is not None:
            self._area = area
        if owner is not None:
            self._owner = owner or None
        if overdue_only is not None:
            self._overdue_only = overdue_only
        if text is not None:
            self._needle = text.strip().lower()
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
