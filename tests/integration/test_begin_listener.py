"""The SQLite "begin" listener (core.db): a write transaction takes the write lock as it begins,
a read transaction does not, and a file another connection holds past the busy timeout is one
``WorkspaceBusy`` in words (from SQLite's "database is locked", raised at the BEGIN the listener
runs on the driver connection, issue 9 item 5)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.workspace_file import WorkspaceBusy


def _try_write(path: Path) -> str:
    """What another connection's BEGIN IMMEDIATE gets at once: "ok" or the error."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return "ok"
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        other.close()


def test_a_write_transaction_holds_the_file_from_its_begin(tmp_path: Path) -> None:
    path = tmp_path / "w.qmsr"
    with open_workspace(path, create=True) as ws:
        with ws.begin() as s:
            s.connection()  # begun, nothing written yet
            assert _try_write(path) == "database is locked"
        with ws.session() as s:
            s.connection()
            assert s.in_transaction()
            assert _try_write(path) == "ok"  # a read takes no write lock
        assert _try_write(path) == "ok"


def test_a_busy_file_is_refused_in_words_at_begin_then_saves_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "b.qmsr"
    with open_workspace(path, create=True) as ws:
        with ws.engine.connect() as c:  # the pooled connection waits 50 ms, not 5 s
            c.exec_driver_sql("PRAGMA busy_timeout=50")
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(WorkspaceBusy, match="is busy: another program") as caught, \
                    ws.begin() as s:
                services.create_site(s, "Ana", name="Plant", fei_number="3000000001")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        cause = caught.value.__cause__
        assert isinstance(cause, OperationalError)  # as SQLAlchemy raises it at a BEGIN
        assert isinstance(cause.orig, sqlite3.OperationalError)
        assert str(cause).startswith(
            "(sqlite3.OperationalError) database is locked\n[SQL: BEGIN IMMEDIATE]")
        assert "not saved" in caught.value.message
        with ws.begin() as s:  # the connection went back to the pool usable
            services.create_site(s, "Ana", name="Plant", fei_number="3000000001")
        with ws.session() as s:
            assert [site.name for site in services.list_sites(s)] == ["Plant"]
