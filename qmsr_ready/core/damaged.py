"""One definition of a damaged stored value, shared by ``verify`` and every reader.

A value is damaged when loading it as its column's type fails the way SQLAlchemy's own loading
fails (bad JSON, a date that is not ISO, text that is not UTF-8), or when it is not of the
column's kind at all (text in an integer or yes/no column), which SQLite accepts silently and
arithmetic later trips over. ``verify`` lists every damaged value; report builds and exports
refuse an inspection holding one with a single line naming it, instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Column, Integer, LargeBinary, String, Table, Text, text
from sqlalchemy.orm import Session

from qmsr_ready.core.models import Base

# Tables an inspection owns directly (the rows a report of it reads).
_SKIP_TABLES = frozenset({"audit_events"})  # the chain walk reads these values itself


@dataclass(frozen=True)
class DamagedValue:
    """Where a damaged value sits and why it cannot be read."""

    table: str
    column: str
    row: str  # the row's key (id or primary key value)
    reason: str

    def __str__(self) -> str:
        return f"{self.table}.{self.column} (row {self.row}) {self.reason}"


def _loader(column: Column[Any], dialect: Any) -> Callable[[Any], Any] | None:
    return column.type.dialect_impl(dialect).result_processor(dialect, None)


def damaged_reason(column: Column[Any], raw: Any, dialect: Any) -> str | None:
    """Why ``raw`` (as stored) cannot be read as ``column``'s type, or None when it can."""
    if raw is None:
        return None
    if isinstance(raw, bytes) and not isinstance(column.type, LargeBinary):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return "is not valid UTF-8 text"
    col_type = column.type
    if isinstance(col_type, Boolean):
        return None if raw in (0, 1) else f"holds {_show(raw)}, not yes/no"
    if isinstance(col_type, Integer):
        return None if isinstance(raw, int) else f"holds {_show(raw)}, not a whole number"
    if isinstance(col_type, String | Text) and not isinstance(raw, str):
        return f"holds {_show(raw)}, not text"
    load = _loader(column, dialect)
    try:
        if load is not None:
            load(raw)
    except (ValueError, TypeError) as exc:  # what the ORM would raise while loading the row
        return f"holds {_show(raw)}, which cannot be read ({type(exc).__name__})"
    return None


def _show(raw: Any) -> str:
    shown = repr(raw)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _select(table: Table, dialect_name: str) -> str:
    """The table's columns, text read as bytes on SQLite so bad UTF-8 does not stop the scan."""
    parts = []
    for col in table.columns:
        if isinstance(col.type, LargeBinary):
            parts.append(f"NULL AS {col.name}")
        elif dialect_name == "sqlite":
            parts.append(f"CASE WHEN typeof({col.name}) = 'text' THEN CAST({col.name} AS BLOB)"
                         f" ELSE {col.name} END AS {col.name}")
        else:
            parts.append(col.name)
    return f"SELECT {', '.join(parts)} FROM {table.name}"


def find_damaged(session: Session, inspection_code: str | None = None,
                 limit: int = 50) -> list[DamagedValue]:
    """Damaged values in every table, or only in one inspection's own rows (and its site)."""
    return list(_scan(session, inspection_code, limit))


def _scan(session: Session, inspection_code: str | None, limit: int) -> Iterator[DamagedValue]:
    dialect = session.get_bind().dialect
    found = 0
    insp_id, site_id = None, None
    if inspection_code is not None:
        ids = session.execute(text("SELECT id, site_id FROM inspections WHERE code = :c"),
                              {"c": inspection_code}).first()
        if ids is None:
            return
        insp_id, site_id = ids
    for table in Base.metadata.sorted_tables:
        if table.name in _SKIP_TABLES:
            continue
        sql = _select(table, dialect.name)
        params: dict[str, Any] = {}
        if inspection_code is not None:
            if "inspection_id" in table.columns:
                sql, params = f"{sql} WHERE inspection_id = :i", {"i": insp_id}
            elif table.name == "inspections":
                sql, params = f"{sql} WHERE id = :i", {"i": insp_id}
            elif table.name == "sites":
                sql, params = f"{sql} WHERE id = :i", {"i": site_id}
            else:
                continue
        key = next(iter(table.primary_key.columns)).name
        for row in session.execute(text(sql), params):
            values = row._mapping
            for col in table.columns:
                reason = damaged_reason(col, values[col.name], dialect)
                if reason is not None:
                    yield DamagedValue(table.name, col.name, _row_key(values[key]), reason)
                    found += 1
                    if found >= limit:
                        return


def _row_key(raw: Any) -> str:
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace")
    return str(raw)
