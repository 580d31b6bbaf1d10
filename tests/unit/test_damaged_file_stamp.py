"""The files' stamp that vouches for a cached clean scan (damaged._file_stamp)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import SimpleNamespace

from qmsr_ready.core.damaged import _file_stamp


def _wal_file(tmp_path: Path) -> tuple[Path, sqlite3.Connection]:
    """A file with a -wal, kept while its connection is open (the last close removes it)."""
    path = tmp_path / "w.qmsr"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    return path, conn


def test_the_stamp_is_stable_and_sees_a_wal_header_change_alone(tmp_path: Path) -> None:
    path, conn = _wal_file(tmp_path)
    owner = SimpleNamespace(info={"database_file": str(path)})
    wal = Path(f"{path}-wal")
    first = _file_stamp(owner)  # type: ignore[arg-type]
    assert first == _file_stamp(owner)  # type: ignore[arg-type]
    assert first is not None
    assert first[2] == wal.read_bytes()[:32]

    # A restarted log keeps its size; where the clock is coarse its time too: only the salt
    # in the header tells.
    before = wal.stat()
    data = bytearray(wal.read_bytes())
    data[16] ^= 0xFF
    wal.write_bytes(bytes(data))
    os.utime(wal, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = _file_stamp(owner)  # type: ignore[arg-type]
    assert after is not None
    assert after[:2] == first[:2]
    assert after != first
    conn.close()


def test_no_wal_and_no_file(tmp_path: Path) -> None:
    path = tmp_path / "plain.qmsr"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    stamp = _file_stamp(SimpleNamespace(info={"database_file": str(path)}))  # type: ignore[arg-type]
    assert stamp is not None
    assert stamp[0] is not None
    assert stamp[1:] == (None, None)
    missing = {"database_file": str(tmp_path / "gone")}
    gone = _file_stamp(SimpleNamespace(info=missing))  # type: ignore[arg-type]
    assert gone == (None, None, None)
    assert _file_stamp(SimpleNamespace(info={})) is None  # type: ignore[arg-type]
