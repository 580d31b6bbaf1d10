"""A full disk is not a damaged workspace (issue 13 QA round 2, item 5).

Opening a workspace whose ``-wal`` holds frames needs a ``-shm``; with no room for it SQLite says
"disk I/O error", which was reported as "damaged; restore it from a backup" for an intact file.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from qmsr_ready.core import disk_errors, workspace_file
from qmsr_ready.core.workspace_file import (
    WorkspaceDamaged,
    WorkspaceWriteFailed,
    inspect_workspace_file,
)

_IOERR_SHMSIZE = 10 | (19 << 8)


def _io_error(*_args: object, **_kwargs: object) -> sqlite3.Connection:
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorcode = _IOERR_SHMSIZE  # type: ignore[attr-defined]
    raise exc


@pytest.fixture
def path(fnd_workspace) -> Path:  # type: ignore[no-untyped-def]
    fnd_workspace.close()
    return Path(fnd_workspace.path)


def test_an_io_error_with_no_space_left_says_the_disk_is_full(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workspace_file.sqlite3, "connect", _io_error)
    monkeypatch.setattr(disk_errors, "free_bytes", lambda _folder: 0)
    with pytest.raises(WorkspaceWriteFailed, match="the disk is full") as caught:
        inspect_workspace_file(path)
    assert "damaged" not in str(caught.value)


def test_an_io_error_with_space_left_is_still_reported(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workspace_file.sqlite3, "connect", _io_error)
    monkeypatch.setattr(disk_errors, "free_bytes", lambda _folder: 10 * 2**30)
    with pytest.raises(WorkspaceDamaged, match="disk I/O error"):
        inspect_workspace_file(path)


def test_a_real_full_disk_with_no_shm(path: Path, tmp_path: Path) -> None:
    """The QA reproduction: the file and its -wal fit, the -shm does not."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
            capture_output=True, check=False).returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here; the patched tests cover it")
    try:
        with sqlite3.connect(path) as con:  # leave frames in a -wal beside a copy
            con.execute("PRAGMA wal_autocheckpoint = 0")
            con.execute("UPDATE workspace_info SET value = value")
            con.commit()
            shutil.copy(path, mount / "w.qmsr")
            shutil.copy(f"{path}-wal", mount / "w.qmsr-wal")
        free = shutil.disk_usage(mount).free
        (mount / "filler").write_bytes(b"\0" * (free - 4096))
        with pytest.raises(WorkspaceWriteFailed, match="the disk is full"):
            inspect_workspace_file(mount / "w.qmsr")
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
