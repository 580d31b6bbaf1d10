"""A pack shows the audit trail's state where a reader looks first (issue 13 QA #2, #3)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from qmsr_ready.core import services


@pytest.fixture
def closed_workspace(fnd_inspection) -> tuple[Path, str]:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q01",
                                 result="conforms")
    ws.close()
    return ws.path, code


def _export(path: Path, code: str, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qmsr_ready", "export", str(path), "--inspection", code,
         "--xlsx", str(out / "p.xlsx"), "--pdf", str(out / "p.pdf"), "--json"],
        capture_output=True, text=True, timeout=180, check=False)


def _pack_texts(out: Path) -> tuple[str, str, str, dict[str, str]]:
    cover = PdfReader(out / "p.pdf").pages[0].extract_text()
    wb = load_workbook(out / "p.xlsx")
    first = wb.worksheets[0]
    cells = " ".join(str(c.value) for row in first.iter_rows() for c in row if c.value)
    meta = {str(r[3]): str(r[4]) for r in wb["_meta"].iter_rows(values_only=True)
            if r[0] == "info"}
    return cover, cells, str(wb.properties.description), meta


def test_a_tampered_workspace_exports_packs_that_say_broken(
        closed_workspace: tuple[Path, str], tmp_path: Path) -> None:
    path, code = closed_workspace
    conn = sqlite3.connect(path)
    conn.execute("UPDATE responses SET assessed_by = 'Mallory'")
    conn.commit()
    conn.close()
    result = _export(path, code, tmp_path)
    assert result.returncode == 0, result.stderr
    trail = json.loads(result.stdout)["audit_trail"]
    assert trail["verified"] is False
    assert trail["line"].startswith("Audit trail: BROKEN — response ")
    cover, summary, description, meta = _pack_texts(tmp_path)
    assert "Audit trail: BROKEN" in " ".join(cover.split())
    assert "Audit trail: BROKEN" in summary
    assert description.startswith("Audit trail: BROKEN")
    assert meta["audit_verified"] == "no"


def test_an_intact_workspace_pins_its_head_in_every_pack(
        closed_workspace: tuple[Path, str], tmp_path: Path) -> None:
    path, code = closed_workspace
    result = _export(path, code, tmp_path)
    assert result.returncode == 0, result.stderr
    trail = json.loads(result.stdout)["audit_trail"]
    assert trail["verified"] is True
    head = trail["head_hash"]
    assert len(head) == 64
    cover, summary, description, meta = _pack_texts(tmp_path)
    line = f"head {head[:12]}…"
    assert line in " ".join(cover.split())
    assert line in summary
    assert line in description
    assert meta["audit_head"] == head
    assert meta["audit_verified"] == "yes"
