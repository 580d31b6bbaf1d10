"""One definition of a damaged stored value, shared by ``verify`` and every reader.

A value is damaged when loading it as its column's type fails the way SQLAlchemy's own loading
fails (bad JSON, a date that is not ISO, text that is not UTF-8), or when it is not of the
column's kind at all (text in an integer or yes/no column), which SQLite accepts silently and
arithmetic later trips over. ``verify`` lists every damaged value; report builds and exports
refuse an inspection holding one with a single line naming it, instead of a traceback.

API note (issue 9 item 5, for the report build and start-up helpers): ``find_damaged`` always
scans; the report build calls ``find_damaged_cached``, which remembers per open workspace (its
connection pool) which inspections were found clean at which stored audit head.
``append_event`` calls ``carry_clean``: a write through the services is validated, so the head
it leaves is clean wherever the previous one was. Any head this process did not produce or
scan (another writer, a reopened file) is scanned again. An edit behind the application's back
that appends no event (another process with ``sqlite3``) moves no head, so each clean head is
also stamped with the state of the workspace's files (``_file_stamp``: size, time and the
``-wal`` header of the database and its ``-wal``), taken before the scan, or right after the
commit for a head carried by a save; a build that finds the files changed since scans again.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sqlalchemy import Boolean, Column, Integer, LargeBinary, String, Table, Text, event, text
from sqlalchemy.orm import Session

from qmsr_ready.core.models import Base
from qmsr_ready.core.wal_header import WalHeaderReader

if TYPE_CHECKING:
    from qmsr_ready.core.db import WriteConnection

# Tables an inspection owns directly (the rows a report of it reads).
_SKIP_TABLES = frozenset({"audit_events"})  # the chain walk reads these values itself
# Prefixed by the SQLite scan to a BLOB stored in a non-binary column (text is read as bytes
# too): 0xFF never starts valid UTF-8, so the mark cannot be mistaken for readable text.
_BLOB_MARK = b"\xff\xfeBLOB:"


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
    return _check(column, dialect)(raw)


def _check(column: Column[Any], dialect: Any) -> Callable[[Any], str | None]:
    """The test of one column's raw values, built once per scan (the loader lookup is costly)."""
    col_type = column.type
    binary = isinstance(col_type, LargeBinary)
    load = _loader(column, dialect)

    def reason(raw: Any) -> str | None:
        if raw is None:
            return None
        if isinstance(raw, bytes) and not binary:
            if raw.startswith(_BLOB_MARK):  # SQLAlchemy hands a BLOB to readers as bytes
                return f"holds binary data {_show(raw[len(_BLOB_MARK):])}, not {_kind(col_type)}"
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                return "is not valid UTF-8 text"
        if isinstance(col_type, Boolean):
            return None if raw in (0, 1) else f"holds {_show(raw)}, not yes/no"
        if isinstance(col_type, Integer):
            return None if isinstance(raw, int) else f"holds {_show(raw)}, not a whole number"
        if isinstance(col_type, String | Text) and not isinstance(raw, str):
            return f"holds {_show(raw)}, not text"
        try:
            if load is not None:
                load(raw)
        except (ValueError, TypeError) as exc:  # what the ORM would raise while loading the row
            return f"holds {_show(raw)}, which cannot be read ({type(exc).__name__})"
        return None

    return reason


def _kind(col_type: Any) -> str:
    if isinstance(col_type, Boolean):
        return "yes/no"
    return "a whole number" if isinstance(col_type, Integer) else "text"


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
                         f" WHEN typeof({col.name}) = 'blob' THEN CAST(X'{_BLOB_MARK.hex()}'"
                         f" || {col.name} AS BLOB) ELSE {col.name} END AS {col.name}")
        else:
            parts.append(col.name)
    return f"SELECT {', '.join(parts)} FROM {table.name}"


def find_damaged(session: Session, inspection_code: str | None = None,
                 limit: int = 50) -> list[DamagedValue]:
    """Damaged values in every table, or only in one inspection's own rows (and its site)."""
    return list(_scan(session, inspection_code, limit))


# Per open workspace (its connection pool, shared by the read and write engines): stored audit
# head -> the files' stamp it was found clean at, and the inspections found clean there.
Stamp = tuple[Any, ...] | None
_CLEAN: WeakKeyDictionary[Any, dict[str, tuple[Stamp, frozenset[str]]]] = WeakKeyDictionary()
_CLEAN_LIMIT = 16
_PENDING = "damaged_clean_pending"  # session.info: the clean head a save's commit carries


def find_damaged_cached(session: Session, inspection_code: str) -> list[DamagedValue]:
    """``find_damaged(session, inspection_code, limit=1)``, skipped when this inspection was
    found clean at the stored audit head (or at one this process's own saves led to) and the
    workspace's files have not changed since (an outside write appends no event).

    Call it first in a fresh session (as ``build_report`` does): the stamp is taken before the
    session reads, so a write between the two is seen as a change, never hidden by the stamp.
    """
    fresh = not session.in_transaction()
    stamp = _file_stamp(session)
    heads = _CLEAN.setdefault(_workspace_key(session), {})
    head = _stored_head(session)
    known = heads.get(head)
    if known is not None and known[0] == stamp and inspection_code in known[1]:
        return []
    damaged = find_damaged(session, inspection_code, limit=1)
    if not damaged and fresh:
        codes = known[1] if known is not None and known[0] == stamp else frozenset()
        _remember(heads, head, stamp, codes | {inspection_code})
    return damaged


