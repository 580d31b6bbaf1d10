"""A workspace in a folder nobody can write (an archive, a read-only share) opens read-only."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import WorkspaceLocked
from qmsr_ready.core.services import queries


def _lock_folder(folder: Path) -> bool:
    """Make ``folder`` unwritable even for root (chattr +i); False where that is impossible."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0


def _unlock_folder(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
    folder.chmod(0o755)


@pytest.fixture
def archived(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "w.qmsr"
    with open_workspace(path, create=True):
        pass
    for side in folder.glob("w.qmsr?*"):
        side.unlink()
    if not _lock_folder(folder):
        pytest.skip("cannot make a folder read-only on this file system")
    try:
        yield path
    finally:
        _unlock_folder(folder)


def test_read_only_folder_opens_read_only_and_refuses_a_writer(archived: Path) -> None:
    before = archived.read_bytes()
    with open_workspace(archived, read_only=True) as ws, ws.session() as s:
        assert queries.list_inspections(s) == []
    with pytest.raises(WorkspaceLocked, match="open it read-only"):
        open_workspace(archived)
    assert archived.read_bytes() == before
    assert sorted(p.name for p in archived.parent.iterdir()) == ["w.qmsr"]


def test_changes_still_in_the_wal_are_never_hidden_by_a_read_only_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening immutable would ignore the -wal and show older data: refuse instead."""
    from qmsr_ready.core import workspace_file
    from qmsr_ready.core.errors import NotAWorkspace

    path = tmp_path / "w.qmsr"
    with open_workspace(path, create=True):
        pass
    (tmp_path / "w.qmsr-wal").write_bytes(b"\0" * 32)  # a journal that holds saved pages
    monkeypatch.setattr(workspace_file, "_folder_writable", lambda _folder: False)
    with pytest.raises(NotAWorkspace, match=r"still in w\.qmsr-wal"):
        workspace_file.read_only_uri(path)
    (tmp_path / "w.qmsr-wal").write_bytes(b"")
    assert workspace_file.read_only_uri(path).endswith("&immutable=1")
