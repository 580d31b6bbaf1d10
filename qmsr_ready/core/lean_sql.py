"""Core statements compiled once and run straight on the SQLite driver connection.

The response autosave runs the same handful of statements on every save. Through a Session each
one pays about 50 µs of SQLAlchemy bookkeeping (cache key, execution context, result set-up,
events) on top of a few µs in SQLite, which made a save cost 4× a bare ``sqlite3``
insert-and-commit (issue 9 item 5). A ``LeanStatement`` is an ordinary Core statement compiled
once per dialect; running it is one ``sqlite3`` call with positional parameters, the values
passed through the same bind and result processors of the column types SQLAlchemy would use, so
what is stored and read back is exactly what a Session would store and read.

It runs in the caller's transaction on its own connection: a Session's (the one
``Workspace.begin`` opened with ``BEGIN IMMEDIATE``), or a ``db.WriteConnection``'s, which the
runner's autosave uses so as to run no ORM Session at all (``Workspace.write_connection``); it
commits or rolls back with everything else. SQLite only: a server keeps the Session path and its
row locks.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ClauseElement, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class LeanConnection:
    """The session's sqlite3 connection, inside the session's transaction, and its dialect."""

    raw: sqlite3.Connection
    dialect: Dialect

    @classmethod
    def of(cls, session: Session) -> LeanConnection:
        """The session's connection (its transaction begun if it was not yet)."""
        conn = session.connection()
        raw = conn.connection.driver_connection
        if not isinstance(raw, sqlite3.Connection):  # pragma: no cover - a programming error
            raise TypeError("lean statements run on SQLite only")
        return cls(raw, conn.dialect)


@dataclass(frozen=True)
class _Prepared:
    sql: str
    binds: tuple[tuple[str | None, Processor | None, Any], ...]  # name None: a literal
    keys: tuple[str, ...]
    results: tuple[Processor | None, ...]


class LeanStatement:
    """One Core statement, compiled once per dialect, run on the driver connection.

    ``column_keys`` names the columns an INSERT or UPDATE sets (their bind names), as
    ``Compiled`` takes them.
    """

    def __init__(self, stmt: ClauseElement, column_keys: Sequence[str] | None = None) -> None:
        self.stmt = stmt
        self.column_keys = list(column_keys) if column_keys is not None else None
        self._prepared: weakref.WeakKeyDictionary[Dialect, _Prepared] = (
            weakref.WeakKeyDictionary())

    def _prepare(self, dialect: Dialect) -> _Prepared:
        found = self._prepared.get(dialect)
        if found is not None:
            return found
        compiled = cast(SQLCompiler, self.stmt.compile(dialect=dialect,
                                                       column_keys=self.column_keys))
        names = compiled.positiontup or []  # qmark: every bind name, in order
        if "POSTCOMPILE" in compiled.string:  # an expanding IN is rendered per execution
            raise ValueError(f"a lean statement cannot expand IN (...): {compiled.string}")
        binds: list[tuple[str | None, Processor | None, Any]] = []
        for name in names:
            bind = compiled.binds[name]
            proc = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:  # the caller's value
                binds.append((name, proc, None))
            else:  # a literal of the statement (a LIMIT, a key compared with), bound as is
                value = bind.effective_value
                binds.append((None, None, value if proc is None else proc(value)))
        keys: tuple[str, ...] = ()
        results: tuple[Processor | None, ...] = ()
        if isinstance(self.stmt, Select):
            columns = list(self.stmt.selected_columns)
            keys = tuple(str(c.key) for c in columns)
            results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None)
                            for c in columns)
        found = _Prepared(compiled.string, tuple(binds), keys, results)
        self._prepared[dialect] = found
        return found

    def run(self, conn: LeanConnection, values: Mapping[str, Any]) -> sqlite3.Cursor:
        """Execute with ``values`` by bind name; the cursor (``rowcount``, ``lastrowid``)."""
        prepared = self._prepare(conn.dialect)
        params = _params(prepared, values)
        return conn.raw.execute(prepared.sql, params)

    def first(self, conn: LeanConnection, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """The first row of a SELECT as ``{column key: value}``, values as a Session reads
        them (e.g. aware datetimes); None when there is no row."""
        prepared = self._prepare(conn.dialect)
        params = _params(prepared, values)
        row = cast(Sequence[Any] | None, conn.raw.execute(prepared.sql, params).fetchone())
        if row is None:
            return None
        return {key: value if proc is None else proc(value)
                for key, proc, value in zip(prepared.keys, prepared.results, row, strict=True)}


def _params(prepared: _Prepared, values: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(literal if name is None else values[name] if proc is None else proc(values[name])
                 for name, proc, literal in prepared.binds)