def carry_clean(session: Session | WriteConnection, prev_head: str, new_head: str) -> None:
    """An event appended by the services keeps clean what was clean (their values are
    validated); the carried head is stamped once the transaction commits (a head that is
    rolled back is never stored, so never looked up). ``session`` may be a Session-less
    ``db.WriteConnection`` (the response autosave on a file): the same, after its commit."""
    heads = _CLEAN.get(_workspace_key(session))
    if not heads:
        return
    pending = session.info.get(_PENDING)
    if pending is not None and pending[1] == prev_head:  # several events in one transaction
        codes, raw, version = pending[2], pending[3], pending[4]
    elif prev_head in heads and heads[prev_head][0] == _file_stamp(session):
        raw = _driver_connection(session)
        codes, version = heads[prev_head][1], _data_version(raw)
    else:
        return
    if not isinstance(session, Session):  # its info goes with it when it rolls back
        session.after_commit(_stamp_carried)
    elif not event.contains(session, "after_commit", _stamp_carried):
        event.listen(session, "after_commit", _stamp_carried)
        event.listen(session, "after_rollback", _drop_carried)
    session.info[_PENDING] = (heads, new_head, codes, raw, version)


def _stamp_carried(session: Session | WriteConnection) -> None:
    """After the commit: the files now hold the carried head (checkpoint included), unless
    another connection committed between our COMMIT and the stamp (it could write the moment
    our lock went: QA 5 item 2); then nothing is carried and the next report scans."""
    heads, head, codes, raw, version = session.info.pop(
        _PENDING, (None, "", frozenset(), None, None))
    if heads is None:
        return
    stamp = _file_stamp(session)
    if version is not None and version != _data_version(raw):
        return
    _remember(heads, head, stamp, codes)


def _driver_connection(session: Session | WriteConnection) -> Any:
    """The transaction's own DBAPI connection (a Session's is still checked out while its
    after_commit listeners run, so the same one answers then)."""
    if isinstance(session, Session):
        return session.connection().connection.driver_connection
    return session.lean.raw


def _data_version(raw: Any) -> int | None:
    """SQLite's ``PRAGMA data_version`` on ``raw``: it changes only when another connection
    commits. None off SQLite."""
    if not isinstance(raw, sqlite3.Connection):
        return None
    return int(raw.execute("PRAGMA data_version").fetchone()[0])


def _drop_carried(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _remember(heads: dict[str, tuple[Stamp, frozenset[str]]], head: str, stamp: Stamp,
              codes: frozenset[str]) -> None:
    heads.pop(head, None)  # most recent last
    heads[head] = (stamp, codes)
    while len(heads) > _CLEAN_LIMIT:
        heads.pop(next(iter(heads)))


def _file_stamp(session: Session | WriteConnection) -> Stamp:
    """What any commit to a workspace file changes: the size, time and identity of the database
    and its ``-wal``, and the ``-wal`` header (its salt changes when a writer restarts the log,
    which keeps its size). None for a server, whose writers all append events."""
    database = session.info.get("database_file")
    if not database:
        return None
    try:
        st = os.stat(database)
    except OSError:
        main: Any = None
    else:
        main = (st.st_ino, st.st_size, st.st_mtime_ns)
    # The workspace's reader keeps the -wal open (a stat and a pread: the stamp is taken
    # twice a save once a report has filled the cache); without one, a reader for this stamp.
    reader = session.info.get("wal_header")
    if not isinstance(reader, WalHeaderReader):
        reader = WalHeaderReader(f"{database}-wal")
        reader.close()  # opens, reads and closes the file once
    wal, header = reader.stamp()
    return (main, wal, header)


def _workspace_key(session: Session | WriteConnection) -> Any:
    """What every session of one open workspace shares: reads and writes use different
    engine objects (write transactions carry an option) over the same pool."""
    return session.get_bind().engine.pool


def _stored_head(session: Session) -> str:
    from qmsr_ready.core.audit import GENESIS_HASH, HEAD_HASH_KEY  # audit imports this module

    value = session.execute(text("SELECT value FROM workspace_info WHERE key = :k"),
                            {"k": HEAD_HASH_KEY}).scalar()
    return str(value) if value is not None else GENESIS_HASH


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
        key = list(table.columns).index(next(iter(table.primary_key.columns)))
        checks = [(col.name, _check(col, dialect)) for col in table.columns]
        for row in session.execute(text(sql), params):
            for (name, check), raw in zip(checks, row, strict=True):
                if raw is None:
                    continue
                reason = check(raw)
                if reason is not None:
                    yield DamagedValue(table.name, name, _row_key(row[key]), reason)
                    found += 1
                    if found >= limit:
                        return


def _row_key(raw: Any) -> str:
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace")
    return str(raw)
