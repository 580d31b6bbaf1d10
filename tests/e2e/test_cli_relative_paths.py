"""Workspaces and packs named relative to the current folder, as people type them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
import exp_data


def test_export_and_import_accept_relative_names(tmp_path: Path) -> None:
    exp_data.build_workspace(tmp_path / "w.qmsr", signed=False)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "qmsr_ready", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=180, check=False)

    exported = run("export", "w.qmsr", "--inspection", exp_data.INSPECTION, "--xlsx", "p.xlsx")
    assert exported.returncode == 0, exported.stderr
    assert "Traceback" not in exported.stderr
    planned = run("import", "w.qmsr", "p.xlsx", "--dry-run")
    assert planned.returncode == 0, planned.stderr
    assert "nothing was changed" in planned.stdout
