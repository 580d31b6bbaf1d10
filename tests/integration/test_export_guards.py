"""An export never destroys a workspace, never hides a mistake in the target, and is shareable."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import exp_data
import pytest

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import ExportFailed
from qmsr_ready.core.export import export_pdf, export_xlsx
from qmsr_ready.core.report import build_report


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return exp_data.build_target(tmp_path_factory.mktemp("guards") / "w.qmsr")


@pytest.fixture(scope="module")
def report(workspace: Path):  # type: ignore[no-untyped-def]
    with open_workspace(workspace, read_only=True) as ws, ws.session() as s:
        return build_report(s, exp_data.INSPECTION)


@pytest.mark.parametrize("export", [export_xlsx, export_pdf])
def test_export_refuses_to_overwrite_the_workspace(report, workspace: Path, export) -> None:
    before = workspace.read_bytes()
    with pytest.raises(ExportFailed, match="workspace or database file"):
        export(report, workspace)
    assert workspace.read_bytes() == before
    with open_workspace(workspace, read_only=True):
        pass


def test_export_refuses_a_qmsr_name_and_a_folder(report, tmp_path: Path) -> None:
    with pytest.raises(ExportFailed, match="workspace or database file"):
        export_pdf(report, tmp_path / "new.qmsr")
    assert not (tmp_path / "new.qmsr").exists()
    with pytest.raises(ExportFailed, match="a folder with that name exists"):
        export_xlsx(report, tmp_path)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_exported_file_follows_the_umask(report, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = export_xlsx(report, tmp_path / "pack.xlsx")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qmsr_ready", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_cli_refuses_same_file_for_both_packs_and_a_folder_name(
    workspace: Path, tmp_path: Path
) -> None:
    same = tmp_path / "pack.out"
    proc = run("export", str(workspace), "--inspection", exp_data.INSPECTION,
               "--xlsx", str(same), "--pdf", str(same))
    assert proc.returncode == 2
    assert "same file" in proc.stderr
    assert not same.exists()
    proc = run("export", str(workspace), "--inspection", exp_data.INSPECTION,
               "--xlsx", f"{tmp_path}/newdir/")
    assert proc.returncode == 2
    assert "is a folder" in proc.stderr
    assert not (tmp_path / "newdir").exists()
