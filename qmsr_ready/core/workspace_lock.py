"""One writer per workspace file, whatever name it is opened by.

Two advisory locks, both released by the operating system when the holder exits or is killed,
so a crashed writer never locks anyone out:

- ``<resolved path>.lock`` beside the file: the same file reached through a symlink resolves to
  the same lock, and other machines on a shared folder see it;
- ``/tmp/qmsr-ready-locks/<device>-<inode>.lock``: keyed by the file's identity, so a hard
  link (another name for the same inode) finds the same lock. The folder is fixed, not taken
  from ``TMPDIR``: two processes with different ``TMPDIR`` must still meet at one lock (a hard
  link has its own ``-wal``, so two writers through two names corrupt the file).

The holder writes who it is, since when and the path it opened into the lock files, so a refused
second writer can say whom to ask, and a process opening the same file by another name opens the
holder's path instead (``open_path_for``; only a record that names the same regular file by a
fully resolved path, in a lock file written by this user or the workspace file's owner: the folder
is shared, and a record naming a symlink could be re-pointed later): SQLite names the ``-wal``
after the path, so a reader through a hard link would read the main file only (older data, torn by
a checkpoint), and a writer through it would checkpoint its own ``-wal`` over the holder's. Lock
files are made 0666 (any user of a shared workspace may lock it) and removed on release while
still locked (a taker checks it locked the file still at that name). The workspace file itself is
never opened here: closing any descriptor of a SQLite file drops the process's POSIX locks on it,
which SQLite relies on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from qmsr_ready.core.errors import WorkspaceLocked

LOCK_DIR_NAME = "qmsr-ready-locks"
_POSIX_ROOT = "/tmp"
_WINDOWS_LOCK_OFFSET = 0x7FFF0000  # lock a byte far past the holder text, which stays readable
_ATTEMPTS = 8  # a lock file removed between our open and our lock is opened again


@dataclass(frozen=True)
class Holder:
    """Who holds a workspace for writing (as the holder recorded it)."""

    user: str
    host: str
    pid: int
    since: str  # ISO 8601, UTC
    path: str = ""  # the path the holder opened (resolved); "" from an older version

    def describe(self) -> str:
        when = self.since
        with contextlib.suppress(ValueError):
            when = dt.datetime.fromisoformat(self.since).astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{self.user} on {self.host} (process {self.pid}) since {when}"


def _me(path: Path) -> Holder:
    try:
        user = os.environ.get("QMSR_READY_USER") or getpass.getuser()
    except (OSError, KeyError):
        user = "unknown"
    return Holder(user, socket.gethostname(), os.getpid(), dt.datetime.now(dt.UTC).isoformat(),
                  str(path))


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
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]),
                      str(data.get("path") or ""))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def lock_root() -> Path:
    """Where identity locks live: the same for every process on this machine, whatever its
    environment (``/tmp`` on POSIX; Windows has no ``TMPDIR`` games, its temp folder serves)."""
    if os.name == "posix" and Path(_POSIX_ROOT).is_dir():
        return Path(_POSIX_ROOT)
    return Path(tempfile.gettempdir())  # pragma: no cover - Windows, or a POSIX without /tmp


def _identity_name(st: os.stat_result) -> str:
    return f"{st.st_dev}-{st.st_ino}.lock"


def identity_lock_path(path: Path) -> Path:
    """The identity-keyed lock for an existing file (device and inode)."""
    st = path.stat()
    folder = lock_root() / LOCK_DIR_NAME
    folder.mkdir(mode=0o1777, exist_ok=True)
    # Every local user shares it, like /tmp itself (sticky: nobody removes another's lock file);
    # the umask trims mkdir's mode and an older version made it 0755, so set it whenever ours.
    if folder.stat().st_mode & 0o7777 != 0o1777:
        with contextlib.suppress(OSError):  # not ours: its owner's mode stands
            folder.chmod(0o1777)
    return folder / _identity_name(st)


def _uid_of(path: Path) -> int | None:
    """The owner of ``path`` (not following a symlink); ``None`` where there are no owners."""
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: no POSIX owners to compare
        return None
    try:
        return os.lstat(path).st_uid
    except OSError:
        return -1  # gone: owned by nobody we trust


def _trusted_record(lock: Path, real: Path) -> bool:
    """Whether a lock file's record may steer which path we open: it must have been written by
    this user or by the workspace file's owner. The identity folder is shared by every local
    user, so anyone may leave a record there naming any path (the file stays theirs)."""
    mine = _uid_of(lock)
    if mine is None:  # pragma: no cover - Windows
        return True
    return mine in (os.getuid(), _uid_of(real))


def _recorded_path(record: Holder | None, real: Path, lock: Path) -> Path | None:
    """The other name of ``real`` a (live or killed) holder opened, if its record names one we
    can trust: fully resolved (no symlink anywhere, so nobody can re-point it later), a regular
    file that is ``real`` itself (same device and inode, not followed), in a lock file written
    by this user or the workspace's owner. Anything else is ignored and ``real`` is opened."""
    if record is None or not record.path:
        return None
    theirs = Path(record.path)
    if not theirs.is_absolute() or theirs == real or os.path.realpath(theirs) != str(theirs):
        return None
    try:
        st, want = os.lstat(theirs), os.stat(real)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) != (want.st_dev, want.st_ino):
        return None
    if not _trusted_record(lock, real):
        return None
    return theirs


