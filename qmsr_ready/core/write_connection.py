"""A write transaction on a workspace file without an ORM Session (issue 9 item 5).

``Workspace.write_connection`` (``db``) enters a ``WriteTransaction`` here: one pooled
connection, ``BEGIN IMMEDIATE`` on its sqlite3 connection, a ``WriteConnection`` for the lean
statements (``lean_sql``) and a Session joined to the same transaction only for a step the ORM
runs; committed on success, rolled back on error, the connection back in the pool either way.
The checks around it (read-only, the file's identity, translated errors) stay with the
``Workspace``.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import PoolProxiedConnection

from qmsr_ready.core.lean_sql import LeanConnection

__all__ = [
    "BEGUN_OPTION",
    "KeptWriter",
    "WriteConnection",
    "WriteTransaction",
    "begin_on_driver",
]

# the execution option of a Connection joined to a transaction already begun on its driver
# connection (WriteConnection.session): its "begin" runs no BEGIN
BEGUN_OPTION = "qmsr_begun"


def begin_on_driver(raw: sqlite3.Connection, dialect: Dialect, *, immediate: bool) -> None:
    """BEGIN (IMMEDIATE) on the sqlite3 connection; a failure raised as SQLAlchemy's
    ``exec_driver_sql`` raised it (a locked, busy or read-only file gives the same
    ``OperationalError``, and so the same translated message)."""
    sql = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    try:
        raw.execute(sql)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, (), exc, sqlite3.Error, dialect=dialect) from exc


class KeptWriter:
    """The one pooled connection a workspace's lean write transactions reuse, checked out
    once instead of once a save (issue 9: the pool's checkout and its check-in, with its reset,
    were a fifth of an autosave's Python calls).

    A transaction ``take``s it when it is idle (any thread: never two at once, as the pool
    hands its connections from thread to thread) and otherwise checks one out of the pool as
    before; ``give_back`` keeps it only after a clean commit on a connection left in no
    transaction, and returns it to the pool (reset there) after anything else. ``close``, first
    thing when the workspace closes, returns it, so the engine's dispose closes every
    connection (the last one checkpoints and removes the ``-wal``) and a replaced file's
    ``-wal`` is handed back through an idle one (``FileIdentity.settle``).
    """

    __slots__ = ("_busy", "_closed", "_lock", "_proxied")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proxied: PoolProxiedConnection | None = None
        self._busy = False
        self._closed = False

    def take(self, engine: Engine) -> PoolProxiedConnection:
        """The kept connection when it is idle, else one checked out of ``engine``'s pool."""
        with self._lock:
            proxied = self._proxied
            if proxied is not None and not self._busy:
                self._busy = True
                return proxied
        return engine.raw_connection()

    def give_back(self, proxied: PoolProxiedConnection, *, keep: bool) -> None:
        """``proxied`` is done with: kept for the next transaction when ``keep`` (and none is
        kept yet), else returned to the pool."""
        with self._lock:
            if proxied is self._proxied:
                self._busy = False
                if keep:
                    return
                self._proxied = None
            elif keep and self._proxied is None and not self._closed:
                self._proxied = proxied
                return
        proxied.close()

    def forget(self, proxied: PoolProxiedConnection) -> None:
        """``proxied`` went back to the pool another way (a joined Session's connection closed
        it): keep it no longer."""
        with self._lock:
            if proxied is self._proxied:
                self._proxied = None
                self._busy = False

    def close(self) -> None:
        """Return the kept connection to the pool; keep none from now on. One a transaction
        is using is returned by that transaction's ``give_back``."""
        with self._lock:
            self._closed = True
            proxied, busy = self._proxied, self._busy
            self._proxied = None
        if proxied is not None and not busy:
            proxied.close()


class WriteConnection:
    """One write transaction on a workspace file without an ORM Session.

    ``WriteTransaction`` checks a connection out of the workspace's pool (a new one gets
    the pragmas and the file-identity check, as for a Session), runs ``BEGIN IMMEDIATE`` on it
    and hands out this: ``lean`` runs ``lean_sql`` statements in the transaction, ``info``
    holds what a write Session's ``info`` holds (the workspace's path, files, chain cache; this
    transaction's own entries too) and ``get_bind()`` is the engine, as a Session answers.

    A step the lean path does not cover (a planned inspection's first answer moves it to in
    progress through the ORM, a refusal says who changed the row) asks for ``session()``: an
    ORM Session joined to this same transaction on this same connection, flushed before the
    commit. Code run after the commit (``after_commit``) gets this object, as a Session's
    ``after_commit`` listeners get the Session.
    """

    def __init__(self, engine: Engine, proxied: PoolProxiedConnection,
                 info: dict[str, Any]) -> None:
        raw = proxied.driver_connection
        if not isinstance(raw, sqlite3.Connection):  # pragma: no cover - a programming error
            raise TypeError("a WriteConnection runs on SQLite only")
        self.engine = engine
        self.lean = LeanConnection(raw, engine.dialect)
        self.info = info
        self._proxied = proxied
        self._conn: Connection | None = None
        self._session: Session | None = None
        self._after_commit: list[Callable[[WriteConnection], None]] = []

    def get_bind(self) -> Engine:
        """The workspace's engine (its dialect and pool), as ``Session.get_bind`` answers."""
        return self.engine

    @property
    def joined(self) -> Session | None:
        """The Session ``session()`` joined to this transaction, if one was asked for."""
        return self._session

    def session(self) -> Session:
        """An ORM Session in this transaction (made on first use, then the same one)."""
        if self._session is None:
            conn = Connection(self.engine, connection=self._proxied)
            conn.execution_options(**{BEGUN_OPTION: True})  # BEGIN IMMEDIATE already ran
            conn.begin()
            self._conn = conn
            self._session = Session(bind=conn, expire_on_commit=False, info=self.info,
                                    join_transaction_mode="rollback_only")
        return self._session

    def after_commit(self, run: Callable[[WriteConnection], None]) -> None:
        """Run ``run(self)`` once the transaction has committed (once, however often asked);
        never when it rolls back."""
        if run not in self._after_commit:
            self._after_commit.append(run)

    def _commit(self) -> None:
        session, conn = self._session, self._conn
        if session is None or conn is None:
            self.lean.raw.execute("COMMIT")
        else:
            session.flush()
            transaction = conn.get_transaction()
            assert transaction is not None  # begun in session()
            transaction.commit()
            session.commit()  # nothing left to write: its after_commit listeners run now
            session.close()
        for run in self._after_commit:
            run(self)

    def _rollback(self) -> None:
        if self._session is not None:
            self._session.close()
        if self._conn is not None:
            self._conn.rollback()
        elif self.lean.raw.in_transaction:
            self.lean.raw.execute("ROLLBACK")

    def _release(self, kept: KeptWriter | None, *, committed: bool) -> None:
        if self._conn is not None:
            self._conn.close()  # returns the checked-out connection to the pool
            if kept is not None:
                kept.forget(self._proxied)
        elif kept is None:
            self._proxied.close()
        else:
            kept.give_back(self._proxied,
                           keep=committed and not self.lean.raw.in_transaction)


class WriteTransaction:
    """``BEGIN IMMEDIATE`` on a connection of ``engine``'s pool, as a ``WriteConnection`` whose
    ``info`` starts as a copy of ``info``: committed when the block ends, rolled back when it
    raises (the error that got here is the news, not a failing rollback), the connection back
    in the pool either way. ``check`` runs on the sqlite3 connection first (the file's
    identity, ``FileIdentity.check_write``). ``translate`` maps what the checkout, the BEGIN,
    the block or the commit raises (``db.translated``'s rule: an ``Exception`` it maps is
    raised as the mapped error, from the original; None keeps the original).

    One class, not nested generator context managers: the response autosave enters it once
    a save, and each generator layer cost about 2 us there (issue 9)."""

    __slots__ = ("_check", "_engine", "_info", "_kept", "_translate", "_writer")

    def __init__(self, engine: Engine, info: dict[str, Any], *,
                 check: Callable[[sqlite3.Connection], None] | None = None,
                 translate: Callable[[Exception], BaseException | None] | None = None,
                 kept: KeptWriter | None = None) -> None:
        self._engine = engine
        self._kept = kept
        self._info = info
        self._check = check
        self._translate = translate
        self._writer: WriteConnection | None = None

    def __enter__(self) -> WriteConnection:
        try:
            engine, kept = self._engine, self._kept
            proxied = engine.raw_connection() if kept is None else kept.take(engine)
            try:
                writer = WriteConnection(engine, proxied, dict(self._info))
                if self._check is not None:
                    self._check(writer.lean.raw)
                begin_on_driver(writer.lean.raw, engine.dialect, immediate=True)
            except BaseException:
                if kept is None:
                    proxied.close()  # back to the pool, nothing begun
                else:
                    kept.give_back(proxied, keep=False)
                raise
        except Exception as exc:
            self._raise_translated(exc)
            raise
        self._writer = writer
        return writer

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: Any) -> None:
        writer = self._writer
        self._writer = None
        assert writer is not None  # entered
        committed = False
        try:
            try:
                if exc_type is None:
                    writer._commit()
                    committed = True
                    return
            except BaseException:
                with contextlib.suppress(Exception):
                    writer._rollback()
                raise
            with contextlib.suppress(Exception):
                writer._rollback()
        except Exception as failure:  # the commit's
            self._raise_translated(failure)
            raise
        finally:
            writer._release(self._kept, committed=committed)
        if isinstance(exc, Exception):  # the block's, translated as it leaves
            self._raise_translated(exc)

    def _raise_translated(self, exc: Exception) -> None:
        if self._translate is not None:
            mapped = self._translate(exc)
            if mapped is not None:
                raise mapped from exc

