"""Qt models of an exchange plan: the changes tree (row ▸ field) and the rows reported only.

The tree shows every row an import or merge would touch, with its fields as children: both
values, how they compare (symbol, word and colour, never colour alone) and the decision that
will be applied. The user's "keep mine" / "take theirs" decisions live here and are handed to
``apply_plan`` as ``{(entity, row handle, field): Choice}``; the plan itself stays frozen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from qmsr_ready.core.exchange.plan import (
    Choice,
    ExchangePlan,
    FieldKey,
    FieldPlan,
    Outcome,
    RowPlan,
    RowStatus,
)
from qmsr_ready.ui.models.row_table import RowTableModel
from qmsr_ready.ui.presentation import (
    BLUE,
    BLUISH_GREEN,
    GREY,
    ORANGE,
    SKY_BLUE,
    VERMILLION,
    StatusLook,
)

ModelIndex = QModelIndex | QPersistentModelIndex

OUTCOME_ROLE = Qt.ItemDataRole.UserRole + 1  # the Outcome value of a field row ("" on a row)
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # (entity, handle, field) of a field; field "" on a row
VALUES_ROLE = Qt.ItemDataRole.UserRole + 3  # (what, mine, theirs) in full, for the detail pane

OUTCOME_LOOK: dict[Outcome, StatusLook] = {
    Outcome.UNCHANGED: StatusLook("○", "Unchanged", GREY, "not-assessed"),
    Outcome.CLEAN_UPDATE: StatusLook("→", "Update", BLUE, "open"),
    Outcome.ALREADY_APPLIED: StatusLook("=", "Already applied", GREY, "conforms"),
    Outcome.WORKSPACE_ONLY: StatusLook("←", "Changed here only (kept)", SKY_BLUE, "conforms"),
    Outcome.CONFLICT: StatusLook("⚠", "Conflict", VERMILLION, "warning"),
}
NEW_LOOK = StatusLook("+", "New", BLUISH_GREEN, "new")
REPORTED_LOOK = StatusLook("⊘", "Not applied", ORANGE, "warning")
UNDECIDED_LOOK = StatusLook("?", "Undecided — choose", VERMILLION, "warning")
CHOICE_TEXT: dict[Choice, str] = {Choice.MINE: "Keep mine", Choice.THEIRS: "Take theirs"}

COLUMNS: tuple[str, ...] = ("Row / field", "Where", "Mine", "Theirs", "Outcome", "Decision")
COL_ITEM, COL_WHERE, COL_MINE, COL_THEIRS, COL_OUTCOME, COL_DECISION = range(len(COLUMNS))
_NO_PARENT = 0  # internalId of a row index; a field index stores its row number + 1
_MAX_CELL = 120  # characters shown in a cell before eliding (the tooltip has it all)


def _one_line(text: str) -> str:
    flat = " ⏎ ".join(part for part in text.splitlines()) if "\n" in text else text
    return flat if len(flat) <= _MAX_CELL else flat[: _MAX_CELL - 1] + "…"


def shown_fields(row: RowPlan) -> tuple[FieldPlan, ...]:
    """The fields a preview lists: every value of a new row, else what is not unchanged."""
    if row.status is RowStatus.NEW:
        return tuple(f for f in row.fields if f.theirs != f.spec.default)
    return tuple(f for f in row.fields if f.outcome is not Outcome.UNCHANGED)


def decidable(row: RowPlan, fp: FieldPlan) -> bool:
    """Whether the user can choose between mine and theirs for this field."""
    return row.status is RowStatus.MATCHED and fp.differs


@dataclass(frozen=True)
class _Row:
    plan: RowPlan
    fields: tuple[FieldPlan, ...]


class ExchangeTreeModel(QAbstractItemModel):
    """Rows to change (top level) and their fields (children), with the user's decisions."""

    decisions_changed = Signal()

    def __init__(self, plan: ExchangePlan, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self._rows = [
            _Row(r, shown_fields(r))
            for r in plan.rows
            if r.status is RowStatus.NEW or (r.status is RowStatus.MATCHED and r.interesting)
        ]
        self._rows = [r for r in self._rows if r.fields or r.plan.status is RowStatus.NEW]
        self._decisions: dict[FieldKey, Choice] = {}
        theirs = "other workspace" if plan.source.kind == "workspace" else "workbook"
        self._headers = list(COLUMNS)
        self._headers[COL_MINE] = "Mine (this workspace)"
        self._headers[COL_THEIRS] = f"Theirs ({theirs})"

    # -- decisions --------------------------------------------------------------------------
    def decisions(self) -> dict[FieldKey, Choice]:
        """The user's explicit decisions, keyed as ``apply_plan`` expects."""
        return dict(self._decisions)

    def choice(self, row: RowPlan, fp: FieldPlan) -> Choice | None:
        return self.plan.choice_for(row, fp, self._decisions)

    def undecided_count(self) -> int:
        return len(self.plan.undecided(self._decisions))

    def decide(self, index: ModelIndex, choice: Choice) -> int:
        """Decide one field, or every decidable field of a row; returns how many changed."""
        if not index.isValid():
            return 0
        row_number = self._row_number(index)
        item = self._rows[row_number]
        if index.internalId() == _NO_PARENT:
            targets = [(row_number, i) for i in range(len(item.fields))]
        else:
            targets = [(row_number, index.row())]
        return self._apply(targets, choice)

    def decide_all(self, choice: Choice, *, conflicts_only: bool = True) -> int:
        """Decide every conflict (or every decidable field) the same way."""
        targets = [
            (r, i)
            for r, item in enumerate(self._rows)
            for i, fp in enumerate(item.fields)
            if not conflicts_only or fp.outcome is Outcome.CONFLICT
        ]
        return self._apply(targets, choice)

    def _apply(self, targets: Iterable[tuple[int, int]], choice: Choice) -> int:
        changed_rows: set[int] = set()
        for r, i in targets:
            item = self._rows[r]
            fp = item.fields[i]
            if not decidable(item.plan, fp):
                continue
            key = (item.plan.entity, item.plan.handle, fp.name)
            if self._decisions.get(key) is choice:
                continue
            self._decisions[key] = choice
            changed_rows.add(r)
            cell = self.index(i, COL_DECISION, self.index(r, 0))
            self.dataChanged.emit(cell, cell)
        for r in changed_rows:
            first, last = self.index(r, COL_OUTCOME), self.index(r, COL_DECISION)
            self.dataChanged.emit(first, last)
        if changed_rows:
            self.decisions_changed.emit()
        return len(changed_rows)

    # -- structure --------------------------------------------------------------------------
    def _row_number(self, index: ModelIndex) -> int:
        internal = index.internalId()
        return index.row() if internal == _NO_PARENT else internal - 1

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _NO_PARENT) if row < len(self._rows) else (
                QModelIndex())
        if parent.internalId() != _NO_PARENT or parent.row() >= len(self._rows):
            return QModelIndex()
        if row >= len(self._rows[parent.row()].fields):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _NO_PARENT)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._rows)
        if parent.internalId() != _NO_PARENT or parent.column() != 0:
            return 0
        return len(self._rows[parent.row()].fields)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._headers)):
            return self._headers[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- data -------------------------------------------------------------------------------
    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[self._row_number(index)]
        if index.internalId() == _NO_PARENT:
            return self._row_data(item, index.column(), role)
        return self._field_data(item, item.fields[index.row()], index.column(), role)

    def _row_look(self, item: _Row) -> tuple[StatusLook, str]:
        row = item.plan
        if row.status is RowStatus.NEW:
            return NEW_LOOK, f"{NEW_LOOK.text}{f' ({row.note})' if row.note else ''}"
        conflicts = sum(f.outcome is Outcome.CONFLICT for f in item.fields)
        updates = sum(f.outcome is Outcome.CLEAN_UPDATE for f in item.fields)
        parts = []
        if conflicts:
            parts.append(f"{conflicts} conflict{'s' if conflicts != 1 else ''}")
        if updates:
            parts.append(f"{updates} update{'s' if updates != 1 else ''}")
        if not parts:
            parts.append("nothing to write")
        outcome = Outcome.CONFLICT if conflicts else (
            Outcome.CLEAN_UPDATE if updates else Outcome.ALREADY_APPLIED)
        look = OUTCOME_LOOK[outcome]
        return look, f"{look.symbol} {', '.join(parts)}"

    def _row_decision(self, item: _Row) -> tuple[StatusLook | None, str]:
        row = item.plan
        if row.status is RowStatus.NEW:
            return None, "Create"
        undecided = sum(self.choice(row, f) is None for f in item.fields)
        if undecided:
            return UNDECIDED_LOOK, f"? {undecided} undecided"
        choices = {self.choice(row, f) for f in item.fields if f.differs}
        if choices == {Choice.THEIRS}:
            return None, "Take theirs"
        if choices == {Choice.MINE}:
            return None, "Keep mine"
        return (None, "Mixed") if choices else (None, "No change")

    def _row_data(self, item: _Row, column: int, role: int) -> Any:
        row = item.plan
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_ITEM:
                return _one_line(f"{row.key or row.ref} — {row.title}" if row.title
                                 else (row.key or row.ref))
            if column == COL_WHERE:
                return row.where
            if column == COL_OUTCOME:
                return self._row_look(item)[1]
            if column == COL_DECISION:
                return self._row_decision(item)[1]
            return ""
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_OUTCOME:
                return self._row_look(item)[0].qcolor
            if column == COL_DECISION:
                look = self._row_decision(item)[0]
                return look.qcolor if look else None
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_ITEM:
            return f"{row.key or row.ref}\n{row.title}" + (f"\n{row.note}" if row.note else "")
        if role == Qt.ItemDataRole.FontRole and column == COL_ITEM:
            font = QFont()
            font.setBold(True)
            return font
        if role == OUTCOME_ROLE:
            return ""
        if role == KEY_ROLE:
            return (row.entity, row.handle, "")
        return None

    def _field_data(self, item: _Row, fp: FieldPlan, column: int, role: int) -> Any:
        row = item.plan
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_ITEM:
                return fp.spec.label
            if column == COL_WHERE:
                return fp.cell
            if column == COL_MINE:
                return "" if row.status is RowStatus.NEW else _one_line(fp.spec.display(fp.mine))
            if column == COL_THEIRS:
                return _one_line(fp.spec.display(fp.theirs))
            if column == COL_OUTCOME:
                look = NEW_LOOK if row.status is RowStatus.NEW else OUTCOME_LOOK[fp.outcome]
                return look.text
            if column == COL_DECISION:
                return self._field_decision(row, fp)[1]
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_OUTCOME:
                look = NEW_LOOK if row.status is RowStatus.NEW else OUTCOME_LOOK[fp.outcome]
                return look.qcolor
            if column == COL_DECISION:
                decided = self._field_decision(row, fp)[0]
                return decided.qcolor if decided else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_MINE:
                return fp.spec.display(fp.mine) or "(empty)"
            if column == COL_THEIRS:
                return fp.spec.display(fp.theirs) or "(empty)"
            if column == COL_DECISION and decidable(row, fp):
                return "Choose with Keep mine / Take theirs below (or right-click)."
        if role == Qt.ItemDataRole.FontRole and column == COL_DECISION:
            key = (row.entity, row.handle, fp.name)
            if key in self._decisions:
                font = QFont()
                font.setBold(True)
                return font
        if role == VALUES_ROLE:
            mine = "" if row.status is RowStatus.NEW else fp.spec.display(fp.mine)
            return (f"{row.key or row.ref} · {fp.spec.label}", mine, fp.spec.display(fp.theirs))
        if role == OUTCOME_ROLE:
            return fp.outcome.value
        if role == KEY_ROLE:
            return (row.entity, row.handle, fp.name)
        return None

    def _field_decision(self, row: RowPlan, fp: FieldPlan) -> tuple[StatusLook | None, str]:
        if row.status is RowStatus.NEW:
            return None, "Create"
        if not fp.differs:
            return None, "No change"
        choice = self.choice(row, fp)
        if choice is None:
            return UNDECIDED_LOOK, UNDECIDED_LOOK.text
        return None, CHOICE_TEXT[choice]


class ConflictFilterProxy(QSortFilterProxyModel):
    """Shows everything, or only conflicts (with the rows that hold them)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._conflicts_only = False
        self.setRecursiveFilteringEnabled(True)

    def set_conflicts_only(self, on: bool) -> None:
        if on != self._conflicts_only:
            self.beginFilterChange()
            self._conflicts_only = on
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def conflicts_only(self) -> bool:
        return self._conflicts_only

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self._conflicts_only:
            return True
        model = self.sourceModel()
        if not source_parent.isValid():
            return False  # a row shows only through a conflicting field (recursive filtering)
        index = model.index(source_row, 0, source_parent)
        return bool(index.data(OUTCOME_ROLE) == Outcome.CONFLICT.value)


REPORTED_COLUMNS: tuple[str, ...] = ("Row", "Where", "Why it is not applied")


class ReportedRowsModel(RowTableModel):
    """Rows shown but never applied: unknown IDs and rows deleted on either side."""

    COLUMNS = REPORTED_COLUMNS

    def __init__(self, plan: ExchangePlan, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = list(plan.reported)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: RowPlan | None = self._row_for(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return _one_line(f"{row.key or row.ref} — {row.title}" if row.title
                                 else (row.key or row.ref))
            if column == 1:
                return row.where
            why = f"{REPORTED_LOOK.symbol} {row.status.label}"
            return f"{why}: {row.note}" if row.note else why
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.key or row.ref}\n{row.title}\n{row.note}".strip()
        return None
