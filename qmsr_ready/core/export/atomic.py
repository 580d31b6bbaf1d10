"""Never a half file: write beside the target, then rename over it in one step.

``atomic_target(path)`` yields a temporary path in the target's folder (same file system, so
``os.replace`` is atomic). On success it replaces the target; on any error or cancel it removes
the temporary file, so the target is either the previous file or the complete new one.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

from qmsr_ready.core.disk_errors import write_failure, write_failure_message
from qmsr_ready.core.errors import Cancelled, ExportFailed, QmsrError
from qmsr_ready.core.workspace_file import SQLITE_HEADER


def _is_database(path: Path) -> bool:
    """True for an existing SQLite file (a workspace, or any other database we must not clobber)."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_target(path: Path) -> None:
    """Refuse early, with a clear message, a target the export could never be written to,
    or one it must never overwrite (a workspace: replacing it would destroy every record)."""
    folder = path.parent
    if not folder.exists():
        raise ExportFailed(f"Cannot export to {path}: the folder {folder} does not exist.")
    if not folder.is_dir():
        raise ExportFailed(f"Cannot export to {path}: {folder} is not a folder.")
    if path.is_dir():
        raise ExportFailed(f"Cannot export to {path}: a folder with that name exists.")
    if path.suffix.lower() == ".qmsr" or _is_database(path):
        raise ExportFailed(
            f"Cannot export to {path}: that is a workspace or database file, and the export "
            "would replace it. Choose a file name ending in .xlsx or .pdf."
        )


def describe_os_error(path: Path, exc: OSError) -> str:
    """Turn an OSError into a message a user can act on (full, forbidden, read-only: the
    wording every writer shares, with the free space on a full disk)."""
    kind = write_failure(exc)
    if kind is not None:
        return write_failure_message(f"Cannot export to {path}", path, kind)
    if exc.errno == errno.ENOENT:
        return f"Cannot export to {path}: the folder {path.parent} does not exist."
    return f"Cannot export to {path}: {exc.strerror or exc}."


@contextlib.contextmanager
def atomic_target(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary file path; move it onto ``path`` only if the block succeeds."""
    target = Path(path)
    check_target(target)
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.stem}.", suffix=".part"
        )
    except OSError as exc:
        raise ExportFailed(describe_os_error(target, exc)) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    _apply_umask(tmp)
    try:
        yield tmp
        os.replace(tmp, target)
    except (Cancelled, QmsrError):
        _remove(tmp)
        raise
    except OSError as exc:
        _release_writers(exc)
        _remove(tmp)
        raise ExportFailed(describe_os_error(target, exc)) from None
    except BaseException:
        _remove(tmp)
        raise


def _release_writers(exc: BaseException) -> None:
    """Close what the failed writer left open now, quietly.

    A workbook writer that hit a full disk still holds its ``ZipFile`` in the traceback's
    frames; when that is collected later, ``ZipFile.__del__`` tries to write the directory
    again and prints a stray traceback after our one clear line. Clearing the frames here and
    collecting under a silent hook ends it before the message is shown.
    """
    previous = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        gc.collect()
    finally:
        sys.unraisablehook = previous


def _apply_umask(path: Path) -> None:
    """mkstemp creates 0600 files; give the pack the permissions a normal file would get, so
    colleagues can open it from a shared folder."""
    with contextlib.suppress(OSError):
        path.chmod(0o666 & ~_current_umask())


def _current_umask() -> int:
    """The process umask, read without os.umask(), which would change it for every thread."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def _remove(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink()
