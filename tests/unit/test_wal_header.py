"""``WalHeaderReader``: the ``-wal``'s stat and header through one kept descriptor, always the
bytes of the file the stat describes (a ``-wal`` made again is a new file), and no descriptor
left once closed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qmsr_ready.core import wal_header
from qmsr_ready.core.wal_header import WalHeaderReader

needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(),
                                reason="counts open descriptors through /proc")


def _open_on(path: Path) -> int:
    """How many of this process's descriptors lead to ``path``."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == str(path):
                count += 1
        except OSError:
            continue
    return count


def test_no_wal_is_none_and_a_wal_is_its_stat_and_header(tmp_path: Path) -> None:
    wal = tmp_path / "w.qmsr-wal"
    reader = WalHeaderReader(str(wal))
    assert reader.stamp() == (None, None)
    wal.write_bytes(b"A" * 32 + b"frames")
    stat, header = reader.stamp()
    st = wal.stat()
    assert stat == (st.st_ino, st.st_size, st.st_mtime_ns)
    assert header == b"A" * 32
    reader.close()


def test_a_header_rewritten_in_place_with_the_same_size_and_time_is_seen(tmp_path: Path) -> None:
    wal = tmp_path / "w.qmsr-wal"
    wal.write_bytes(b"A" * 40)
    reader = WalHeaderReader(str(wal))
    before = reader.stamp()
    times = (wal.stat().st_atime_ns, wal.stat().st_mtime_ns)
    with open(wal, "r+b") as f:  # a restarted log: new salts, same size
        f.write(b"B" * 32)
    os.utime(wal, ns=times)
    after = reader.stamp()
    assert after[0] == before[0]
    assert after[1] == b"B" * 32 != before[1]
    reader.close()


def test_a_wal_made_again_is_read_as_the_new_file(tmp_path: Path) -> None:
    wal = tmp_path / "w.qmsr-wal"
    wal.write_bytes(b"A" * 32)
    reader = WalHeaderReader(str(wal))
    assert reader.stamp()[1] == b"A" * 32
    wal.unlink()
    assert reader.stamp() == (None, None)
    wal.write_bytes(b"C" * 32)
    assert reader.stamp()[1] == b"C" * 32
    replacement = tmp_path / "new"
    replacement.write_bytes(b"D" * 32)
    os.replace(replacement, wal)  # another file under the name, the old one still open here
    stat, header = reader.stamp()
    assert header == b"D" * 32
    assert stat is not None
    assert stat[0] == wal.stat().st_ino
    reader.close()


def test_an_unreadable_wal_is_stamped_by_its_stat(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    wal = tmp_path / "w.qmsr-wal"
    wal.write_bytes(b"A" * 32)

    def refused(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(wal_header.os, "open", refused)
    for reader in (WalHeaderReader(str(wal)), _closed(WalHeaderReader(str(wal)))):
        stat, header = reader.stamp()
        assert stat is not None
        assert stat[1] == 32
        assert header is None


def _closed(reader: WalHeaderReader) -> WalHeaderReader:
    reader.close()
    return reader


@needs_proc
def test_one_descriptor_is_kept_and_none_after_close(tmp_path: Path) -> None:
    wal = tmp_path / "w.qmsr-wal"
    wal.write_bytes(b"A" * 32)
    reader = WalHeaderReader(str(wal))
    for _ in range(3):
        reader.stamp()
    assert _open_on(wal) == 1
    reader.close()
    assert _open_on(wal) == 0
    assert reader.stamp()[1] == b"A" * 32  # closed: read by opening it each time
    assert _open_on(wal) == 0


@needs_proc
def test_a_workspace_lets_go_of_its_wal_when_it_closes(fnd_inspection) -> None:  # type: ignore[no-untyped-def]
    from qmsr_ready.core.damaged import find_damaged_cached
    from qmsr_ready.core.services.responses import save_response

    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("a file's -wal")
    wal = Path(f"{ws.database_file}-wal")
    with ws.session() as s:
        assert find_damaged_cached(s, code) == []  # fills the clean cache: saves stamp
    with ws.write_connection() as w:
        save_response(w, "Bob", inspection_code=code, question_id="MO-01-Q01",
                      values={"result": "conforms"})
    assert _open_on(wal) >= 1  # SQLite's and the stamp's
    ws.close()
    assert _open_on(wal) == 0
    assert not wal.exists()
