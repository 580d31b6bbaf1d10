"""Audit trail as a table model plus the filter proxy (entity type, actor, date range, text)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from qmsr_ready.core.audit import field_changes
from qmsr_ready.ui.models.row_table import RowTableModel
from qmsr_ready.ui.presentation import DATETIME_FORMAT

COLUMNS: tuple[str, ...] = ("#", "When (UTC)", "Who", "Action", "Entity", "ID", "Changes")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class AuditRow:
    """One audit event, frozen for display."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    inspection_code: str
    changes: str

    @classmethod
    def from_event(cls, event: Any) -> AuditRow:
        return cls(
            seq=event.seq, at=event.at, actor=event.actor, action=event.action,
            entity_type=event.entity_type, entity_id=event.entity_id,
            inspection_code=event.inspection_code or "",
            changes=_changes_text(event.changes, event.entity_type),
        )

    def values(self) -> tuple[str, ...]:
        return (
            str(self.seq), self.at.strftime(DATETIME_FORMAT), self.actor, self.action,
            self.entity_type, self.entity_id, self.changes,
        )


def _changes_text(changes: Any, entity_type: str = "") -> str:
    if not isinstance(changes, dict):
        return json.dumps(changes, ensure_ascii=False, default=str)
    parts = []
    # the row state is for verify, not people; a response's fields in its spec's order
    for key, value in field_changes(changes, entity_type).items():
        if isinstance(value, list | tuple) and len(value) == 2:
            parts.append(f"{key}: {_short(value[0])} → {_short(value[1])}")
        else:
            parts.append(f"{key}: {_short(value)}")
    return "; ".join(parts)


def _short(value: Any, limit: int = 80) -> str:
    text = "—" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AuditModel(RowTableModel):
    """Read-only table of audit events, newest last."""

    COLUMNS = COLUMNS
    _rows: list[AuditRow]

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> AuditRow:
        return self._rows[row]

    def rows(self) -> list[AuditRow]:
        return list(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.values()[index.column()]
        if role == SORT_ROLE:
            if index.column() == 0:
                return row.seq
            if index.column() == 1:
                return row.at.isoformat()
            return row.values()[index.column()].casefold()
        return None


class AuditFilterProxy(QSortFilterProxyModel):
    """Filters by entity type, actor, inclusive date range and free text (any column)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entity_type = ""
        self.actor = ""
        self.date_from: dt.date | None = None
        self.date_to: dt.date | None = None
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def set_filters(
        self,
        *,
        entity_type: str = "",
        actor: str = "",
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        text: str = "",
    ) -> None:
        self.beginFilterChange()
        self.entity_type, self.actor, self.text = entity_type, actor, text.casefold().strip()
        self.date_from, self.date_to = date_from, date_to
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, AuditModel):
            return True
        row = model.row_at(source_row)
        day = row.at.date()
        return not (
            (self.entity_type and row.entity_type != self.entity_type)
            or (self.actor and row.actor != self.actor)
            or (self.date_from and day < self.date_from)
            or (self.date_to and day > self.date_to)
            or (self.text and not any(self.text in v.casefold() for v in row.values()))
        )
