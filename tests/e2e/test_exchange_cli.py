"""``qmsr-ready import`` and ``merge`` as subprocesses: exit codes 0/2/3, refusals write nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
import exp_data

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.exchange.snapshot import read_mine

CODE = exp_data.INSPECTION


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qmsr_ready", *args], capture_output=True,
                          text=True, timeout=180, check=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return exp_data.build_workspace(tmp_path_factory.mktemp("x") / "w.qmsr", signed=False)


@pytest.fixture
def workspace(original: Path, tmp_path: Path) -> Path:
    path = tmp_path / "w.qmsr"
    shutil.copy(original, path)
    return path


def _first_question(path: Path) -> str:
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return sorted(read_mine(s, CODE).of("response"))[0]


def _returned_pack(workspace: Path, tmp_path: Path, qid: str, notes: str) -> Path:
    """Export the pack through the CLI, then edit one Notes cell as a colleague would."""
    pack = tmp_path / "pack.xlsx"
    proc = run("export", str(workspace), "--inspection", CODE, "--xlsx", str(pack))
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(pack)
    sheet = wb["Checklist"]
    header = [c.value for c in sheet[1]]
    id_col, notes_col = header.index("Question ID") + 1, header.index("Notes") + 1
    row = next(r for r in range(2, sheet.max_row + 1)
               if sheet.cell(r, id_col).value == qid)
    sheet.cell(row, notes_col).value = notes
    wb.save(pack)
    return pack


def _notes(path: Path, qid: str) -> str:
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return str(read_mine(s, CODE).of("response")[qid]["notes"])


def test_export_is_recorded_then_import_dry_run_and_apply(workspace: Path, tmp_path: Path) -> None:
    qid = _first_question(workspace)
    pack = _returned_pack(workspace, tmp_path, qid, "Checked again by Bo")
    from qmsr_ready.core.exchange.exports import changed_since_export, last_export

    with open_workspace(workspace, read_only=True) as ws, ws.session() as s:
        assert last_export(s, CODE).file_name == "pack.xlsx"
        assert not changed_since_export(s, CODE)
    before = digest(workspace)
    dry = run("import", str(workspace), str(pack), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Checked again by Bo" in dry.stdout
    assert "[Update]" in dry.stdout
    assert digest(workspace) == before
    done = run("import", str(workspace), str(pack), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["applied"]["fields_written"] == 1
    assert Path(result["applied"]["backup"]).exists()
    assert _notes(workspace, qid) == "Checked again by Bo"
    with open_workspace(workspace, read_only=True) as ws, ws.session() as s:
        assert changed_since_export(s, CODE)
    verify = run("verify", str(workspace))
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_conflicts_exit_3_and_change_nothing_unless_a_policy_decides(
    workspace: Path, tmp_path: Path
) -> None:
    qid = _first_question(workspace)
    pack = _returned_pack(workspace, tmp_path, qid, "theirs")
    with open_workspace(workspace) as ws, ws.begin() as s:
        services.record_response(s, "Ann", inspection_code=CODE, question_id=qid, notes="mine")
    before = digest(workspace)
    dry = run("import", str(workspace), str(pack), "--dry-run")
    assert dry.returncode == 3
    assert "[Conflict]" in dry.stdout
    refused = run("import", str(workspace), str(pack))
    assert refused.returncode == 3
    assert refused.stderr.count("\n") == 1
    assert "nothing was applied" in refused.stderr
    assert digest(workspace) == before
    assert not list(tmp_path.glob("w.qmsr.bak-*"))
    taken = run("import", str(workspace), str(pack), "--on-conflict", "take-theirs")
    assert taken.returncode == 0, taken.stderr
    assert _notes(workspace, qid) == "theirs"


def test_bad_input_exits_2_with_one_line(workspace: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip at all")
    before = digest(workspace)
    for args in (("import", str(workspace), str(junk)),
                 ("merge", str(workspace), str(workspace), "--inspection", CODE),
                 ("merge", str(workspace), str(junk), "--inspection", CODE),
                 ("import", str(workspace), str(junk), "--on-conflict", "maybe")):
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert proc.stderr.strip().count("\n") == 0 or "usage:" in proc.stderr, proc.stderr
    assert digest(workspace) == before


def test_merge_cli(workspace: Path, tmp_path: Path) -> None:
    qid = _first_question(workspace)
    other = tmp_path / "other.qmsr"
    shutil.copy(workspace, other)
    with open_workspace(other) as ws, ws.begin() as s:
        services.record_response(s, "Bo", inspection_code=CODE, question_id=qid, notes="by Bo")
    missing = run("merge", str(workspace), str(other), "--inspection", "MI-1999-999")
    assert missing.returncode == 2
    assert missing.stderr.startswith("qmsr-ready: error:")
    dry = run("merge", str(workspace), str(other), "--inspection", CODE, "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    plan = json.loads(dry.stdout)
    assert plan["counts"]["updates"] == 1
    assert plan["applied"] is None
    done = run("merge", str(workspace), str(other), "--inspection", CODE)
    assert done.returncode == 0, done.stderr
    assert _notes(workspace, qid) == "by Bo"
    assert run("verify", str(workspace)).returncode == 0
