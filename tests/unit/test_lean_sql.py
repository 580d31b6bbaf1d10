"""Lean statements (core.lean_sql): Core statements run on the sqlite3 connection store and read
values exactly as a Session does, bind a statement's own literals, and refuse what they cannot
run (an expanding IN)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    insert,
    select,
)
from sqlalchemy.orm import Session

from qmsr_ready.core.lean_sql import LeanConnection, LeanStatement
from qmsr_ready.core.models import UTCDateTime

_META = MetaData()
_T = Table("t", _META, Column("id", Integer, primary_key=True), Column("k", String(10)),
           Column("at", UTCDateTime), Column("doc", JSON))


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    _META.create_all(engine)
    with Session(engine) as s:
        yield s


def test_values_round_trip_as_a_session_stores_them(session) -> None:
    at = dt.datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    doc = {"b": [1, "é"], "a": None}
    session.execute(insert(_T), {"k": "orm", "at": at, "doc": doc})
    conn = LeanConnection.of(session)
    row_id = LeanStatement(insert(_T), ["k", "at", "doc"]).run(
        conn, {"k": "lean", "at": at, "doc": doc}).lastrowid
    raw = conn.raw.execute("SELECT k, at, doc FROM t ORDER BY id").fetchall()
    assert raw[1][1:] == raw[0][1:]  # the same stored text (naive UTC, the same JSON)
    read = LeanStatement(select(_T).where(_T.c.id == bindparam("i"))).first(conn, {"i": row_id})
    assert read == {"id": row_id, "k": "lean", "at": at.astimezone(dt.UTC), "doc": doc}
    assert read["at"].tzinfo is dt.UTC  # aware, as UTCDateTime hands it back through a Session
    assert LeanStatement(select(_T).where(_T.c.id == bindparam("i"))).first(conn, {"i": 99}) \
        is None


def test_a_statements_own_literals_are_bound(session) -> None:
    conn = LeanConnection.of(session)
    for k in ("a", "b", "c"):
        LeanStatement(insert(_T), ["k"]).run(conn, {"k": k})
    stmt = LeanStatement(select(_T.c.k).where(_T.c.k != "b", _T.c.id > bindparam("after"))
                         .order_by(_T.c.id.desc()).limit(1))
    assert stmt.first(conn, {"after": 0}) == {"k": "c"}
    with pytest.raises(KeyError):  # a value the statement needs is never silently NULL
        stmt.first(conn, {})


def test_an_expanding_in_is_refused(session) -> None:
    stmt = LeanStatement(select(_T.c.id).where(_T.c.k.in_(("a", "b"))))
    with pytest.raises(ValueError, match="IN"):
        stmt.first(LeanConnection.of(session), {})


def test_literals_caller_values_and_processors_keep_their_positions(session) -> None:
    # a literal between two caller values, one of which has a bind processor: each value lands
    # in its own slot, converted as a Session converts it
    at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    conn = LeanConnection.of(session)
    LeanStatement(insert(_T), ["k", "at"]).run(conn, {"k": "x", "at": at})
    LeanStatement(insert(_T), ["k", "at"]).run(conn, {"k": "y", "at": at})
    stmt = LeanStatement(select(_T.c.id).where(_T.c.at == bindparam("at"), _T.c.k != "x",
                                               _T.c.id > bindparam("after")))
    assert stmt.first(conn, {"at": at, "after": 0}) == {"id": 2}
    assert stmt.first(conn, {"at": at + dt.timedelta(seconds=1), "after": 0}) is None


def test_a_key_selected_twice_reads_as_its_last_column(session) -> None:
    # as a mapping of the row reads it (the findings register selects two "code" columns)
    at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    conn = LeanConnection.of(session)
    LeanStatement(insert(_T), ["k", "at"]).run(conn, {"k": "x", "at": at})
    both = LeanStatement(select(_T.c.at.label("v"), _T.c.k.label("v")))
    assert both.first(conn, {}) == {"v": "x"}
    back = LeanStatement(select(_T.c.k.label("v"), _T.c.at.label("v")))
    assert back.first(conn, {}) == {"v": at}  # the processor of the column that is kept


def test_each_dialect_keeps_its_own_compiled_statement() -> None:
    from sqlalchemy.dialects import sqlite

    first, second = sqlite.dialect(), sqlite.dialect(paramstyle="qmark")
    stmt = LeanStatement(select(_T.c.k).where(_T.c.id == bindparam("i")))
    one = stmt._prepare(first)
    two = stmt._prepare(second)
    assert one is not two
    assert stmt._prepare(first) is one  # back to the first: its own, not recompiled
    assert stmt._prepare(second) is two
