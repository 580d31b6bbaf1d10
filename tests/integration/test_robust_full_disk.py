"""A full, forbidden or read-only disk is one clear line, exit 2, and nothing left behind.

Issue 13: at ~40 KB free, ``export`` printed a stray ``ZipFile.__del__`` traceback after its error,
``demo`` named its temporary file, ``copy`` escaped as a raw ``sqlite3`` traceback. Each writer
(packs, backup, demo, copy, screenshot) is checked two ways: with the disk refusing writes by a
patch (runs everywhere) and, where the test may mount one, on a real 8 KB tmpfs and a read-only
one.
"""

from __future__ import annotations

import errno
import gc
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import exp_data
import pytest
from openpyxl import Workbook

from qmsr_ready.core import demo as demo_module
from qmsr_ready.core.backups import BackupFailed, copy_database
from qmsr_ready.core.demo import DemoError, build_demo
from qmsr_ready.core.disk_errors import WriteFailure, human_size, write_failure
from qmsr_ready.core.export.xlsx import save as xlsx_save

QT_NOISE = "This plugin does not support propagateSizeHints"
SQLITE_FULL = 13


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return exp_data.build_workspace(tmp_path_factory.mktemp("full-disk") / "w.qmsr")


def error_lines(stderr: str) -> list[str]:
    """What the user reads on stderr, without the offscreen Qt plugin's known noise."""
    return [line for line in stderr.splitlines() if line.strip() and QT_NOISE not in line]


