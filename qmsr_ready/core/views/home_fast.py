"""The home list's first read, with plain ``sqlite3``: painted before SQLAlchemy is imported.

Importing SQLAlchemy's ORM alone costs more than a bare PySide6 window takes to start, so at
start-up the GUI shows the inspections from this read (code, title, site, type, model, status,
dates, open findings), then opens the workspace as always and replaces the lines with the full
ones (progress, readiness, last export), in the same order: by code, like
``core.services.queries.list_inspections``.

Only an intact SQLite workspace at the schema this version writes, nobody else writing it, is
read here. A server URL, a missing, foreign, damaged, locked or migrating file, or a value not of
its kind returns ``None``: the caller skips this path and the full open says what is wrong. The
file is opened read-only (``mode=ro``) without waiting for a lock, so this never writes a byte
nor delays the full open. Nothing here imports SQLAlchemy (a test checks it in a subprocess).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.migrations import HEAD_REVISION
from qmsr_ready.core.vocab import FindingStatus
from qmsr_ready.core.workspace_file import APPLICATION_ID, SQLITE_HEADER, read_only_uri

__all__ = ["FastInspectionLine", "read_home_fast"]

# Any ``scheme://`` (a PostgreSQL server above all): not a file this read may open.
_URL = re.compile(r"^\s*[a-z][a-z0-9+.\-]*://", re.IGNORECASE)

# One pass: the columns the home list shows, open findings counted in SQL, by code.
_SQL = """
SELECT i.code, i.title, s.code, s.name, i.inspection_type, i.model, i.status,
       i.planned_start, i.planned_end,
       (SELECT count(*) FROM findings f WHERE f.inspection_id = i.id AND f.status != ?)
FROM inspections i JOIN sites s ON s.id = i.site_id
ORDER BY i.code
"""


@dataclass(frozen=True)
class FastInspectionLine:
    """What the first read knows of one inspection (no progress, readiness or export mark)."""

    code: str
    title: str
    site_code: str
    site_name: str
    inspection_type: str
    model: int
    status: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    findings_open: int


class _Skip(Exception):  # noqa: N818 (internal: "skip the fast path", never escapes)
    """This file is not for the fast path; the full open decides what to say."""


def read_home_fast(target: str | os.PathLike[str] | None) -> list[FastInspectionLine] | None:
    """The home list of the workspace file ``target``, or ``None`` to skip the fast path."""
    if target is None or (isinstance(target, str) and _URL.match(target)):
        return None
    try:
        path = Path(target)
        _check_file(path)
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=0, isolation_level=None)
        try:
            return _read(conn)
        finally:
            conn.close()
    except (_Skip, OSError, ValueError, sqlite3.Error, QmsrError):
        return None


def _check_file(path: Path) -> None:
    """A regular file with our header, no writer holding it (a lock file with a holder)."""
    if not path.is_file():
        raise _Skip
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise _Skip
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise _Skip
    from qmsr_ready.core.workspace_lock import identity_lock_path

    real = path.resolve()
    for lock in (Path(f"{real}.lock"), identity_lock_path(real)):
        # A holder writes its name into the lock file and empties or removes it on release:
        # someone may be writing (or a killed holder left it; the full open sorts that out).
        if lock.exists() and lock.stat().st_size > 0:
            raise _Skip


def _read(conn: sqlite3.Connection) -> list[FastInspectionLine]:
    conn.execute("BEGIN")  # one snapshot for the revision and the lines
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if revision != [(HEAD_REVISION,)]:  # the full open migrates it (with a backup) first
        raise _Skip
    lines = [_line(row) for row in conn.execute(_SQL, (FindingStatus.CLOSED.value,))]
    conn.execute("COMMIT")
    return lines


def _line(row: tuple[object, ...]) -> FastInspectionLine:
    code, title, site_code, site_name, kind, model, status, start, end, open_count = row
    texts = (code, title, site_code, site_name, kind, status)
    if not all(isinstance(v, str) for v in texts) or not isinstance(model, int) \
            or not isinstance(open_count, int):
        raise _Skip  # a damaged value: the full open names it
    return FastInspectionLine(
        code=str(code), title=str(title), site_code=str(site_code), site_name=str(site_name),
        inspection_type=str(kind), model=model, status=str(status),
        planned_start=_date(start), planned_end=_date(end), findings_open=open_count,
    )


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Skip
    return dt.date.fromisoformat(value)  # ValueError (not ISO): skipped by the caller
