"""Findings register: a table model over frozen rows plus a filtering proxy.

The rows come from core (``core.views.findings``: two Core queries however many findings), so
5,000 findings load as fast as 50 and this module needs no SQL. Overdue means a due date before
today on a finding that is not closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from qmsr_ready.core.views.findings import NO_AREA, FindingListRow, load_finding_rows, local_today
from qmsr_ready.core.vocab import Classification, FindingStatus
from qmsr_ready.ui.presentation import (
    CLASSIFICATION_LOOK,
    DATE_FORMAT,
    FINDING_STATUS_LOOK,
    OVERDUE,
    classification_look,
    finding_status_look,
)

__all__ = [
    "COL", "COLUMNS", "NO_AREA", "AcceptRole", "FindingListRow", "FindingsFilterProxy",
    "FindingsTableModel", "RowRole", "SortRole", "load_finding_rows",
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
AcceptRole = Qt.ItemDataRole.UserRole + 3  # "1" when the proxy's filters let the row through


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ROW = int(RowRole)
_SORT = int(SortRole)
_ACCEPT = int(AcceptRole)
# The roles this model answers; the view asks for a dozen per cell it paints or measures, so the
# others are turned away before any work.
_ANSWERED = frozenset({_DISPLAY, _FOREGROUND, _BACKGROUND, _FONT, _TOOLTIP, _ALIGNMENT, _ROW,
                       _SORT, _ACCEPT})
_CENTRED = int(Qt.AlignmentFlag.AlignCenter)
_CLOSED = FindingStatus.CLOSED.value


class _Looks:
    """The colours, font and words every row shares, made once per model (not per cell: a
    QColor and a QFont per data() call was a tenth of painting the register)."""

    def __init__(self) -> None:
        self.classification = {
            c.value: (look.text, QColor(look.color)) for c, look in CLASSIFICATION_LOOK.items()
        }
        self.status = {
            s.value: (look.text, QColor(look.color)) for s, look in FINDING_STATUS_LOOK.items()
        }
        self.overdue = QColor(OVERDUE.color)
        self.tint = QColor(OVERDUE.color)
        self.tint.setAlpha(36)
        self.bold = QFont()
        self.bold.setBold(True)

    def of_class(self, value: str) -> tuple[str, QColor]:
        found = self.classification.get(value)
        if found is None:  # not a classification: say so as classification_look does
            look = classification_look(value)
            return look.text, look.qcolor
        return found

    def of_status(self, value: str) -> tuple[str, QColor]:
        found = self.status.get(value)
        if found is None:
            look = finding_status_look(value)
            return look.text, look.qcolor
        return found


class _Line(NamedTuple):
    """One row as the view draws it, built the first time the row is drawn or measured."""

    display: tuple[str, ...]
    foreground: tuple[QColor | None, ...]
    overdue: bool


class FindingsTableModel(QAbstractTableModel):
    """Read-only table of findings; edits happen in the finding editor via commands.

    ``set_rows`` only keeps the rows (5,000 on the large workspace); a row's words and colours
    are worked out when the view first asks for it, which is only for the rows on screen.
    """

    def __init__(self, parent: QObject | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FindingListRow] = []
        self._lines: list[_Line | None] = []
        self._looks = _Looks()
        self._today = today or local_today()
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        # The filtering proxy's test (None: every row passes); answered under AcceptRole.
        self.accept: Callable[[FindingListRow], bool] | None = None

    @property
    def today(self) -> dt.date:
        return self._today

    def set_rows(self, rows: list[FindingListRow], today: dt.date | None = None) -> None:
        """Replace the rows; unchanged keys with changed content emit dataChanged only."""
        new_day = False
        if today is not None and today != self._today:
            new_day, self._today = True, today
            self._lines = [None] * len(self._rows)  # overdue may have changed
        rows = self._sorted(list(rows))
        if len(rows) == len(self._rows) and all(
            (a.inspection_code, a.code) == (b.inspection_code, b.code)
            for a, b in zip(self._rows, rows, strict=True)
        ):
            # A new day changes every row's overdue flag (cell, tint, "Overdue only"): all of
            # them are told, or the view and the proxy's filter kept yesterday's.
            changed = (list(range(len(rows))) if new_day else
                       [i for i, (a, b) in enumerate(zip(self._rows, rows, strict=True)) if a != b])
            self._rows = rows
            for i in changed:
                self._lines[i] = None
            if changed:
                self.dataChanged.emit(
                    self.index(min(changed), 0), self.index(max(changed), len(COLUMNS) - 1)
                )
            return
        self.beginResetModel()
        self._rows = rows
        self._lines = [None] * len(rows)
        self.endResetModel()

    def _sorted(self, rows: list[FindingListRow]) -> list[FindingListRow]:
        column, order = self._sort
        if column < 0:
            return rows
        key = self._sort_key_of(column)
        by_code = column == COL["Code"]  # the default order: no key function per row
        return sorted(
            rows,
            key=(lambda r: (r.code.lower(), r.inspection_code, r.code)) if by_code
            else lambda r: (key(r), r.inspection_code, r.code),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with precomputed keys: a proxy sort calls ``data()`` per comparison,
        which for 5,000 rows costs hundreds of milliseconds."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self._rows
        self._rows = self._sorted(list(old))
        self._lines = [None] * len(self._rows)
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

    def row_of(self, inspection_code: str, code: str) -> int:
        """The model row of one finding, -1 when it is not loaded."""
        for i, row in enumerate(self._rows):
            if row.code == code and row.inspection_code == inspection_code:
                return i
        return -1

    def rows(self) -> list[FindingListRow]:
        return list(self._rows)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def index(self, row: int, column: int, parent: AnyIndex = _ROOT) -> QModelIndex:
        """Qt's index() asks rowCount() and columnCount() first: two calls into Python for
        every cell the view draws through the proxy; this answers in one."""
        if 0 <= row < len(self._rows) and 0 <= column < len(COLUMNS) and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if role not in _ANSWERED:
            return None
        r = index.row()
        if not 0 <= r < len(self._rows) or not index.isValid():
            return None
        column = index.column()
        line = self._lines[r] or self._line(r)
        if role == _DISPLAY:
            return line.display[column]
        if role == _FOREGROUND:
            return line.foreground[column]
        if role == _BACKGROUND:
            return self._looks.tint if line.overdue else None
        if role == _FONT:
            return self._looks.bold if line.overdue and column in _BOLD_WHEN_OVERDUE else None
        if role == _ALIGNMENT:
            return _CENTRED if column in _CENTRED_COLUMNS else None
        row = self._rows[r]
        if role == _ROW:
            return row
        if role == _SORT:
            return self._sort_key_of(column)(row)
        if role == _ACCEPT:
            return "1" if self.accept is None or self.accept(row) else ""
        due = f"\n{OVERDUE.text}: due {row.due_date}" if line.overdue else ""  # tooltip
        return f"{row.code} {row.title}{due}"

    def multiData(self, index: AnyIndex,
                  roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:  # noqa: N803
        """Every role a delegate asks for a cell in one call (see ``fill_roles``)."""
        r = index.row()
        if index.isValid() and 0 <= r < len(self._rows):
            self.fill_roles(r, index.column(), roleDataSpan)
        else:
            span: Any = roleDataSpan  # the stubs give the span neither len() nor indexing
            for i in range(len(span)):
                span[i].clearData()

    def fill_roles(self, r: int, column: int,
                   roles: QModelRoleDataSpan | QModelRoleData) -> None:
        """What ``data`` answers for each role in ``span``, from the row's line in one pass.

        Why: a delegate asks seven roles per cell it paints or measures; through the proxy each
        was two calls into Python (the source index, then data), most of a cell's cost."""
        line = self._lines[r] or self._line(r)
        looks = self._looks
        span: Any = roles  # the stubs give the span neither len() nor indexing
        for i in range(len(span)):
            item = span[i]
            role = item.role()
            value: Any
            if role == _DISPLAY:
                value = line.display[column]
            elif role == _FOREGROUND:
                value = line.foreground[column]
            elif role == _BACKGROUND:
                value = looks.tint if line.overdue else None
            elif role == _FONT:
                value = looks.bold if line.overdue and column in _BOLD_WHEN_OVERDUE else None
            elif role == _ALIGNMENT:
                value = _CENTRED if column in _CENTRED_COLUMNS else None
            elif role in _ANSWERED:
                value = self.data(self.index(r, column), role)
            else:
                value = None
            if value is None:
                item.clearData()  # the span is reused from cell to cell
            else:
                item.setData(value)

    def _line(self, r: int) -> _Line:
        row = self._rows[r]
        due = row.due_date
        overdue = due is not None and due < self._today and row.status != _CLOSED
        class_text, class_color = self._looks.of_class(row.classification)
        status_text, status_color = self._looks.of_status(row.status)
        due_text = "" if due is None else due.strftime(DATE_FORMAT)
        if overdue:
            due_text = f"{due_text}  {OVERDUE.text}"
        line = _Line(
            display=(row.inspection_code, row.code, row.title, class_text, status_text,
                     row.area_id, row.owner, due_text, str(row.severity * row.likelihood),
                     "Yes" if row.likely_483 else ""),
            foreground=(None, None, None, class_color, status_color, None, None,
                        self._looks.overdue if overdue else None, None, None),
            overdue=overdue,
        )  # fmt: skip
        self._lines[r] = line
        return line

    @staticmethod
    def _sort_key_of(column: int) -> Callable[[FindingListRow], Any]:
        """The sort key of ``column`` (orders and numbers, not the words shown)."""
        return _SORT_KEYS[column]