def assert_one_clear_line(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    lines = error_lines(proc.stderr)
    assert proc.returncode == 2, proc.stderr
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("qmsr-ready: error: ")
    assert "Traceback" not in proc.stderr
    assert "Exception ignored" not in proc.stderr
    for word in words:
        assert word in lines[0]


# --- the disk refuses writes by a patch (every machine) -----------------------------------

DRIVER = textwrap.dedent('''
    """Run the CLI with every Python-level file opened under FULL_DIR failing like a disk."""
    import builtins, errno, io, os, sys

    FULL_DIR = os.path.realpath(os.environ["FULL_DIR"])
    CODE = getattr(errno, os.environ["FULL_ERRNO"])
    budget = [int(os.environ["FULL_BUDGET"])]  # bytes the disk still takes
    real_open = builtins.open

    class FullFile:
        def __init__(self, f):
            self._f = f
        def write(self, data):
            if len(data) > budget[0]:
                budget[0] = 0  # full stays full
                raise OSError(CODE, os.strerror(CODE))
            budget[0] -= len(data)
            return self._f.write(data)
        def __getattr__(self, name):
            return getattr(self._f, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self._f.close()

    def patched_open(file, mode="r", *args, **kwargs):
        where = os.path.realpath(os.fspath(file)) if isinstance(file, (str, os.PathLike)) else ""
        inside = where.startswith(FULL_DIR + os.sep)
        if inside and any(m in mode for m in "wax+") and budget[0] < 0:
            raise OSError(CODE, os.strerror(CODE), os.fspath(file))
        f = real_open(file, mode, *args, **kwargs)
        return FullFile(f) if inside and any(m in mode for m in "wax+") else f

    builtins.open = io.open = patched_open
    from qmsr_ready.cli import main
    sys.exit(main(sys.argv[1:]))
''')


def run_on_refusing_disk(tmp_path: Path, folder: Path, code: str, budget: int,
                         *args: str) -> subprocess.CompletedProcess[str]:
    driver = tmp_path / "full_disk_driver.py"
    driver.write_text(DRIVER)
    env = {**os.environ, "FULL_DIR": str(folder), "FULL_ERRNO": code,
           "FULL_BUDGET": str(budget)}
    return subprocess.run([sys.executable, str(driver), *args], capture_output=True, text=True,
                          timeout=180, check=False, env=env)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
@pytest.mark.parametrize("budget", [0, 16 * 1024])
def test_export_on_a_full_disk_is_one_line_and_leaves_nothing(
    workspace: Path, tmp_path: Path, kind: str, budget: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    proc = run_on_refusing_disk(tmp_path, out, "ENOSPC", budget, "export", str(workspace),
                                "--inspection", exp_data.INSPECTION, f"--{kind}",
                                str(out / f"pack.{kind}"))
    assert_one_clear_line(proc, f"Cannot export to {out / f'pack.{kind}'}", "the disk is full",
                          "free", "nothing was written")
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_export_into_a_forbidden_file_says_permission_denied(
    workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    proc = run_on_refusing_disk(tmp_path, out, "EACCES", -1, "export", str(workspace),
                                "--inspection", exp_data.INSPECTION, "--xlsx",
                                str(out / "pack.xlsx"))
    assert_one_clear_line(proc, "permission denied", "choose a folder you can write to")
    assert list(out.iterdir()) == []


class _FullFile:
    """A file that takes ``budget`` bytes and then fails like a full disk, every time."""

    def __init__(self, path: Path, budget: int) -> None:
        self._f = path.open("wb")
        self.budget = budget

    def write(self, data: bytes) -> int:
        if len(data) > self.budget:
            self.budget = 0  # full stays full
            raise OSError(errno.ENOSPC, "No space left on device")
        self.budget -= len(data)
        return self._f.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._f, name)


def test_a_failed_workbook_save_leaves_no_zip_for_the_garbage_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The root of the stray traceback: openpyxl's ZipFile closed later by ``__del__``."""
    full = _FullFile(tmp_path / "pack.xlsx", budget=2048)
    real_zip = xlsx_save.ZipFile
    monkeypatch.setattr(xlsx_save, "ZipFile", lambda _path, *a, **kw: real_zip(full, *a, **kw))
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    wb = Workbook()
    for i in range(2000):
        wb.active.append([i, "x" * 60])  # type: ignore[union-attr]
    with pytest.raises(OSError, match="No space left"):
        xlsx_save.save_workbook(wb, tmp_path / "pack.xlsx")
    gc.collect()
    full.close()
    assert unraisable == []


def _sqlite_full() -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("database or disk is full")
    exc.sqlite_errorcode = SQLITE_FULL  # type: ignore[attr-defined]
    return exc


class _SourceOnFullDisk:
    """A source connection whose backup runs into a full destination disk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def backup(self, target: sqlite3.Connection, **_kw: Any) -> None:
        target.execute("CREATE TABLE half(x)")  # something was written before the disk filled
        raise _sqlite_full()

    def execute(self, sql: str) -> sqlite3.Cursor:
        return self._conn.execute(sql)


def test_backup_on_a_full_disk_names_the_space_needed_and_leaves_nothing(
    workspace: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "backups" / "copy.qmsr"
    dest.parent.mkdir()
    conn = sqlite3.connect(f"file:{workspace}?mode=ro", uri=True)
    try:
        with pytest.raises(BackupFailed) as caught:
            copy_database(_SourceOnFullDisk(conn), dest)  # type: ignore[arg-type]
    finally:
        conn.close()
    message = caught.value.message
    assert message.startswith(f"Cannot back up to {dest}: the disk is full (about ")
    assert f"{human_size(workspace.stat().st_size)} needed" in message
    assert "last change" not in message  # a backup changes nothing in the workspace
    assert list(dest.parent.iterdir()) == []


def test_demo_on_a_full_disk_names_the_target_not_its_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_fills(*_a: Any, **_kw: Any) -> None:
        raise _sqlite_full()  # raised inside ws.begin(): the workspace's own translation runs

    monkeypatch.setattr(demo_module.services, "create_site", disk_fills)
    target = tmp_path / "demo" / "d.qmsr"
    with pytest.raises(DemoError) as caught:
        build_demo(target)
    message = caught.value.message
    lead = f"Cannot write the demonstration workspace {target}: the disk is full"
    assert message.startswith(lead)
    assert ".demo-" not in message
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (OSError(errno.ENOSPC, "full"), WriteFailure.FULL),
        (OSError(errno.EDQUOT, "quota"), WriteFailure.FULL),
        (OSError(errno.EACCES, "denied"), WriteFailure.DENIED),
        (OSError(errno.EROFS, "ro"), WriteFailure.READ_ONLY),
        (_sqlite_full(), WriteFailure.FULL),
        (OSError(errno.ENOENT, "missing"), None),
        (ValueError("a bug"), None),
    ],
)
def test_write_failure_is_found_through_the_chain(exc: BaseException, kind: Any) -> None:
    outer = RuntimeError("wrapped")
    outer.__cause__ = exc
    assert write_failure(outer) is kind
    assert write_failure(exc) is kind


# --- a real tiny disk (when this test may mount one) --------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 KB tmpfs (smaller than any pack), or a skip saying why none can be mounted here."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8); the patched tests above cover it")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(mount_point)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {proc.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _commands(workspace: Path, out: Path) -> dict[str, list[str]]:
    code = exp_data.INSPECTION
    return {
        "xlsx": ["export", str(workspace), "--inspection", code, "--xlsx", str(out / "p.xlsx")],
        "pdf": ["export", str(workspace), "--inspection", code, "--pdf", str(out / "p.pdf")],
        "backup": ["backup", str(workspace), str(out / "b.qmsr")],
        "demo": ["demo", str(out / "d.qmsr")],
        "copy": ["copy", str(workspace), str(out / "c.qmsr")],
        "screenshot": ["gui", str(workspace), "--screenshot", str(out / "s.png")],
    }


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "qmsr_ready", *args], capture_output=True,
                          text=True, timeout=180, check=False, env=env)


WRITERS = ["xlsx", "pdf", "backup", "demo", "copy", "screenshot"]


@pytest.mark.slow
@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_on_a_real_8_kb_disk(workspace: Path, tiny_disk: Path, writer: str) -> None:
    proc = run_cli(*_commands(workspace, tiny_disk)[writer])
    assert_one_clear_line(proc, "full")
    assert list(tiny_disk.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_on_a_real_read_only_disk(
    workspace: Path, tiny_disk: Path, writer: str
) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    proc = run_cli(*_commands(workspace, tiny_disk)[writer])
    assert_one_clear_line(proc)
    assert "read-only" in proc.stderr or "folder you can write to" in proc.stderr
    assert list(tiny_disk.iterdir()) == []
