"""Is this file one of our workspaces? Answered without writing a byte to it.

Opening never harms a file that is not ours: the header bytes and ``application_id`` are read
with plain file I/O, and the schema version through a read-only connection, before anything may
write. Kept apart from ``db`` because it is the one job every open starts with.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from pathlib import Path

from qmsr_ready.core.errors import NotAWorkspace, QmsrError

APPLICATION_ID = 0x514D5352  # "QMSR": tells our files apart from every other SQLite file
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


class WorkspaceDamaged(NotAWorkspace):
    """The file is ours but SQLite cannot read all of it (damaged pages, values or tables)."""


class WorkspaceWriteFailed(QmsrError):  # noqa: N818 (matches the QmsrError family's names)
    """The disk is full, read-only or refused access; the change was not saved."""


class WorkspaceBusy(WorkspaceWriteFailed):
    """Another program held the file's write lock longer than we wait; nothing was saved."""


def inspect_workspace_file(path: Path) -> str | None:
    """Check that ``path`` is one of our workspaces without writing to it; return its revision.

    Raises ``NotAWorkspace`` for a missing path, a folder, an empty, truncated, foreign or
    garbage file. Only plain reads and a ``mode=ro`` SQLite connection touch the file.
    """
    if path.is_dir():
        raise NotAWorkspace(f"{path} is a folder, not a QMSR Ready workspace file.")
    if not path.exists():
        raise NotAWorkspace(f"No workspace at {path}.")
    try:
        size = path.stat().st_size
        if size == 0:
            raise NotAWorkspace(f"{path} is empty; it is not a QMSR Ready workspace.")
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise NotAWorkspace(f"Cannot read {path} ({exc.strerror or exc}).") from exc
    if not header.startswith(SQLITE_HEADER[: len(header)]) or len(header) < len(SQLITE_HEADER):
        raise NotAWorkspace(f"{path} is not a QMSR Ready workspace (not a database file).")
    if len(header) < 100:
        raise NotAWorkspace(f"{path} is truncated; it is not a usable QMSR Ready workspace.")
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise NotAWorkspace(f"{path} is an SQLite database but not a QMSR Ready workspace.")
    if _looks_truncated(path, header, size):
        raise WorkspaceDamaged(f"{path} is truncated or damaged; restore it from a backup.")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            tables = {r[0] for r in rows}
            if "alembic_version" not in tables:
                raise NotAWorkspace(f"{path} has no schema version; it is not a usable workspace.")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        from qmsr_ready.core.disk_errors import WriteFailure, is_full_disk, write_failure_message

        if is_full_disk(exc, path.parent):  # no room for the -shm: the file is intact
            raise WorkspaceWriteFailed(write_failure_message(
                f"Cannot open {path}", path, WriteFailure.FULL)) from exc
        raise WorkspaceDamaged(f"{path} is damaged and cannot be read ({exc}).") from exc
    return row[0] if row else None


def _looks_truncated(path: Path, header: bytes, size: int) -> bool:
    """Whether the main file is shorter than its header says, with nothing to make up for it.

    The header's page count is only trusted when SQLite would trust it ("version-valid-for"
    equals the change counter), and never while a ``-wal`` holds frames: a checkpoint writes
    page 1 (with the new count) before the pages after it, so a kill or a full disk during a
    checkpoint leaves a short main file that SQLite reads completely from the WAL.
    """
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return True
    wal = Path(f"{path}-wal")
    with contextlib.suppress(OSError):
        if wal.stat().st_size > 0:
            return False  # SQLite decides (the read-only connection below replays the WAL)
    if size % page_size:
        return True
    change_counter = header[24:28]
    valid_for = header[92:96]
    page_count = int.from_bytes(header[28:32], "big")
    return valid_for == change_counter and size < page_size * page_count


def read_only_uri(path: Path) -> str:
    """The URI for reading ``path`` without writing to it.

    In WAL mode even a reader creates the ``-shm`` file beside the database; in a folder we
    cannot write (a read-only share, a CD, a locked-down archive) that fails, so there the file
    is opened as immutable: nobody can be writing it, since nobody can write its folder.
    """
    path = path.absolute()  # a relative name (as typed on the command line) has no file URI
    uri = f"{path.as_uri()}?mode=ro"
    if not _folder_writable(path.parent):
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            # Immutable would ignore the -wal and hide saved changes: refuse instead.
            raise NotAWorkspace(
                f"{path.name} has saved changes still in {wal.name}, and its folder is "
                "read-only, so they cannot be read safely. Copy both files to a folder you can "
                "write to and open the copy."
            )
        uri += "&immutable=1"
    return uri


def _folder_writable(folder: Path) -> bool:
    """Whether a file can be created in ``folder`` (tried for real: root ignores modes)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False
