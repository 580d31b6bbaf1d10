"""Turn what a damaged file or a failing disk raises into one clear ``QmsrError``.

SQLite reports a full disk, a read-only folder or a damaged page as ``sqlite3`` errors, and a
value damaged on disk (bad JSON, bad UTF-8, a date that is not ISO) surfaces as a ``ValueError``
while SQLAlchemy loads the row. None of these is a bug in the code that ran; each is the file or
the disk, so the user gets one line that says which and what to do.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from types import TracebackType

from sqlalchemy.exc import DBAPIError

from qmsr_ready.core.disk_errors import is_full_disk
from qmsr_ready.core.errors import InvalidInput, QmsrError
from qmsr_ready.core.workspace_file import (
    BUSY_TIMEOUT_MS,
    WorkspaceBusy,
    WorkspaceDamaged,
    WorkspaceWriteFailed,
)

# SQLite primary result codes (the low byte of an extended code)
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED = 3, 5, 6
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26
# Where SQLAlchemy turns stored values into Python ones: a ValueError raised under these frames
# is a damaged value, not a bug in the caller.
_LOADING_FILES = ("engine/result.py", "orm/loading.py", "engine/cursor.py")
_DAMAGED_MESSAGES = ("malformed", "not a database", "could not decode", "no such table",
                     "no such column", "file is not", "corrupt")


def one_line(text: str, limit: int = 160) -> str:
    """``text`` on one line, shortened: SQLite quotes damaged values, newlines and all."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def full_disk_message(path: Path) -> str:
    return (
        f"Cannot save to {path}: the disk is full. Free some space and try again; "
        "the last change was not saved."
    )


def translate_error(exc: BaseException, path: Path) -> QmsrError | None:
    """The ``QmsrError`` that explains ``exc`` for the workspace at ``path``, or None (a bug)."""
    if isinstance(exc, QmsrError):
        return None
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return translate_error(exc.orig, path)
    if isinstance(exc, sqlite3.Error):
        return _from_sqlite(exc, path)
    if isinstance(exc, OSError):
        return os_error(exc, path)
    if isinstance(exc, UnicodeEncodeError):  # a value the services did not check, as it is stored
        bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else ""
        return InvalidInput(
            f"A value to be saved contains a character that is not valid text ({bad!a} at "
            f"position {exc.start + 1} of {exc.object[:40]!a}), so nothing was saved. Retype "
            "the value, or check where it comes from (a setting or an environment variable).")
    if isinstance(exc, ValueError | TypeError | KeyError) and _raised_while_loading(
        exc.__traceback__
    ):
        return WorkspaceDamaged(
            f"{path} holds a value that cannot be read ({type(exc).__name__}: "
            f"{one_line(str(exc))}); the file "
            "is damaged. Run 'qmsr-ready verify' on it and restore it from a backup."
        )
    return None


def os_error(exc: OSError, path: Path) -> QmsrError:
    """A full disk, a read-only or forbidden place, or another I/O failure, in one line."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return WorkspaceWriteFailed(full_disk_message(path))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WorkspaceWriteFailed(
            f"Cannot write {path}: permission denied or a read-only disk. Choose a folder you "
            "can write to, or open the workspace read-only."
        )
    return WorkspaceWriteFailed(f"Cannot read or write {path}: {exc.strerror or exc}.")


def _from_sqlite(exc: sqlite3.Error, path: Path) -> QmsrError | None:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = one_line(str(exc))
    if primary == _SQLITE_FULL:
        return WorkspaceWriteFailed(full_disk_message(path))
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        # Only another program can hold it so long: this app's writers queue on the lock, and
        # a second copy of the app opens the file read-only (workspace_lock).
        return WorkspaceBusy(
            f"{path} is busy: another program has held it for more than "
            f"{BUSY_TIMEOUT_MS // 1000} seconds, so this change was not saved. Try again in a "
            "moment; if it keeps happening, close the program that has the file open (a "
            "database tool or a sync client)."
        )
    if primary in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
        return WorkspaceWriteFailed(
            f"Cannot write {path} ({text}): the file or its folder is read-only or not "
            "accessible. Open it read-only, or copy it to a folder you can write to."
        )
    if primary == _SQLITE_IOERR and is_full_disk(exc, path.parent):
        return WorkspaceWriteFailed(full_disk_message(path))
    if primary == _SQLITE_IOERR:
        return WorkspaceWriteFailed(
            f"Reading or writing {path} failed ({text}); the disk may be full or failing. "
            "The last change was not saved."
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or any(
        m in text.lower() for m in _DAMAGED_MESSAGES
    ):
        return WorkspaceDamaged(
            f"{path} is damaged ({text}). Run 'qmsr-ready verify' on it and restore it from a "
            "backup."
        )
    return None


def _raised_while_loading(tb: TracebackType | None) -> bool:
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename.replace("\\", "/")
        if "/sqlalchemy/" in name and name.endswith(_LOADING_FILES):
            return True
        if tb.tb_frame.f_code.co_name == "process_result_value":
            return True
        tb = tb.tb_next
    return False
