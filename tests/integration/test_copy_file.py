"""`qmsr-ready copy` between files: lossless, checked, and never leaving half a copy behind."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from integration.copy_helpers import CODE, with_large_evidence

from qmsr_ready.cli import main
from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import initialise_file, open_workspace
from qmsr_ready.core.demo import build_demo
from qmsr_ready.core.errors import Cancelled
from qmsr_ready.core.transfer import copy as copy_module
from qmsr_ready.core.transfer.compare import Difference, compare_workspaces
from qmsr_ready.core.transfer.copy import CopyRefused, copy_workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.qmsr"
    build_demo(path, today=dt.date(2026, 11, 25))
    return path


def _differences(a: Path, b: Path) -> list[Difference]:
    with open_workspace(a, read_only=True) as wa, open_workspace(b, read_only=True) as wb, \
            wa.engine.connect() as ca, wb.engine.connect() as cb, ca.begin(), cb.begin():
        return compare_workspaces(ca, cb)


def _info(path: Path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT key, value FROM workspace_info"))
    finally:
        con.close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "copying" in p.name)


def test_round_trip_is_lossless_and_verified(demo: Path, tmp_path: Path) -> None:
    source = with_large_evidence(demo, tmp_path)
    first, second = tmp_path / "first.qmsr", tmp_path / "second.qmsr"
    report = copy_workspace(source, first)
    assert report.kept, report.summary()
    assert report.tables == 18
    assert report.rows > 500
    assert report.summary().endswith("chain verified; no differences.")
    assert copy_workspace(first, second).kept
    assert _differences(source, second) == []
    # the identity and the chain head travel with the rows
    assert _info(second) == _info(source)
    with open_workspace(second) as ws:
        with ws.session() as s:
            assert verify_chain(s).ok
        with ws.begin() as s:  # the copy is a working workspace: new rows get fresh keys
            finding = services.raise_finding(s, "Ann", inspection_code=CODE,
                                             title="After the copy", classification="minor")
            assert finding.code == "F-010"
        with ws.session() as s:
            assert verify_chain(s).ok
    assert _leftovers(tmp_path) == []


def test_compare_names_what_differs(demo: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.qmsr"
    shutil.copy(demo, edited)
    with open_workspace(edited) as ws, ws.begin() as s:
        services.update_finding(s, "Ann", CODE, "F-001", owner="Ann Owner")
    found = [str(d) for d in _differences(demo, edited)]
    assert any(d.startswith("findings id=") and "owner differs" in d and "'Ann Owner'" in d
               for d in found), found
    assert any("audit_events seq=" in d and d.endswith("only in B") for d in found), found


def test_existing_destination_is_refused_and_left_alone(demo: Path, tmp_path: Path) -> None:
    dest = tmp_path / "taken.qmsr"
    dest.write_bytes(b"someone's file")
    with pytest.raises(CopyRefused, match="already exists"):
        copy_workspace(demo, dest)
    assert dest.read_bytes() == b"someone's file"
    assert _leftovers(tmp_path) == []


def test_tampered_source_is_refused(demo: Path, tmp_path: Path) -> None:
    tampered, dest = tmp_path / "tampered.qmsr", tmp_path / "copy.qmsr"
    shutil.copy(demo, tampered)
    con = sqlite3.connect(tampered)
    with con:
        con.execute("UPDATE findings SET title = 'edited behind the app' WHERE id = 1")
    con.close()
    with pytest.raises(CopyRefused, match="does not verify"):
        copy_workspace(tampered, dest)
    assert not dest.exists()
    assert _leftovers(tmp_path) == []


class _CancelAfter:
    """Progress that asks to stop after ``n`` reports (a user pressing Cancel part-way)."""

    def __init__(self, n: int) -> None:
        self.left = n

    def report(self, done: int, total: int, message: str) -> None:
        self.left -= 1

    def cancelled(self) -> bool:
        return self.left <= 0


def test_interrupted_copy_leaves_nothing(demo: Path, tmp_path: Path) -> None:
    dest = tmp_path / "copy.qmsr"
    with pytest.raises(Cancelled):
        copy_workspace(demo, dest, progress=_CancelAfter(6))
    assert not dest.exists()
    assert _leftovers(tmp_path) == []


def test_failure_part_way_leaves_nothing(demo: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr(copy_module, "store_blob", broken)
    dest = tmp_path / "copy.qmsr"
    with pytest.raises(OSError, match="disk unplugged"):
        copy_workspace(demo, dest)
    assert not dest.exists()
    assert _leftovers(tmp_path) == []


def test_cli_copy_reports_and_refuses(demo: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "cli.qmsr"
    assert main(["copy", str(demo), str(dest)]) == 0
    out = capsys.readouterr().out
    assert "Copied " in out
    assert "chain verified; no differences." in out
    assert main(["compare", str(demo), str(dest)]) == 0
    assert "No differences" in capsys.readouterr().out
    assert main(["copy", str(demo), str(dest)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "already exists" in err


def test_cli_copy_that_differs_keeps_nothing_and_exits_1(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def one_difference(*_args: object, **_kwargs: object) -> list[Difference]:
        return [Difference("findings", "id=1", "title", "'a'", "'b'")]

    monkeypatch.setattr(copy_module, "compare_workspaces", one_difference)
    dest = tmp_path / "differs.qmsr"
    assert main(["copy", str(demo), str(dest)]) == 1
    out = capsys.readouterr().out
    assert "was not kept" in out
    assert "findings id=1: title differs ('a' vs 'b')" in out
    assert not dest.exists()
    assert _leftovers(tmp_path) == []


def test_copy_while_the_workspace_is_open_for_writing(demo: Path, tmp_path: Path) -> None:
    busy, dest = tmp_path / "busy.qmsr", tmp_path / "copy.qmsr"
    shutil.copy(demo, busy)
    with open_workspace(busy) as ws:  # the GUI holds it; the copy reads one snapshot
        with ws.begin() as s:
            services.update_finding(s, "Ann", CODE, "F-001", owner="Still working")
        assert copy_workspace(busy, dest).kept
    assert _differences(busy, dest) == []


def test_older_schema_source_is_refused(tmp_path: Path) -> None:
    old, dest = tmp_path / "old.qmsr", tmp_path / "copy.qmsr"
    initialise_file(old, "0003")
    with pytest.raises(CopyRefused, match="older QMSR Ready"):
        copy_workspace(old, dest)
    assert not dest.exists()
