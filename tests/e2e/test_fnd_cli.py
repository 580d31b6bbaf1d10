"""The installed command as a subprocess: version, inspections, verify (intact and tampered)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from qmsr_ready import __version__
from qmsr_ready.core import services


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "qmsr_ready", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_version() -> None:
    result = _run("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"qmsr-ready {__version__}")


def test_inspections_and_verify_while_workspace_is_open(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(
            s, "Alice", inspection_code=code, question_id="MO-01-Q01", result="conforms"
        )
    # the workspace stays open for writing (as in the GUI); the CLI reads it read-only
    listed = _run("inspections", str(ws.path), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["code"], r["status"], r["questions_answered"]) for r in rows] == [
        (code, "in_progress", 1)
    ]
    table = _run("inspections", str(ws.path))
    assert code in table.stdout
    assert "Acme Devices" in table.stdout
    verified = _run("verify", str(ws.path), "--json")
    assert verified.returncode == 0, verified.stdout
    report = json.loads(verified.stdout)
    assert report["ok"] is True
    assert report["integrity"] == "ok"
    assert report["event_count"] >= 4


def test_verify_names_first_broken_event(fnd_inspection) -> None:
    ws, _ = fnd_inspection
    path = ws.path
    ws.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_events SET entity_id = 'forged' WHERE seq = 2")
    conn.commit()
    conn.close()
    result = _run("verify", str(path))
    assert result.returncode == 1
    assert "first broken event: 2" in result.stdout
    as_json = json.loads(_run("verify", str(path), "--json").stdout)
    assert (as_json["ok"], as_json["first_broken_seq"]) == (False, 2)


def test_user_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    folder_result = _run("verify", str(tmp_path))
    missing_result = _run("inspections", str(tmp_path / "missing.qmsr"))
    for result in (folder_result, missing_result):
        assert result.returncode == 2
        assert result.stderr.startswith("qmsr-ready: error: ")
        assert "Traceback" not in result.stderr
    assert _run("no-such-command").returncode == 2
