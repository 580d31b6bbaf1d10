"""Compares stored rows with the replayed trail field by field, one worded line per problem.

Split out of ``verify_data``: the checker, the reading of a raw stored value as the trail holds
it (also used by ``row_state``) and the problem wording shared by every entity kind's check.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, text
from sqlalchemy.orm import Session

from qmsr_ready.core.models import Base, UTCDateTime
from qmsr_ready.core.template_content import canonical_json
from qmsr_ready.core.verify_replay import Trail

MAX_PROBLEMS = 50


def normalised(table: str, name: str, value: Any) -> Any:
    """A raw stored value as the trail would hold it for that column (``<unreadable: …>`` when
    it cannot be read as the column's type)."""
    columns = Base.metadata.tables[table].columns
    if value is None or name not in columns:
        return value
    col_type = columns[name].type
    try:
        if isinstance(col_type, Boolean):
            return bool(value) if value in (0, 1) else value
        if isinstance(col_type, UTCDateTime | DateTime):
            parsed = dt.datetime.fromisoformat(str(value))
            return (parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None
                    else parsed.astimezone(dt.UTC)).isoformat()
        if isinstance(col_type, Date):
            return dt.date.fromisoformat(str(value)).isoformat()
        if isinstance(col_type, Integer):
            return value
        if type(col_type).__name__ == "JSON" and isinstance(value, str | bytes):
            return json.loads(value)
    except (ValueError, TypeError):
        return f"<unreadable: {value!r}>"
    return value


def normaliser(table: str) -> Callable[[str, Any], Any]:
    """Turn a raw stored value into what the trail would hold for that column."""

    def norm(name: str, value: Any) -> Any:
        return normalised(table, name, value)

    return norm


def same(a: Any, b: Any) -> bool:
    if a == b and type(a) is type(b):
        return True
    try:
        return canonical_json(a) == canonical_json(b)
    except (TypeError, ValueError):
        return False


def short(value: Any) -> str:
    out = json.dumps(value, ensure_ascii=False, default=str)
    return out if len(out) <= 60 else out[:57] + "..."


class Checker:
    """Compares rows with the replayed trail and collects one line per problem."""

    def __init__(self, session: Session, trail: Trail) -> None:
        self.s = session
        self.trail = trail
        self.problems: list[str] = []
        self.named: set[tuple[str, str, str]] = set()  # (kind, key, field) already reported

    def add(self, line: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(line)

    def rows(self, sql: str) -> list[Any]:
        return list(self.s.execute(text(sql)))

    def compare(
        self, kind: str, table: str, rows: dict[str, dict[str, Any]],
        specials: dict[str, Callable[[dict[str, Any]], Any] | None] | None = None,
        defaults: dict[str, Any] | None = None,
    ) -> None:
        """Fields named in the trail must match the rows; rows and live entities must pair."""
        norm = normaliser(table)
        columns = Base.metadata.tables[table].columns
        specials = specials or {}
        known = self.trail.entities.get(kind, {})
        for key, row in rows.items():
            ent = known.get(key)
            if ent is None or not ent.alive:
                gone = " after the trail deleted it" if ent is not None else ""
                self.add(f"{kind} {key} has no audit record{gone}: it was added behind the "
                         "application's back (or its audit events were deleted)")
                continue
            expected = {**(defaults or {}), **ent.fields}
            for name, want in expected.items():
                if name in ent.stale:
                    continue
                if name in specials:
                    getter = specials[name]
                    if getter is None:
                        continue
                    have = getter(row)
                elif name in columns and name in row:
                    have = norm(name, row[name])
                else:
                    continue
                if not same(have, want):
                    self.named.add((kind, key, name))
                    self.add(f"{kind} {key}: {name} is {short(have)} but the audit trail says "
                             f"{short(want)} (changed behind the application's back)")
        for key, ent in known.items():
            if ent.alive and key not in rows:
                self.add(f"{kind} {key} is in the audit trail but its row is missing (deleted "
                         "behind the application's back)")


def keyed(rows: Iterable[Any], key: Callable[[Any], str]) -> dict[str, dict[str, Any]]:
    return {key(r): dict(r._mapping) for r in rows}
