"""Copy a whole workspace, losslessly, between a ``.qmsr`` file and a server database.

Every table is copied in foreign-key order with its primary keys, so the audit chain, the
``workspace_info`` facts (workspace ID, chain head) and every link survive unchanged; evidence
bytes go across one blob at a time, in chunks where the backend allows. The source is read in
one transaction (one consistent snapshot) and must verify before anything is written. The copy
is written in ONE transaction too, and checked inside it: its audit chain must verify and a
content comparison with the source must find nothing. Only then is it kept: a server copy is
committed, a file copy (built under a temporary name) renamed into place. Anything else (a
refusal, an error, a cancel, a difference) leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, Integer, Table, delete, inspect, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from qmsr_ready.core.audit import HEAD_SEQ_KEY, ChainReport, verify_chain
from qmsr_ready.core.db import initialise_file, open_workspace
from qmsr_ready.core.errors import Cancelled, QmsrError
from qmsr_ready.core.export.progress import NullProgress, Progress
from qmsr_ready.core.migrations import alembic_config, head_revision, known_revisions
from qmsr_ready.core.models import WorkspaceInfo
from qmsr_ready.core.services.evidence_io import store_blob
from qmsr_ready.core.transfer import targets
from qmsr_ready.core.transfer.compare import CompareFailed, Difference, compare_workspaces
from qmsr_ready.core.transfer.rows import (
    BATCH_ROWS,
    BLOB_TABLE,
    blob_chunks,
    count_rows,
    iter_rows,
    nul_column,
    session_on,
    workspace_tables,
)

_LEFTOVERS = ("", "-wal", "-shm", "-journal", ".lock")
_PRIVILEGE = "42501"  # PostgreSQL's insufficient_privilege


class CopyRefused(QmsrError):  # noqa: N818 (reads as a sentence in messages)
    """The copy was refused before anything was written (destination in use, source damaged)."""


class CopyFailed(QmsrError):  # noqa: N818 (reads as a sentence in messages)
    """Writing the copy failed part-way; what was written was removed again."""


@dataclass(frozen=True)
class CopyReport:
    """What a copy did and how it was checked; ``kept`` only when both checks passed."""

    source: str
    dest: str
    rows: int
    tables: int
    chain: ChainReport
    differences: tuple[Difference, ...]
    seconds: float

    @property
    def kept(self) -> bool:
        """Whether the copy verified, matched its source, and was therefore kept."""
        return self.chain.ok and not self.differences

    def summary(self) -> str:
        """One line for people: what was copied and what the checks found."""
        if self.kept:
            return (f"Copied {self.rows} rows in {self.tables} tables to {self.dest}; "
                    "chain verified; no differences.")
        chain = ("chain verified" if self.chain.ok
                 else f"chain does NOT verify ({self.chain.problem})")
        diffs = (f"{len(self.differences)} difference(s), first: {self.differences[0]}"
                 if self.differences else "no differences")
        return f"The copy to {self.dest} was not kept: {chain}; {diffs}."


def copy_workspace(
    source: targets.Target, dest: targets.Target, *, progress: Progress | None = None
) -> CopyReport:
    """Copy the workspace ``source`` to ``dest`` (each a file path or a server URL).

    A file destination must not exist; a server destination must be an empty database (no
    tables, or an empty QMSR Ready schema), which the copy migrates to head. Raises
    ``CopyRefused`` before writing anything, ``CopyFailed`` or ``Cancelled`` after removing
    what was written; returns a report whose ``kept`` is false (and nothing kept) when the copy
    does not verify or differs from its source.
    """
    progress = progress or NullProgress()
    started = time.monotonic()
    src_name, dest_name = targets.display(source), targets.display(dest)
    if targets.normalised(source) == targets.normalised(dest):
        raise CopyRefused(f"{src_name} is both the source and the destination; name a new one.")
    if not targets.is_server(dest):
        _refuse_existing(Path(targets.normalised(dest)))
    with targets.open_read_only(source) as src, _snapshot(src.engine) as sconn:
        if src.needs_upgrade:
            raise CopyRefused(
                f"{src_name} was written by an older QMSR Ready (schema {src.schema_revision}); "
                "open it once for writing to upgrade it, then copy it; nothing was copied."
            )
        chain = verify_chain(session_on(sconn))
        if not chain.ok:
            raise CopyRefused(
                f"{src_name} does not verify ({chain.problem}); nothing was copied. Run "
                "'qmsr-ready verify' on it and restore it from a backup if needed."
            )
        writer = _to_server if targets.is_server(dest) else _to_file
        rows, tables, check, diffs = writer(sconn, dest, progress)
    return CopyReport(src_name, dest_name, rows, tables, check, tuple(diffs),
                      time.monotonic() - started)


def _refuse_existing(path: Path) -> None:
    if path.exists() or path.is_symlink():
        raise CopyRefused(
            f"{path} already exists; a copy is only written to a new file. Choose another name "
            "or move the existing file away."
        )


@contextlib.contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction over the source, so every table is read as of the same moment."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


_Result = tuple[int, int, ChainReport, list[Difference]]


def _to_file(sconn: Connection, dest: targets.Target, progress: Progress) -> _Result:
    """Build the copy under a temporary name beside ``dest``; rename it into place if kept."""
    target = Path(targets.normalised(dest))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CopyRefused(f"Cannot create the folder {target.parent}: {exc.strerror}.") from exc
    tmp = target.with_name(f".{target.name}.copying-{uuid.uuid4().hex[:8]}")
    try:
        try:
            initialise_file(tmp)
            ws = open_workspace(tmp)
        except (OSError, sqlite3.Error, SQLAlchemyError, QmsrError) as exc:  # full, read-only
            raise CopyRefused(_disk_message(exc, target) or (
                f"Cannot write a new workspace into {target.parent} ({_why(exc)}); choose a "
                "folder you can write to."
            )) from exc
        try:
            with ws, ws.engine.connect() as dconn:
                result = _in_one_transaction(dconn, sconn, progress, targets.display(dest))
        except SQLAlchemyError as exc:
            raise CopyFailed(_disk_message(exc, target) or (
                f"Writing {target} failed ({_why(exc)}); nothing was written.")) from exc
        if not _kept(result):
            return result
        wal = Path(f"{tmp}-wal")
        if wal.exists() and wal.stat().st_size > 0:  # closing did not write it back: not whole
            raise CopyFailed(f"Writing {target} could not be finished; nothing was written.")
        _publish(tmp, target)
        return result
    finally:
        for suffix in _LEFTOVERS:
            with contextlib.suppress(OSError):
                Path(f"{tmp}{suffix}").unlink()


def _disk_message(exc: BaseException, target: Path) -> str | None:
    """The shared one-line wording when the disk refused the copy (full, denied, read-only)."""
    from qmsr_ready.core.disk_errors import (
        WriteFailure,
        is_full_disk,
        write_failure,
        write_failure_message,
    )

    kind = WriteFailure.FULL if is_full_disk(exc, target.parent) else write_failure(exc)
    return None if kind is None else write_failure_message(f"Cannot copy to {target}", target,
                                                           kind)


def _publish(tmp: Path, target: Path) -> None:
    """Move the finished file into place without ever replacing an existing one."""
    try:
        os.link(tmp, target)  # fails if target exists: no window for an overwrite
    except FileExistsError:
        raise CopyFailed(f"{target} appeared while the copy was made; it was left as it was.") \
            from None
    except OSError:  # file systems without hard links
        if target.exists():
            raise CopyFailed(f"{target} already exists; it was left as it was.") from None
        os.replace(tmp, target)


def _to_server(sconn: Connection, dest: targets.Target, progress: Progress) -> _Result:
    """Copy into an empty server database in one transaction, committed only if it checks."""
    from qmsr_ready.core.server.engine import open_engine, translate_server_error

    engine, url = open_engine(str(dest))
    try:
        with engine.connect() as dconn:
            return _in_one_transaction(dconn, sconn, progress, targets.display(dest),
                                       prepare=True)
    except SQLAlchemyError as exc:
        mapped = translate_server_error(exc, url)
        if mapped is not None:
            raise mapped from exc
        raise CopyFailed(
            f"Copying into {targets.display(dest)} failed ({_why(exc)}); nothing was written."
        ) from exc
    finally:
        engine.dispose()


def _in_one_transaction(dconn: Connection, sconn: Connection, progress: Progress, name: str,
                        *, prepare: bool = False) -> _Result:
    """Write and check the copy in one transaction: committed only when it checks out."""
    trans = dconn.begin()
    try:
        if prepare:
            _prepare_server(dconn, name)
        result = _write_and_check(sconn, dconn, progress, name)
    except BaseException:
        trans.rollback()
        raise
    if _kept(result):
        trans.commit()
    else:
        trans.rollback()
    return result


def _kept(result: _Result) -> bool:
    return result[2].ok and not result[3]


def _prepare_server(dconn: Connection, name: str) -> None:
    """Refuse a database that holds anything; create or upgrade the schema to head."""
    from qmsr_ready.core.audit import AUDIT_LOCK_KEY
    from qmsr_ready.core.server.roles import install_append_only

    # the lock every writer takes first: nobody writes here until the copy commits
    dconn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})
    present = set(inspect(dconn).get_table_names())
    ours = {t.name for t in workspace_tables()}
    foreign = sorted(present - ours - {"alembic_version"})
    if foreign:
        raise CopyRefused(
            f"{name} holds tables that are not a QMSR Ready workspace ({', '.join(foreign[:5])}); "
            "copy into a new, empty database."
        )
    revision = MigrationContext.configure(dconn).get_current_revision()
    if revision is not None and revision not in known_revisions():
        raise CopyRefused(
            f"{name} has schema {revision}, newer than this QMSR Ready knows; update QMSR Ready."
        )
    for table in workspace_tables():
        if table.name not in present:
            continue
        if table.name == WorkspaceInfo.__tablename__:
            head = dconn.execute(
                text("SELECT value FROM workspace_info WHERE key = :k"), {"k": HEAD_SEQ_KEY}
            ).scalar()
            holds = head not in (None, "", "0")
        else:
            holds = count_rows(dconn, table) > 0
        if holds:
            raise CopyRefused(
                f"{name} already holds a workspace (table {table.name} has data); a copy only "
                "goes into an empty database. Use 'qmsr-ready merge' to bring changes together."
            )
    if revision == head_revision():
        return  # prepared by its owner ('qmsr-ready server init'): append-only already
    try:
        command.upgrade(alembic_config(dconn), "head")
        install_append_only(dconn)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != _PRIVILEGE:
            raise
        raise CopyRefused(
            f"This role may not create tables in {name}; run the copy as the database's owner "
            "role (README, Server workspaces); nothing was written."
        ) from exc


def _write_and_check(sconn: Connection, dconn: Connection, progress: Progress, name: str
                     ) -> _Result:
    """Copy every row, advance the key sequences, then verify the copy and compare it."""
    dconn.execute(delete(WorkspaceInfo.__table__))  # type: ignore[arg-type]  # the source's facts replace the new file's
    try:
        rows, tables = _copy_rows(sconn, dconn, progress)
        _advance_sequences(dconn)
    except SQLAlchemyError as exc:
        hint = (" Run the copy as the database's owner role."
                if getattr(getattr(exc, "orig", None), "sqlstate", None) == _PRIVILEGE else "")
        raise CopyFailed(
            f"Copying into {name} failed ({_why(exc)}); nothing was written.{hint}"
        ) from exc
    progress.report(rows, rows, "Verifying the copy")
    chain = verify_chain(session_on(dconn))
    try:
        diffs = compare_workspaces(sconn, dconn)
    except CompareFailed as exc:
        raise CopyFailed(f"{exc.message} Nothing was written.") from exc
    return rows, tables, chain, diffs


def _copy_rows(sconn: Connection, dconn: Connection, progress: Progress) -> tuple[int, int]:
    tables = workspace_tables()
    counts = {t.name: count_rows(sconn, t) for t in tables}
    total, done = sum(counts.values()), 0
    for table in tables:
        _check_cancel(progress)
        progress.report(done, total, f"Copying {table.name}")
        if table.name == BLOB_TABLE:
            done = _copy_blobs(sconn, dconn, table, progress, done, total)
            continue
        batch: list[dict[str, object]] = []
        to_server = dconn.dialect.name == "postgresql"
        for row in iter_rows(sconn, table):
            if to_server:
                _refuse_nul(table, row)
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                done += _insert(dconn, table, batch, progress, done, total)
        done += _insert(dconn, table, batch, progress, done, total)
    return done, len(tables)


def _refuse_nul(table: Table, row: dict[str, Any]) -> None:
    """Name the table, row and column of old text holding a NUL (a server refuses it)."""
    column = nul_column(row)
    if column is None:
        return
    key = ", ".join(f"{c.name} {row.get(c.name)}" for c in table.primary_key.columns)
    where = f"{table.name} ({key}), column {column}, holds a NUL character"
    if table.name == "audit_events":  # the trail is never edited: the file stays a file
        raise CopyRefused(
            f"{where} (recorded before NUL was refused), which a server cannot store; keep "
            "this workspace as a file and merge its inspections into the server after "
            "retyping the value. Nothing was written."
        )
    raise CopyRefused(
        f"{where}, which a server cannot store; retype that value in the source workspace "
        "and copy again. Nothing was written."
    )


def _insert(dconn: Connection, table: Table, batch: list[dict[str, object]], progress: Progress,
            done: int, total: int) -> int:
    if not batch:
        return 0
    dconn.execute(table.insert(), batch)
    n = len(batch)
    batch.clear()
    _check_cancel(progress)
    progress.report(done + n, total, f"Copying {table.name}")
    return n


def _copy_blobs(sconn: Connection, dconn: Connection, table: Table, progress: Progress,
                done: int, total: int) -> int:
    """Each evidence file on its own, in chunks, checked against its SHA-256 as it is written."""
    blobs = [(str(r["sha256"]), int(r["size"])) for r in iter_rows(sconn, table, skip=("data",))]
    dsession = session_on(dconn)
    for sha, size in blobs:
        _check_cancel(progress)
        try:
            store_blob(dsession, sha, size, f"evidence file {sha[:12]}", blob_chunks(sconn, sha))
        except QmsrError as exc:
            raise CopyFailed(
                f"Evidence file {sha[:12]} does not match its SHA-256 in the source; nothing was "
                "written. Run 'qmsr-ready verify' on the source."
            ) from exc
        done += 1
        progress.report(done, total, f"Copying {table.name}")
    dsession.flush()
    return done


def _advance_sequences(dconn: Connection) -> None:
    """Move each key sequence past the copied IDs, so the next row gets a fresh one."""
    if dconn.dialect.name != "postgresql":
        return  # SQLite takes the next ID from the table itself
    for table in workspace_tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        if keys[0].autoincrement is False:
            continue
        col = keys[0].name
        dconn.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX({col}), 0) + 1, false)"
            f" FROM {table.name}"
        ), {"t": table.name, "c": col})


def _check_cancel(progress: Progress) -> None:
    if progress.cancelled():
        raise Cancelled("Copy cancelled; nothing was written.")


def _why(exc: BaseException) -> str:
    """The driver's first line, cleaned and masked, cut only at a word (as the server's)."""
    from qmsr_ready.core.server.engine import first_line

    return first_line(str(getattr(exc, "orig", None) or exc))
