"""``copy`` on a full disk speaks the shared disk wording (issue 13 QA round 2, item 6)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.transfer import copy as copy_module
from qmsr_ready.core.transfer.copy import copy_workspace


@pytest.fixture
def source(fnd_inspection) -> Path:  # type: ignore[no-untyped-def]
    ws, _code = fnd_inspection
    ws.close()
    return Path(ws.path)


@pytest.mark.parametrize("failure", [
    OSError(errno.ENOSPC, "No space left on device"),
    sqlite3.OperationalError("database or disk is full"),
])
def test_a_full_disk_is_said_the_shared_way_and_leaves_nothing(
        source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        failure: Exception) -> None:
    if isinstance(failure, sqlite3.Error):
        failure.sqlite_errorcode = 13  # type: ignore[attr-defined]  # SQLITE_FULL

    def full(_path: Path) -> None:
        raise failure

    monkeypatch.setattr(copy_module, "initialise_file", full)
    out = tmp_path / "out"
    with pytest.raises(QmsrError) as caught:
        copy_workspace(str(source), str(out / "c.qmsr"))
    message = caught.value.message
    assert message.startswith(f"Cannot copy to {out / 'c.qmsr'}: the disk is full")
    assert "nothing was written" in message
    assert list(out.iterdir()) == []
