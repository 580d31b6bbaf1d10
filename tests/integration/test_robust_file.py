"""The workspace file under the conditions issue 13 found: a -wal after a kill, other names for
the same file, damaged pages and values, full disks and stale locks."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import QmsrError, WorkspaceLocked
from qmsr_ready.core.services.responses import get_response


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qmsr_ready", *args],
        capture_output=True, text=True, timeout=180, check=False,
    )


def _snapshot_with_wal(src: Path, dest: Path) -> None:
    """What a SIGKILL during a checkpoint leaves: page 1 (new page count) written, the rest not."""
    shutil.copy(src, dest)
    shutil.copy(f"{src}-wal", f"{dest}-wal")
    with dest.open("r+b") as fh:
        header = bytearray(fh.read(100))
        count = int.from_bytes(header[28:32], "big")
        header[28:32] = (count + 50).to_bytes(4, "big")
        header[92:96] = header[24:28]  # SQLite would trust that count if there were no WAL
        fh.seek(0)
        fh.write(header)


def test_an_intact_workspace_with_a_wal_is_not_called_damaged(fnd_inspection, tmp_path) -> None:
    ws, code = fnd_inspection
    with ws.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
    with ws.begin() as s:
        for i, qid in enumerate(("MO-01-Q01", "MO-01-Q02", "MO-02-Q01")):
            services.record_response(s, "Alice", inspection_code=code, question_id=qid,
                                     result="conforms", notes="x" * 10000 * (i + 1),
                                     records_reviewed="r" * 30000, interviewees="i" * 30000)
    copy = tmp_path / "after-kill.qmsr"
    _snapshot_with_wal(ws.path, copy)
    with open_workspace(copy) as reopened, reopened.session() as s:
        report = verify_chain(s)
        notes = get_response(s, 1, "MO-01-Q02")
    assert report.ok, report.problem
    assert notes is not None
    assert len(notes.notes) == 20000


def test_a_symlink_and_a_hard_link_share_the_lock(fnd_workspace, tmp_path) -> None:
    link_dir = tmp_path / "elsewhere"
    link_dir.mkdir()
    soft = link_dir / "soft.qmsr"
    soft.symlink_to(fnd_workspace.path)
    hard = link_dir / "hard.qmsr"
    os.link(fnd_workspace.path, hard)
    for other in (soft, hard):
        with pytest.raises(WorkspaceLocked):
            open_workspace(other)
        with open_workspace(other, read_only=True) as ro, ro.session() as s:
            assert verify_chain(s).ok
    fnd_workspace.close()
    open_workspace(hard).close()


_HOLD = textwrap.dedent(
    """
    import sys, time
    from qmsr_ready.core.db import open_workspace
    ws = open_workspace(sys.argv[1])
    print("HELD", flush=True)
    time.sleep(120)
    """
)


def test_the_cli_names_the_holder_and_a_killed_holder_never_locks_anyone_out(
    fnd_workspace, tmp_path, monkeypatch
) -> None:
    path = fnd_workspace.path
    fnd_workspace.close()
    hard = tmp_path / "second-name.qmsr"
    os.link(path, hard)
    env = {**os.environ, "QMSR_READY_USER": "Holder Harriet"}
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(path)], stdout=subprocess.PIPE,
                              text=True, env=env)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "HELD"
        with pytest.raises(WorkspaceLocked) as err:
            open_workspace(hard)
        assert "Holder Harriet" in err.value.message
        assert "since" in err.value.message
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    open_workspace(hard).close()  # the dead holder's lock is gone with it


def _main(*args: str) -> tuple[int, str]:
    """Run the CLI in this process (fast); a traceback would escape as an exception here."""
    from qmsr_ready.cli import main

    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def _damage(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(data)


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory) -> Path:
    from qmsr_ready.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.qmsr"
    build_demo(path)
    with open_workspace(path, read_only=True):  # checkpointed: everything in the main file
        pass
    return path


@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(page=199, at=0, junk=b"\n\x00\x00\x00\x00\x00\x00\x80")  # quoted a newline
@given(page=st.integers(min_value=2, max_value=400), at=st.integers(0, 4000),
       junk=st.binary(min_size=8, max_size=64))
def test_damaged_pages_give_one_line_never_a_traceback(demo_copy, tmp_path, page, at, junk) -> None:
    target = tmp_path / f"damaged-{page}-{at}.qmsr"
    shutil.copy(demo_copy, target)
    size = target.stat().st_size
    _damage(target, min((page - 1) * 4096 + at, size - len(junk)), junk)
    for command in (["verify", str(target)], ["inspections", str(target)]):
        code, err = _main(*command)
        assert code in (0, 1, 2), (command, code, err)
        if code == 2:
            assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("value", ["{not json", "2026-13-45", "\udcff"])
def test_damaged_values_give_one_clear_line(demo_copy, tmp_path, value) -> None:
    target = tmp_path / "values.qmsr"
    shutil.copy(demo_copy, target)
    conn = sqlite3.connect(target)
    if value.startswith("{"):
        conn.execute("UPDATE inspections SET team = ?", (value,))
    elif value[0].isdigit():
        conn.execute("UPDATE inspections SET planned_start = ?", (value,))
    else:  # bytes that are not UTF-8, stored as text
        conn.execute("UPDATE inspections SET title = CAST(X'FFFE41' AS TEXT)")
    conn.commit()
    conn.close()
    code, err = _main("inspections", str(target))
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "damaged" in err
    code, err = _main("verify", str(target))
    assert code in (1, 2), err


def test_a_full_disk_is_one_clear_message_and_nothing_is_half_saved(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.engine.connect() as conn:  # what SQLite reports on a full disk: SQLITE_FULL
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    def attach_on_a_full_disk() -> None:
        with ws.begin() as s:
            s.connection().exec_driver_sql(f"PRAGMA max_page_count={pages + 1}")
            services.attach_evidence(s, "Alice", inspection_code=code, filename="big.bin",
                                     data=os.urandom(256 * 1024))

    with pytest.raises(QmsrError, match="disk is full"):
        attach_on_a_full_disk()
    with ws.session() as s:
        assert s.connection().exec_driver_sql("SELECT count(*) FROM evidence").scalar() == 0
        assert verify_chain(s).ok


_FULL_DEMO = textwrap.dedent(
    """
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
    from qmsr_ready.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_demo_on_a_full_disk_says_so_and_leaves_no_file(tmp_path) -> None:
    target = tmp_path / "demo.qmsr"
    result = subprocess.run([sys.executable, "-c", _FULL_DEMO, "demo", str(target)],
                            capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == []


_LIMITED = textwrap.dedent(
    """
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
    from qmsr_ready.cli import main
    sys.exit(main(sys.argv[2:]))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_export_on_a_full_disk_prints_one_line_and_no_stray_traceback(demo_copy, tmp_path) -> None:
    pack = tmp_path / "pack.xlsx"
    result = subprocess.run(
        [sys.executable, "-c", _LIMITED, "60000", "export", str(demo_copy),
         "--inspection", "MI-2026-002", "--xlsx", str(pack)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"qmsr-ready: error: Cannot export to {pack}: the disk is full (")
    assert line.endswith("free). Free some space or choose another folder; nothing was written.")
    assert list(tmp_path.iterdir()) == []