def open_path_for(path: Path) -> Path:
    """The path to hand SQLite for ``path``: symlinks resolved, and, when a writer holds (or a
    killed writer held) the same file under another name (a hard link), that writer's path,
    whose ``-wal`` holds its latest commits. Never creates or locks anything."""
    real = path.resolve()
    try:
        lock = lock_root() / LOCK_DIR_NAME / _identity_name(real.stat())
    except OSError:
        return real
    return _recorded_path(_read_holder(lock), real, lock) or real


def _open(target: Path) -> tuple[int, bool]:
    """A descriptor on the lock file, and whether it is writable. A stale lock file another
    user left unwritable (created 0644 by an older version) is still lockable read-only."""
    try:
        return os.open(target, os.O_RDWR | os.O_CREAT, 0o666), True
    except PermissionError:
        if not target.exists():
            raise
    return os.open(target, os.O_RDONLY), False


def _is_current(fd: int, target: Path) -> bool:
    """Whether ``fd`` is still the file named ``target`` (a releasing holder removes it after
    we opened it but before we locked it: our lock on the removed file would guard nothing)."""
    if sys.platform == "win32":  # pragma: no cover - lock files are never removed there
        return True
    try:
        now, mine = os.stat(target), os.fstat(fd)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)


class WriterLock:
    """The writer lock on one workspace file; ``release()`` is safe to call twice."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # what SQLite is to open: the resolved path, or the other name a killed holder of the
        # same file opened (its -wal holds commits nobody has checkpointed yet)
        self.open_path = path
        self._held: list[tuple[int, Path]] = []  # descriptor and the lock file it locks

    def acquire(self) -> WriterLock:
        """Take both locks or raise ``WorkspaceLocked`` naming the holder."""
        real = self.path.resolve()
        targets = [Path(f"{real}.lock")]
        identity: Path | None = None
        if real.exists():
            # without a shared temp folder the lock beside the file still holds
            with contextlib.suppress(OSError):
                identity = identity_lock_path(real)
                targets.append(identity)
        try:
            previous = None
            for target in targets:
                record = self._take(target)
                if target == identity:
                    previous = record
            self.open_path = (_recorded_path(previous, real, identity) if identity else None
                              ) or real
            me = _me(self.open_path)
            for fd, _target in self._held:
                _write_record(fd, me)
        except BaseException:
            self.release()
            raise
        return self

    def _take(self, target: Path) -> Holder | None:
        """Lock ``target``; return what its last holder recorded (a killed one's stays)."""
        for _attempt in range(_ATTEMPTS):
            try:
                fd, writable = _open(target)
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
            if not _is_current(fd, target):
                os.close(fd)  # removed by its releasing holder meanwhile: take the new one
                continue
            if not writable and sys.platform != "win32":
                try:  # stale and unwritable: replace it with a writable one if the folder lets us
                    target.unlink()
                except OSError:
                    pass  # sticky folder, another user's file: the read-only lock holds as well
                else:
                    os.close(fd)
                    continue
            break
        else:  # pragma: no cover - only under a pathological storm of releases
            raise WorkspaceLocked(f"Cannot take the lock file {target}; try again.",
                                  str(self.path))
        self._held.append((fd, target))
        with contextlib.suppress(OSError):  # umask-proof: any user of a shared folder may lock
            os.fchmod(fd, 0o666)
        return _read_holder(target)

    def release(self) -> None:
        """Drop the locks, removing each lock file while still holding it (a taker that opened
        it meanwhile sees it is gone and takes the new one), so the lock folder does not grow."""
        while self._held:
            fd, target = self._held.pop()
            removed = False
            if sys.platform != "win32" and _is_current(fd, target):
                try:
                    target.unlink()
                    removed = True
                except OSError:
                    pass  # another user's file in the sticky folder: it stays, emptied
            if not removed:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
            os.close(fd)


def _write_record(fd: int, me: Holder) -> None:
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(me.__dict__).encode("utf-8"))


def acquire_writer_lock(path: Path) -> WriterLock:
    """Lock ``path`` for writing by its resolved name and its identity."""
    return WriterLock(path).acquire()
