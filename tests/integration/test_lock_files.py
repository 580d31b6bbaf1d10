"""Lock files in a shared folder (issue 13 QA round 2, item 4).

They were created 0644 under the usual umask and never removed: another user of a shared 0666
workspace was locked out by a stale lock file they could not open for writing, and the shared
``/tmp/qmsr-ready-locks`` folder grew by one file per workspace ever opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from qmsr_ready.core import workspace_lock
from qmsr_ready.core.errors import WorkspaceLocked
from qmsr_ready.core.workspace_lock import WriterLock, acquire_writer_lock, identity_lock_path


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace-like file, with the identity-lock root moved into the test's folder."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(workspace_lock, "_POSIX_ROOT", str(root))
    target = tmp_path / "w.qmsr"
    target.write_bytes(b"x")
    return target


def _locks(path: Path) -> list[Path]:
    return [Path(f"{path.resolve()}.lock"), identity_lock_path(path.resolve())]


def test_lock_files_are_0666_whatever_the_umask_and_the_folder_is_sticky(shared: Path) -> None:
    old = os.umask(0o077)
    try:
        lock = acquire_writer_lock(shared)
    finally:
        os.umask(old)
    try:
        for path in _locks(shared):
            assert stat.S_IMODE(path.stat().st_mode) == 0o666
        folder = identity_lock_path(shared).parent
        assert stat.S_IMODE(folder.stat().st_mode) == 0o1777
    finally:
        lock.release()


def test_release_removes_the_lock_files_and_the_next_writer_gets_in(shared: Path) -> None:
    first = acquire_writer_lock(shared)
    with pytest.raises(WorkspaceLocked, match="already open for writing"):
        acquire_writer_lock(shared)
    first.release()
    for path in _locks(shared):
        assert not path.exists()
    second = acquire_writer_lock(shared)
    second.release()
    first.release()  # twice is harmless


def test_a_stale_unwritable_lock_file_does_not_lock_the_user_out(
        shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another user's 0644 lock file left by an older version (simulated: this test may run as
    root, who can write anything, so opening it for writing is refused here)."""
    stale = Path(f"{shared.resolve()}.lock")
    stale.write_text('{"user": "gone"}')
    real_open = os.open

    def refuse_write(path, flags, *args):  # type: ignore[no-untyped-def]
        if Path(path) == stale and flags & os.O_RDWR and stale.exists():
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(workspace_lock.os, "open", refuse_write)
    lock = acquire_writer_lock(shared)
    try:  # it was replaced by a fresh lock file this user owns and can write
        assert '"user": "gone"' not in stale.read_text()
    finally:
        lock.release()


def test_a_lock_on_a_file_removed_meanwhile_is_not_taken_as_the_lock(shared: Path) -> None:
    """A taker that opened the lock file just before its holder removed it must not hold the
    removed file (that would let two writers in): it opens the new one instead."""
    target = Path(f"{shared.resolve()}.lock")
    holder = acquire_writer_lock(shared)
    early = os.open(target, os.O_RDWR)
    holder.release()
    try:
        assert not workspace_lock._is_current(early, target)
        lock = WriterLock(shared).acquire()
        assert target.exists()
        assert workspace_lock._is_current(lock._held[0][0], target)
        lock.release()
    finally:
        os.close(early)
