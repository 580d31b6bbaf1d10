"""Consistent copies of a workspace, named and kept by one rule.

A copy is taken with SQLite's online backup API, so it is consistent while the workspace is
open and being written, and it is written under a temporary name and renamed into place, so a
full disk never leaves half a backup. Automatic backups (before a schema upgrade, before a
workbook import) are named by ``backup_name`` and thinned by ``prune_backups``: one retention
setting, ``QMSR_READY_KEEP_BACKUPS`` (default ``DEFAULT_KEEP``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from qmsr_ready.core.db_errors import os_error, translate_error
from qmsr_ready.core.disk_errors import write_failure, write_failure_message
from qmsr_ready.core.errors import QmsrError

if TYPE_CHECKING:
    from qmsr_ready.core.db import Workspace

DEFAULT_KEEP = 5
KEEP_ENV = "QMSR_READY_KEEP_BACKUPS"
_STAMP = re.compile(r"-(\d{8}T\d{6}Z)(?:-(\d+))?$")


class BackupFailed(QmsrError):  # noqa: N818 (matches the QmsrError family's names)
    """A backup could not be written (or would overwrite something it must not)."""


def keep_count() -> int:
    """How many automatic backups to keep per workspace (the one retention setting)."""
    raw = os.environ.get(KEEP_ENV, "").strip()
    if raw.isdigit() and int(raw) >= 1:
        return int(raw)
    return DEFAULT_KEEP


def backup_name(path: str | os.PathLike[str], reason: str) -> Path:
    """``<name>.bak-<reason>-<UTC stamp>`` beside ``path``; a suffix keeps it unused."""
    p = Path(path)
    clean = re.sub(r"[^A-Za-z0-9_.]+", "_", reason).strip("_.") or "backup"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = p.with_name(f"{p.name}.bak-{clean}-{stamp}")
    n = 1
    while dest.exists():
        n += 1
        dest = p.with_name(f"{p.name}.bak-{clean}-{stamp}-{n}")
    return dest


def list_backups(path: str | os.PathLike[str]) -> list[Path]:
    """The automatic backups of ``path`` beside it, oldest first (manual copies are kept)."""
    p = Path(path)
    prefix = f"{p.name}.bak-"
    manual = f"{prefix}manual-"
    found: list[tuple[str, int, Path]] = []
    with contextlib.suppress(OSError):
        for entry in p.parent.iterdir():
            m = _STAMP.search(entry.name)
            if entry.name.startswith(prefix) and not entry.name.startswith(manual) and m:
                found.append((m.group(1), int(m.group(2) or 1), entry))
    return [e for _, _, e in sorted(found)]


def prune_backups(path: str | os.PathLike[str], keep: int | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups of ``path``; return the deleted."""
    keep = keep_count() if keep is None else max(1, keep)
    backups = list_backups(path)
    removed = backups[: max(0, len(backups) - keep)]
    for old in removed:
        with contextlib.suppress(OSError):
            old.unlink()
    return removed


def copy_database(source: sqlite3.Connection, dest: Path) -> None:
    """Copy ``source`` to ``dest`` in one consistent step; no partial file is ever left.

    The copy is one self-contained file (journal mode DELETE, no ``-wal`` beside it), flushed
    to disk before it is renamed into place.
    """
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        target = sqlite3.connect(str(tmp))
        try:
            source.backup(target)  # pages=-1: one read transaction, so one point in time
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as exc:
        kind = write_failure(exc)
        if kind is not None:
            _remove_files(tmp)  # first, so the message counts the space it held as free
            message = write_failure_message(f"Cannot back up to {dest}", dest, kind,
                                            _size_of(source))
            raise BackupFailed(message) from exc
        mapped = os_error(exc, dest) if isinstance(exc, OSError) else translate_error(exc, dest)
        if mapped is None:
            raise
        raise BackupFailed(f"The backup was not written: {mapped.message}") from exc
    finally:
        _remove_files(tmp)


def _remove_files(tmp: Path) -> None:
    for leftover in (tmp, Path(f"{tmp}-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _size_of(source: sqlite3.Connection) -> int | None:
    """The size of the database being copied (what the backup needs on disk), if readable."""
    try:
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        page_size = source.execute("PRAGMA page_size").fetchone()[0]
    except sqlite3.Error:
        return None
    return int(pages) * int(page_size)


def backup_workspace(
    source: Workspace | str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    overwrite: bool = True,
) -> Path:
    """Write a consistent copy of a workspace (open or by path) to ``dest``; return its path.

    A path is opened read-only, so this works while another window or process writes it. A
    ``dest`` that is a folder receives ``backup_name(<name>, "manual")`` inside it.
    """
    from qmsr_ready.core.db import Workspace, open_workspace
    from qmsr_ready.core.server.url import display_location, is_server_url

    on_server = source.is_server if isinstance(source, Workspace) else is_server_url(source)
    if on_server:
        where = source.location if isinstance(source, Workspace) else display_location(source)
        raise BackupFailed(
            f"{where} is a server workspace: back it up with pg_dump (README, Server "
            "workspaces), or copy it into a file with: qmsr-ready copy URL FILE.qmsr"
        )
    if isinstance(source, Workspace):
        return _backup_open(source, Path(dest), overwrite)
    with open_workspace(source, read_only=True) as ws:
        return _backup_open(ws, Path(dest), overwrite)


def _backup_open(ws: Workspace, dest: Path, overwrite: bool) -> Path:
    dest = dest.expanduser().absolute()
    if dest.is_dir():
        dest = backup_name(dest / ws.path.name, "manual")
    if not dest.parent.is_dir():
        raise BackupFailed(f"Cannot back up to {dest}: the folder {dest.parent} does not exist.")
    if _same_file(dest, ws.path):
        raise BackupFailed("A backup cannot overwrite the workspace it copies.")
    if dest.exists() and not overwrite:
        raise BackupFailed(f"{dest} already exists; choose a new name or an empty folder.")
    raw = ws.engine.raw_connection()
    try:
        copy_database(raw.driver_connection, dest)  # type: ignore[arg-type]  # sqlite3 here
    finally:
        raw.close()
    return dest


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
