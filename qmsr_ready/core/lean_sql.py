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
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import ClauseElement, DateTime, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]


class LeanConnection:
    """The session's sqlite3 connection, inside the session's transaction, and its dialect.

    A plain class with slots, not a frozen dataclass: a save makes one, and the dataclass's
    ``object.__setattr__`` per field was most of what that cost."""

    __slots__ = ("dialect", "raw")

    def __init__(self, raw: sqlite3.Connection, dialect: Dialect) -> None:
        self.raw = raw
        self.dialect = dialect

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
    """A compiled statement and how its positional parameters are made from a mapping: the
    caller's values picked in bind order by one ``itemgetter`` (``pick``; None when the
    statement binds none of them), put at ``slots`` among the literals (``template``; None
    when there are none), then the bind processors run where a column type has one
    (``processed``: position, processor). A row comes back as ``keys``, the values of
    ``converted`` keys through their result processors."""

    sql: str
    pick: Callable[[Mapping[str, Any]], Any] | None
    single: bool  # pick returns the one value itself, not a tuple
    template: tuple[Any, ...] | None
    slots: tuple[int, ...]
    processed: tuple[tuple[int, Processor], ...]
    keys: tuple[str, ...]
    converted: tuple[tuple[str, Processor], ...]  # (key, result processor) where there is one


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
        # the dialect asked for last and its statement: a save runs each statement on the same
        # one every time, and a WeakKeyDictionary lookup was a fifth of running a statement
        self._last: tuple[weakref.ref[Dialect], _Prepared] | None = None

    def _prepare(self, dialect: Dialect) -> _Prepared:
        last = self._last
        if last is not None and last[0]() is dialect:
            return last[1]
        found = self._prepared.get(dialect)
        if found is None:
            found = self._compile(dialect)
            self._prepared[dialect] = found
        self._last = (weakref.ref(dialect), found)
        return found

    def _compile(self, dialect: Dialect) -> _Prepared:
        compiled = cast(SQLCompiler, self.stmt.compile(dialect=dialect,
                                                       column_keys=self.column_keys))
        names = compiled.positiontup or []  # qmark: every bind name, in order
        if "POSTCOMPILE" in compiled.string:  # an expanding IN is rendered per execution
            raise ValueError(f"a lean statement cannot expand IN (...): {compiled.string}")
        required: list[str] = []
        slots: list[int] = []
        processed: list[tuple[int, Processor]] = []
        template: list[Any] = []
        for position, name in enumerate(names):
            bind = compiled.binds[name]
            proc = _bind_processor(bind.type, dialect)
            if bind.required:  # the caller's value
                required.append(name)
                slots.append(position)
                template.append(None)
                if proc is not None:
                    processed.append((position, proc))
            else:  # a literal of the statement (a LIMIT, a key compared with), bound as is
                value = bind.effective_value
                template.append(value if proc is None else proc(value))
        keys: tuple[str, ...] = ()
        last: dict[str, Processor | None] = {}  # a key named twice holds its last column
        if isinstance(self.stmt, Select):
            columns = list(self.stmt.selected_columns)
            keys = tuple(str(c.key) for c in columns)
            for key, column in zip(keys, columns, strict=True):
                last[key] = column.type.dialect_impl(dialect).result_processor(dialect, None)
        converted = [(key, proc) for key, proc in last.items() if proc is not None]
        return _Prepared(compiled.string, itemgetter(*required) if required else None,
                         len(required) == 1,
                         None if len(required) == len(names) else tuple(template),
                         tuple(slots), tuple(processed), keys, tuple(converted))

    def run(self, conn: LeanConnection, values: Mapping[str, Any]) -> sqlite3.Cursor:
        """Execute with ``values`` by bind name; the cursor (``rowcount``, ``lastrowid``)."""
        last = self._last  # _prepare's first test, inlined: a save runs five statements
        prepared = (last[1] if last is not None and last[0]() is conn.dialect
                    else self._prepare(conn.dialect))
        return conn.raw.execute(prepared.sql, _params(prepared, values))

    def first(self, conn: LeanConnection, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """The first row of a SELECT as ``{column key: value}``, values as a Session reads
        them (e.g. aware datetimes); None when there is no row."""
        last = self._last
        prepared = (last[1] if last is not None and last[0]() is conn.dialect
                    else self._prepare(conn.dialect))
        params = _params(prepared, values)
        row = cast(Sequence[Any] | None, conn.raw.execute(prepared.sql, params).fetchone())
        if row is None:
            return None
        found = dict(zip(prepared.keys, row, strict=True))
        for key, proc in prepared.converted:  # only the columns whose type converts
            found[key] = proc(found[key])
        return found


_NOTHING = object()
# Per dialect, a timestamp type's bind processor shared by every lean statement, remembering the
# last value it converted: a save binds one clock reading three times (the row's assessed_at,
# the inspection's updated_at, the event's at), each a time-zone shift and a text format.
_TIMESTAMP_PROCESSORS: weakref.WeakKeyDictionary[Dialect, dict[Any, Processor]] = (
    weakref.WeakKeyDictionary())


def _bind_processor(type_: Any, dialect: Dialect) -> Processor | None:
    proc: Processor | None = type_.dialect_impl(dialect).bind_processor(dialect)
    if proc is None or type_._type_affinity is not DateTime:
        return proc
    shared = _TIMESTAMP_PROCESSORS.setdefault(dialect, {})
    key = type_._static_cache_key
    found = shared.get(key)
    if found is None:
        found = shared[key] = _remembering(proc)
    return found


def _remembering(proc: Processor) -> Processor:
    """``proc`` answering the value it was last given (the same object: a datetime cannot
    change) from memory. One (value, result) pair, replaced whole, so threads never mix two."""
    last: list[tuple[Any, Any]] = [(_NOTHING, None)]

    def run(value: Any) -> Any:
        seen, out = last[0]
        if value is seen:
            return out
        out = proc(value)
        last[0] = (value, out)
        return out

    return run


def _params(prepared: _Prepared, values: Mapping[str, Any]) -> Sequence[Any]:
    """The positional parameters: one ``itemgetter`` call, then only the processors that exist
    (an autosave binds about 30 values, 3 of which have one), where a comprehension over every
    bind cost a Python step per value."""
    if prepared.pick is None:
        return prepared.template or ()
    picked = prepared.pick(values)
    if prepared.single:
        picked = (picked,)
    if prepared.template is None:
        if not prepared.processed:
            return cast(tuple[Any, ...], picked)
        params = list(picked)
    else:
        params = list(prepared.template)
        for slot, value in zip(prepared.slots, picked, strict=True):
            params[slot] = value
    for position, proc in prepared.processed:
        params[position] = proc(params[position])
    return params
