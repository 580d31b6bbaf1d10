"""Never a half file: write beside the target, then rename over it in one step.

``atomic_target(path)`` yields a temporary path in the target's folder (same file system, so
``os.replace`` is atomic). On success it replaces the target; on any error or cancel it removes
the temporary file, so the target is either the previous file or the complete new one.
``atomic_targets`` does the same for several packs, moving them into place only once all are
written. A symlinked target is written through (the link stays); a target that is, or leads
to, a workspace or one of its companions is refused (``check_target``).
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


# What SQLite and QMSR Ready keep beside a workspace ``ws.qmsr``: replacing one loses saved work
# (the -wal holds acknowledged commits) or lets a second writer in (the lock file).
_COMPANIONS = {
    "-wal": "write-ahead log (it holds saved changes)",
    "-shm": "shared-memory index",
    "-journal": "rollback journal",
    ".lock": "lock file",
}


def real_path(path: Path) -> Path:
    """``path`` with every symlink followed (also a dangling one): where the bytes would go."""
    return Path(os.path.realpath(path))


def workspace_part(path: Path, workspace: Path | None = None) -> str | None:
    """What of a workspace ``path`` is ("the workspace itself", "its write-ahead log" …), or
    None for a file an export may replace.

    Both the path as given and where its symlinks lead are checked. With ``workspace`` given,
    its own companions are recognised whatever the workspace is called; without it, by the
    names SQLite and QMSR Ready give them, and any SQLite file by its header.
    """
    candidates = [Path(os.path.abspath(path)), real_path(path)]
    if workspace is not None:
        ws_real = real_path(workspace)
        for p in candidates:
            if p == ws_real or _same_file(p, ws_real):
                return f"the workspace {ws_real.name} itself"
            if real_path(p.parent) == ws_real.parent and p.name.startswith(ws_real.name):
                rest = p.name[len(ws_real.name):]
                if rest in _COMPANIONS:
                    return f"the workspace {ws_real.name}'s {_COMPANIONS[rest]}"
                if rest.startswith(".bak-"):
                    return f"a backup of the workspace {ws_real.name}"
    for p in candidates:
        lower = p.name.lower()
        if lower.endswith(".qmsr"):
            return "a workspace file"
        for suffix, what in _COMPANIONS.items():
            if lower.endswith(".qmsr" + suffix) or (suffix != ".lock" and lower.endswith(suffix)):
                return f"a workspace's {what}"
        if ".qmsr.bak-" in lower:
            return "a workspace backup"
        if _is_database(p):
            return "a database file"
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_target(path: Path, workspace: Path | None = None) -> None:
    """Refuse early, with a clear message, a target the export could never be written to,
    or one it must never overwrite (a workspace or one of its companions: replacing it would
    destroy records). A symlink is judged by where it leads, since that is what is written."""
    real = real_path(path)
    folder = real.parent
    if not folder.exists():
        raise ExportFailed(f"Cannot export to {path}: the folder {folder} does not exist.")
    if not folder.is_dir():
        raise ExportFailed(f"Cannot export to {path}: {folder} is not a folder.")
    if real.is_dir():
        raise ExportFailed(f"Cannot export to {path}: a folder with that name exists.")
    message = refused_message(path, workspace)
    if message:
        raise ExportFailed(message)


def refused_message(path: Path, workspace: Path | None = None) -> str:
    """One line refusing a target that is (or leads to) a workspace or one of its files, or ""."""
    part = workspace_part(path, workspace)
    if part is None:
        return ""
    link = " (where the link leads)" if path.is_symlink() else ""
    return (f"Cannot export to {path.name}: that is {part}{link}, and an export never replaces "
            "a workspace or database file or the files beside it. Choose a file name ending in "
            ".xlsx or .pdf.")


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
    with atomic_targets([Path(path)]) as (tmp,):
        yield tmp


@contextlib.contextmanager
def atomic_targets(
    paths: list[Path], workspace: Path | None = None
) -> Iterator[tuple[Path, ...]]:
    """Yield one temporary file per target; move them all into place only if the block
    succeeds, so a cancel or error while writing the last one replaces none of them.

    A symlinked target is written through: the temporary file sits beside the file the link
    leads to and replaces that file, and the link stays a link.
    """
    for path in paths:
        check_target(path, workspace)
    reals = [real_path(path) for path in paths]
    temps: list[Path] = []
    current = paths[0] if paths else Path()
    try:
        for path, real in zip(paths, reals, strict=True):
            current = path
            temps.append(_make_temp(path, real))
        yield tuple(temps)
        for path, tmp, real in zip(paths, temps, reals, strict=True):
            current = path
            os.replace(tmp, real)
    except (Cancelled, QmsrError):
        _remove_all(temps)
        raise
    except OSError as exc:
        _release_writers(exc)
        _remove_all(temps)
        raise ExportFailed(describe_os_error(current, exc)) from None
    except BaseException:
        _remove_all(temps)
        raise


def _make_temp(target: Path, real: Path) -> Path:
    try:
        fd, tmp_name = tempfile.mkstemp(dir=real.parent, prefix=f".{real.stem}.", suffix=".part")
    except OSError as exc:
        raise ExportFailed(describe_os_error(target, exc)) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    _apply_umask(tmp)
    return tmp


def _remove_all(temps: list[Path]) -> None:
    for tmp in temps:
        _remove(tmp)


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
