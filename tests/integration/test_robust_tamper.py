"""Tampering behind the application's back that the chain walk alone missed (issue 13).

Each case edits a closed workspace with plain sqlite3, then ``verify`` must fail and name the
entity. Deleting events and rewriting the stored head keeps the chain itself consistent, so
only the replay of the trail against the data can see it.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace


@pytest.fixture
def closed_workspace(fnd_inspection) -> Path:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(
            s, "Alice", inspection_code=code, question_id="MO-01-Q01", result="major_gap",
            notes="No index",
        )
        services.raise_finding(
            s, "Alice", inspection_code=code, title="No MDF index", classification="major",
            question_ids=["MO-01-Q01"],
        )
        services.attach_evidence(
            s, "Alice", inspection_code=code, filename="sop.txt", data=b"SOP-001 rev C",
            finding_code="F-001",
        )
    ws.close()
    return ws.path


def _verify(path: Path):
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return verify_chain(s)


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _drop_last_event_and_rewrite_head(path: Path) -> None:
    conn = sqlite3.connect(path)
    last = conn.execute("SELECT max(seq) FROM audit_events").fetchone()[0]
    conn.execute("DELETE FROM audit_events WHERE seq = ?", (last,))
    prev = conn.execute("SELECT hash FROM audit_events WHERE seq = ?", (last - 1,)).fetchone()[0]
    conn.execute("UPDATE workspace_info SET value = ? WHERE key = 'audit_head_seq'", (last - 1,))
    conn.execute("UPDATE workspace_info SET value = ? WHERE key = 'audit_head_hash'", (prev,))
    conn.commit()
    conn.close()


def test_untouched_workspace_verifies(closed_workspace: Path) -> None:
    report = _verify(closed_workspace)
    assert report.ok, report.data_problems


CASES = {
    "close every finding in SQL": (
        ["UPDATE findings SET status = 'closed'"], "finding MI-"),
    "edit a response's notes": (["UPDATE responses SET notes = 'All fine'"], "response MI-"),
    "add a finding row": ([
        "INSERT INTO findings (inspection_id, code, title, objective_evidence, requirement,"
        " classification, likely_483, severity, likelihood, owner, correction, root_cause,"
        " corrective_action, capa_reference, effectiveness_check, status, revision, created_at,"
        " updated_at) SELECT inspection_id, 'F-099', 'x', '', '', 'minor', 0, 1, 1, '', '', '',"
        " '', '', '', 'open', 1, created_at, updated_at FROM findings"], "finding MI-"),
    "delete a response row": (["DELETE FROM responses"], "response MI-"),
    "rename a site": (["UPDATE sites SET name = 'Other'"], "site SITE-001"),
    "sign off in SQL": (["UPDATE inspections SET status = 'signed_off'"], "inspection MI-"),
    "unlink evidence": (["DELETE FROM evidence_links"], "evidence MI-"),
    "swap evidence bytes": (["UPDATE evidence_blobs SET data = X'00'"], "evidence file"),
    "edit a template": (
        ["UPDATE checklist_templates SET content = json_set(content, '$.title', 'x')"],
        "template tiny-test@1.0"),
    "drop a table": (["DROP TABLE finding_questions"], "table finding_questions"),
    "empty the trail and the stored head": ([
        "DELETE FROM audit_events",
        "DELETE FROM workspace_info WHERE key LIKE 'audit_head%'"], "audit trail is empty"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_tampering_with_data_is_named(closed_workspace: Path, case: str) -> None:
    statements, named = CASES[case]
    _sql(closed_workspace, *statements)
    report = _verify(closed_workspace)
    assert not report.ok
    assert named in report.problem, report.data_problems


def test_deleting_the_last_event_and_rewriting_the_head_is_caught(closed_workspace: Path) -> None:
    _drop_last_event_and_rewrite_head(closed_workspace)
    report = _verify(closed_workspace)
    assert not report.ok
    assert "evidence MI-" in report.problem  # the last event linked the evidence


def test_cli_verify_exits_1_and_names_the_finding(closed_workspace: Path) -> None:
    _sql(closed_workspace, "UPDATE findings SET status = 'closed'")
    result = subprocess.run(
        [sys.executable, "-m", "qmsr_ready", "verify", str(closed_workspace)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "FAILED" in result.stdout
    assert "finding MI-" in result.stdout
    assert "status" in result.stdout


def test_report_builds_reuse_a_verified_head_and_app_writes_extend_it(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.session() as s:
        first = verify_chain(s)
    assert first.ok
    with ws.begin() as s:
        services.record_response(
            s, "Alice", inspection_code=code, question_id="MO-01-Q02", result="conforms"
        )
    with ws.session() as s:
        cached = verify_chain(s, cached=True)
        full = verify_chain(s)
    assert cached.ok
    assert cached.event_count == full.event_count > first.event_count
    assert cached.head_hash == full.head_hash
    assert full.ok
    with ws.session() as s:  # served from the cache: no walk, the same report object
        assert verify_chain(s, cached=True) is verify_chain(s, cached=True)
