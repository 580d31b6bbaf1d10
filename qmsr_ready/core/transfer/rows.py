"""The rows of a workspace as a copy writes them and a comparison reads them, on any backend.

One place says which tables a workspace has (the models' metadata, in foreign-key order), how a
table's rows are read in primary-key order without holding them all, what a value is in
canonical form (the same on SQLite and PostgreSQL: aware UTC times, parsed JSON, blobs by
SHA-256) and how evidence bytes are read in chunks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, LargeBinary, Table, func, select, text
from sqlalchemy.orm import Session

from qmsr_ready.core.models import Base
from qmsr_ready.core.services.evidence_io import CHUNK_BYTES, Chunks
from qmsr_ready.core.template_content import canonical_json

BLOB_TABLE = "evidence_blobs"
BATCH_ROWS = 500  # rows per INSERT batch and per fetch: bounded memory whatever the size


def workspace_tables() -> list[Table]:
    """Every table of a workspace at head, parents before children (the order a copy needs)."""
    return list(Base.metadata.sorted_tables)


def blob_columns(table: Table) -> list[str]:
    """The columns of ``table`` holding file bytes (read in chunks, compared by SHA-256)."""
    return [c.name for c in table.columns if isinstance(c.type, LargeBinary)]


def count_rows(conn: Connection, table: Table) -> int:
    """How many rows ``table`` holds."""
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def iter_rows(
    conn: Connection, table: Table, *, skip: tuple[str, ...] = ()
) -> Iterator[dict[str, Any]]:
    """``table``'s rows in primary-key order as typed values, fetched in batches.

    ``skip`` leaves columns out (a blob is read separately, in chunks).
    """
    columns = [c for c in table.columns if c.name not in skip]
    stmt = select(*columns).order_by(*table.primary_key.columns)
    result = conn.execution_options(yield_per=BATCH_ROWS).execute(stmt)
    for row in result.mappings():
        yield dict(row)


def nul_column(row: dict[str, Any]) -> str | None:
    """The first column of ``row`` whose text (or JSON) holds a NUL character, which
    PostgreSQL cannot store; None when there is none. Data written before NUL was refused."""
    for name, value in row.items():
        if isinstance(value, str) and "\x00" in value:
            return name
        if isinstance(value, (dict, list)) and "\\u0000" in canonical_json(value):
            return name
    return None


def find_nul(conn: Connection, inspection_id: int) -> str | None:
    """Where the rows of one inspection hold a NUL ("findings (id 4), column owner"), or None.

    Merge reads values in a form that drops control characters; this names the first one
    instead, so nothing vanishes silently on its way into a server."""
    for table in workspace_tables():
        if "inspection_id" not in table.columns or table.name == "audit_events":
            continue
        stmt = select(table).where(table.c.inspection_id == inspection_id)
        for row in conn.execute(stmt.order_by(*table.primary_key.columns)).mappings():
            column = nul_column(dict(row))
            if column is not None:
                key = ", ".join(f"{c.name} {row[c.name]}" for c in table.primary_key.columns)
                return f"{table.name} ({key}), column {column}"
    return None


def blob_chunks(conn: Connection, sha: str) -> Chunks:
    """The stored bytes of blob ``sha`` in chunks; each call starts from the first byte.

    SQLite reads through its incremental blob handle (never the whole file in memory); other
    backends read the value in slices of ``CHUNK_BYTES``.
    """
    if conn.dialect.name == "sqlite":
        return lambda: _sqlite_chunks(conn, sha)
    return lambda: _sliced_chunks(conn, sha)


def _sqlite_chunks(conn: Connection, sha: str) -> Iterator[bytes]:
    rowid = conn.execute(
        text("SELECT rowid FROM evidence_blobs WHERE sha256 = :sha"), {"sha": sha}
    ).scalar_one()
    raw: Any = conn.connection.driver_connection
    with raw.blobopen(BLOB_TABLE, "data", rowid, readonly=True) as blob:
        while chunk := blob.read(CHUNK_BYTES):
            yield chunk


def _sliced_chunks(conn: Connection, sha: str) -> Iterator[bytes]:
    size = conn.execute(
        text("SELECT length(data) FROM evidence_blobs WHERE sha256 = :sha"), {"sha": sha}
    ).scalar_one()
    for start in range(0, int(size or 0), CHUNK_BYTES):
        part = conn.execute(
            text("SELECT substring(data FROM :start FOR :n) FROM evidence_blobs"
                 " WHERE sha256 = :sha"),
            {"start": start + 1, "n": CHUNK_BYTES, "sha": sha},
        ).scalar_one()
        yield bytes(part)


def chunks_sha256(chunks: Chunks) -> tuple[str, int]:
    """SHA-256 and size of the bytes ``chunks`` yields."""
    digest, size = hashlib.sha256(), 0
    for chunk in chunks():
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def canonical(value: Any) -> Any:
    """A value in the form both backends agree on (what a comparison compares)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return str(value)


def row_digest(values: dict[str, Any]) -> str:
    """SHA-256 of a row's canonical values (two rows are the same when their digests are)."""
    return hashlib.sha256(canonical_json(canonical(values)).encode("utf-8")).hexdigest()


def session_on(conn: Connection) -> Session:
    """A session inside ``conn``'s transaction (services and ``verify_chain`` take sessions)."""
    return Session(bind=conn, join_transaction_mode="rollback_only")
