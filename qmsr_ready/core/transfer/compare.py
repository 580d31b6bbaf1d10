"""Do two workspaces hold the same content? Row by row, value by value, blobs by SHA-256.

What a copy promises is checked here, independent of how it was made: every table holds the
same rows under the same primary keys with the same canonical values (``rows.canonical``), the
schema revision is the same, and every evidence file has the same bytes. Rows are reduced to a
digest per primary key while they stream past, so two large workspaces are compared without
holding either in memory; only the rows that differ are read again to name the column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select, text
from sqlalchemy.exc import SQLAlchemyError

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.transfer.rows import (
    BLOB_TABLE,
    blob_chunks,
    blob_columns,
    canonical,
    chunks_sha256,
    iter_rows,
    row_digest,
    workspace_tables,
)

MAX_DIFFERENCES = 50  # enough to see what went wrong; the count says how many more there are
_SHOWN = 60


class CompareFailed(QmsrError):  # noqa: N818 (reads as a sentence in messages)
    """A workspace could not be read completely enough to compare it."""


@dataclass(frozen=True)
class Difference:
    """One way the two workspaces differ: a row only on one side, or a column's values."""

    table: str
    key: str  # the primary key, e.g. "id=12" (or "" for the schema revision)
    what: str  # "only in A", "only in B", or the column that differs
    a: str = ""
    b: str = ""

    def __str__(self) -> str:
        where = f"{self.table} {self.key}".strip()
        if self.what in ("only in A", "only in B"):
            return f"{where}: {self.what}"
        return f"{where}: {self.what} differs ({self.a} vs {self.b})"


def compare_workspaces(a: Connection, b: Connection, *, limit: int = MAX_DIFFERENCES
                       ) -> list[Difference]:
    """The differences between the workspaces behind ``a`` and ``b`` (empty: the same).

    Both connections should be inside a transaction, so each side is one consistent snapshot.
    At most ``limit`` differences are named. Raises ``CompareFailed`` when a side cannot be read.
    """
    found: list[Difference] = []
    rev_a, rev_b = _revision(a, "A"), _revision(b, "B")
    if rev_a != rev_b:
        found.append(Difference("alembic_version", "", "schema revision", rev_a, rev_b))
    for table in workspace_tables():
        if len(found) >= limit:
            break
        found += _compare_table(a, b, table, limit - len(found))
    return found[:limit]


def _revision(conn: Connection, side: str) -> str:
    try:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar())
    except SQLAlchemyError as exc:
        raise CompareFailed(f"Workspace {side} has no readable schema version ({_why(exc)}).") \
            from exc


def _compare_table(a: Connection, b: Connection, table: Table, limit: int) -> list[Difference]:
    digests_a = _digests(a, table, "A")
    digests_b = _digests(b, table, "B")
    found: list[Difference] = []
    keys = sorted(set(digests_a) | set(digests_b), key=lambda k: tuple(map(str, k)))
    for key in keys:
        if len(found) >= limit:
            break
        if key not in digests_b:
            found.append(Difference(table.name, _key_text(table, key), "only in A"))
        elif key not in digests_a:
            found.append(Difference(table.name, _key_text(table, key), "only in B"))
        elif digests_a[key] != digests_b[key]:
            found += _columns_differing(a, b, table, key)
    return found


def _digests(conn: Connection, table: Table, side: str) -> dict[tuple[Any, ...], str]:
    """Primary key -> digest of the row's canonical values (blobs hashed in chunks)."""
    pk = [c.name for c in table.primary_key.columns]
    # evidence bytes are hashed in chunks; any other binary column is small and read whole
    chunked = table.name == BLOB_TABLE
    out: dict[tuple[Any, ...], str] = {}
    try:
        for row in iter_rows(conn, table, skip=tuple(blob_columns(table)) if chunked else ()):
            if chunked:
                row["data"] = chunks_sha256(blob_chunks(conn, str(row["sha256"])))
            out[tuple(row[name] for name in pk)] = row_digest(row)
    except (SQLAlchemyError, ValueError, TypeError) as exc:
        raise CompareFailed(
            f"Table {table.name} of workspace {side} cannot be read ({_why(exc)})."
        ) from exc
    return out


def _columns_differing(a: Connection, b: Connection, table: Table, key: tuple[Any, ...]
                       ) -> list[Difference]:
    row_a, row_b = _row(a, table, key), _row(b, table, key)
    found = []
    for column in table.columns:
        va, vb = canonical(row_a.get(column.name)), canonical(row_b.get(column.name))
        if va != vb:
            found.append(Difference(table.name, _key_text(table, key), column.name,
                                    _show(va), _show(vb)))
    return found or [Difference(table.name, _key_text(table, key), "row", "?", "?")]


def _row(conn: Connection, table: Table, key: tuple[Any, ...]) -> dict[str, Any]:
    stmt = select(table).where(*(c == v for c, v in zip(table.primary_key.columns, key,
                                                           strict=True)))
    row = conn.execute(stmt).mappings().first()
    return dict(row) if row is not None else {}


def _key_text(table: Table, key: tuple[Any, ...]) -> str:
    names = [c.name for c in table.primary_key.columns]
    return ", ".join(f"{n}={_show(v, 40)}" for n, v in zip(names, key, strict=True))


def _show(value: Any, limit: int = _SHOWN) -> str:
    text_ = repr(value)
    return text_ if len(text_) <= limit else text_[: limit - 1] + "…"


def _why(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]