def _text_key(attribute: str) -> Callable[[FindingListRow], str]:
    return lambda row: getattr(row, attribute).lower()


_SORT_KEYS: dict[int, Callable[[FindingListRow], Any]] = {
    COL["Inspection"]: _text_key("inspection_code"),
    COL["Code"]: _text_key("code"),
    COL["Title"]: _text_key("title"),
    COL["Class"]: lambda row: CLASS_ORDER.get(row.classification, 99),
    COL["Status"]: lambda row: STATUS_ORDER.get(row.status, 99),
    COL["Area"]: _text_key("area_id"),
    COL["Owner"]: _text_key("owner"),
    COL["Due"]: lambda row: row.due_date.toordinal() if row.due_date else 10**7,
    COL["Risk"]: lambda row: row.risk,
    COL["483"]: lambda row: int(row.likely_483),
}
_BOLD_WHEN_OVERDUE = frozenset({COL["Code"], COL["Due"]})
_CENTRED_COLUMNS = frozenset({COL["Risk"], COL["483"]})


_NO_FILTER = ("", "", "", None, False, "")


class FindingsFilterProxy(QSortFilterProxyModel):
    """Filters by status, classification, area, owner, overdue and free text.

    The test is ``accepts``, asked through the source model's ``AcceptRole`` and only while a
    filter is set: with none, Qt's own filter passes every row without calling into Python (an
    overridden ``filterAcceptsRow`` was called for each of 5,000 rows on every reload).
    """

    OPEN_STATUSES = "__not_closed__"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(True)
        self.setFilterRole(AcceptRole)
        self.setFilterKeyColumn(0)
        self._status = ""
        self._classification = ""
        self._area = ""
        self._owner: str | None = None
        self._overdue_only = False
        self._needle = ""
        self._filtering = False

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        super().setSourceModel(model)
        self._hand_over_test()

    def _hand_over_test(self) -> None:
        model = self.sourceModel()
        if isinstance(model, FindingsTableModel):
            model.accept = self.accepts if self._filtering else None

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
        (self._status, self._classification, self._area, self._owner, self._overdue_only,
         self._needle) = wanted
        self._filtering = wanted != _NO_FILTER
        self._hand_over_test()
        pattern = "1" if self._filtering else ""
        if self.filterRegularExpression().pattern() != pattern:
            self.setFilterFixedString(pattern)  # re-filters
        else:
            self.beginFilterChange()
            self.endFilterChange()

    def multiData(self, index: AnyIndex,
                  roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:  # noqa: N803
        """A cell's roles from the source in one call (Qt's default asks data() per role)."""
        model = self.sourceModel()
        source = self.mapToSource(index) if index.isValid() else QModelIndex()
        if isinstance(model, FindingsTableModel) and source.isValid():
            model.fill_roles(source.row(), source.column(), roleDataSpan)
        else:
            super().multiData(index, roleDataSpan)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the source model (fast); this proxy only filters."""
        model = self.sourceModel()
        if isinstance(model, FindingsTableModel):
            model.sort(column, order)

    def accepts(self, row: FindingListRow) -> bool:
        """Whether ``row`` passes every filter set."""
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
        if self._overdue_only:
            model = self.sourceModel()
            today = model.today if isinstance(model, FindingsTableModel) else local_today()
            if not row.overdue(today):
                return False
        if self._needle:
            hay = f"{row.code} {row.title} {row.owner} {' '.join(row.question_ids)}".lower()
            return self._needle in hay
        return True
