"""One wording for a write that the disk refused: full, forbidden or read-only.

Every writer (packs, backups, the demonstration, copies, screenshots) meets the same three disk
failures, raised as ``OSError``, as ``sqlite3`` errors or wrapped by SQLAlchemy and our own
``QmsrError`` translations. ``write_failure`` finds which one it was anywhere in the exception's
chain and ``write_failure_message`` says, in one line, what was not written, why, how much space
there is (and is needed, when the writer knows) and what to do.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from enum import Enum
from pathlib import Path

# SQLite primary result codes (the low byte of an extended code)
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_FULL = 3, 8, 14, 13
_SQLITE_IOERR = 10
# Below this much free space an SQLite "disk I/O error" is the disk being full: SQLite reports a
# -shm or -wal it cannot grow as a plain I/O error (the -shm alone needs 32 KB).
_NEARLY_FULL = 1024 * 1024
_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_DENIED_ERRNOS = (errno.EACCES, errno.EPERM)


class WriteFailure(Enum):
    """Why the disk refused a write."""

    FULL = "full"
    DENIED = "denied"
    READ_ONLY = "read-only"


def write_failure(exc: BaseException | None) -> WriteFailure | None:
    """The disk failure behind ``exc`` (following causes and wrapped driver errors), or None."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        kind = _kind_of(exc)
        if kind is not None:
            return kind
        orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError keeps the driver's error
        if isinstance(orig, BaseException):
            kind = _kind_of(orig)
            if kind is not None:
                return kind
        exc = exc.__cause__ or exc.__context__
    return None


def _kind_of(exc: BaseException) -> WriteFailure | None:
    if isinstance(exc, OSError):
        if exc.errno in _FULL_ERRNOS:
            return WriteFailure.FULL
        if exc.errno in _DENIED_ERRNOS:
            return WriteFailure.DENIED
        if exc.errno == errno.EROFS:
            return WriteFailure.READ_ONLY
        return None
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary == _SQLITE_FULL:
            return WriteFailure.FULL
        if primary in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
            return WriteFailure.DENIED
    return None


def is_full_disk(exc: BaseException | None, folder: Path) -> bool:
    """Whether ``exc`` is the disk at ``folder`` being full: said so anywhere in its chain, or
    an SQLite I/O error while next to no space is left there."""
    if write_failure(exc) is WriteFailure.FULL:
        return True
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        for err in (exc, getattr(exc, "orig", None)):
            code = getattr(err, "sqlite_errorcode", None)
            if isinstance(err, sqlite3.Error) and isinstance(code, int) and (
                    code & 0xFF == _SQLITE_IOERR):
                free = free_bytes(folder)
                return free is not None and free < _NEARLY_FULL
        exc = exc.__cause__ or exc.__context__
    return False


def free_bytes(folder: Path) -> int | None:
    """Free space where ``folder`` lives, or None when it cannot be asked."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def human_size(size: int) -> str:
    """``size`` bytes as a person reads it: 512 bytes, 40 KB, 1.3 MB, 2.1 GB."""
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover (the loop always returns)


def write_failure_message(
    lead: str, target: Path, kind: WriteFailure, needed: int | None = None
) -> str:
    """One line: ``lead`` (what was not written), why, and what to do; nothing was written."""
    if kind is WriteFailure.DENIED and _read_only_mount(target.parent):
        kind = WriteFailure.READ_ONLY  # SQLite says "cannot open" for both
    if kind is WriteFailure.FULL:
        return f"{lead}: the disk is full{_space(target.parent, needed)}. Free some space or " \
            "choose another folder; nothing was written."
    if kind is WriteFailure.READ_ONLY:
        return f"{lead}: the disk is read-only. Choose a folder you can write to; nothing " \
            "was written."
    return f"{lead}: permission denied. The file may be open in another program, or the " \
        "folder is read-only; choose a folder you can write to. Nothing was written."


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def _space(folder: Path, needed: int | None) -> str:
    free = free_bytes(folder)
    if needed is not None and free is not None:
        return f" (about {human_size(needed)} needed, {human_size(free)} free)"
    if needed is not None:
        return f" (about {human_size(needed)} needed)"
    if free is not None:
        return f" ({human_size(free)} free)"
    return ""
