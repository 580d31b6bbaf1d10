"""One writer per workspace file, whatever name it is opened by.

Two advisory locks, both released by the operating system when the holder exits or is killed,
so a crashed writer never locks anyone out:

- ``<resolved path>.lock`` beside the file: the same file reached through a symlink resolves to
  the same lock, and other machines on a shared folder see it;
- ``/tmp/qmsr-ready-locks/<device>-<inode>.lock``: keyed by the file's identity, so a hard
  link (another name for the same inode) finds the same lock. The folder is fixed, not taken
  from ``TMPDIR``: two processes with different ``TMPDIR`` must still meet at one lock (a hard
  link has its own ``-wal``, so two writers through two names corrupt the file).

The holder writes who it is and since when into the lock files, so a refused second writer can
say whom to ask. The workspace file itself is never opened here: closing any descriptor of a
SQLite file drops the process's POSIX locks on it, which SQLite relies on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from qmsr_ready.core.errors import WorkspaceLocked

LOCK_DIR_NAME = "qmsr-ready-locks"
_POSIX_ROOT = "/tmp"
_WINDOWS_LOCK_OFFSET = 0x7FFF0000  # lock a byte far past the holder text, which stays readable


@dataclass(frozen=True)
class Holder:
    """Who holds a workspace for writing (as the holder recorded it)."""

    user: str
    host: str
    pid: int
    since: str  # ISO 8601, UTC

    def describe(self) -> str:
        when = self.since
        with contextlib.suppress(ValueError):
            when = dt.datetime.fromisoformat(self.since).astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{self.user} on {self.host} (process {self.pid}) since {when}"


def _me() -> Holder:
    try:
        user = os.environ.get("QMSR_READY_USER") or getpass.getuser()
    except (OSError, KeyError):
        user = "unknown"
    return Holder(user, socket.gethostname(), os.getpid(), dt.datetime.now(dt.UTC).isoformat())


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _read_holder(path: Path) -> Holder | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8")[:4096])
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def lock_root() -> Path:
    """Where identity locks live: the same for every process on this machine, whatever its
    environment (``/tmp`` on POSIX; Windows has no ``TMPDIR`` games, its temp folder serves)."""
    if os.name == "posix" and Path(_POSIX_ROOT).is_dir():
        return Path(_POSIX_ROOT)
    return Path(tempfile.gettempdir())  # pragma: no cover - Windows, or a POSIX without /tmp


def identity_lock_path(path: Path) -> Path:
    """The identity-keyed lock for an existing file (device and inode)."""
    st = path.stat()
    folder = lock_root() / LOCK_DIR_NAME
    if not folder.is_dir():
        folder.mkdir(exist_ok=True)
        with contextlib.suppress(OSError):  # every local user shares it, like /tmp itself
            folder.chmod(0o1777)
    return folder / f"{st.st_dev}-{st.st_ino}.lock"


class WriterLock:
    """The writer lock on one workspace file; ``release()`` is safe to call twice."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fds: list[int] = []

    def acquire(self) -> WriterLock:
        """Take both locks or raise ``WorkspaceLocked`` naming the holder."""
        real = self.path.resolve()
        targets = [Path(f"{real}.lock")]
        if real.exists():
            # without a shared temp folder the lock beside the file still holds
            with contextlib.suppress(OSError):
                targets.append(identity_lock_path(real))
        me = _me()
        try:
            for target in targets:
                self._take(target, me)
        except BaseException:
            self.release()
            raise
        return self

    def _take(self, target: Path, me: Holder) -> None:
        try:
            fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise WorkspaceLocked(
                f"Cannot create the lock file {target} ({exc.strerror}); open it read-only.",
                str(self.path),
            ) from exc
        if not _try_lock(fd):
            os.close(fd)
            holder = _read_holder(target)
            who = f" by {holder.describe()}" if holder else ""
            raise WorkspaceLocked(
                f"{self.path} is already open for writing{who}. Close it there, or open it "
                "read-only.",
                str(self.path),
            )
        self._fds.append(fd)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps(me.__dict__).encode("utf-8"))

    def release(self) -> None:
        """Drop the locks (the files stay: deleting a lock file races with the next taker)."""
        while self._fds:
            fd = self._fds.pop()
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)


def acquire_writer_lock(path: Path) -> WriterLock:
    """Lock ``path`` for writing by its resolved name and its identity."""
    return WriterLock(path).acquire()
