"""The benchmarks' large workspace verifies (issue 13): its bulk rows carry the audit events the
services would write (fields, row state, chain and head), so ``verify`` finds it intact, and a
change behind the application's back is still named. It inserted responses and findings with no
events, so the benches measured a workspace ``verify`` called tampered."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from gen_scale_workspace import generate


def test_generated_workspace_verifies_and_still_catches_tampering(tmp_path: Path) -> None:
    path = tmp_path / "scale.qmsr"
    counts = generate(path, inspections=2, findings_per_inspection=3)
    assert counts["responses"] == 800
    assert counts["audit_events"] == 2 * (3 + 1900)  # each finding, each save of a response
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        report = verify_chain(s)
    assert report.ok, (report.problem, report.data_problems[:3])
    assert report.event_count > counts["audit_events"]  # plus the services' own events

    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE findings SET owner = 'Mallory' WHERE code = 'F-002'")
    conn.close()
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        report = verify_chain(s)
    assert not report.ok
    assert any("F-002: owner" in problem for problem in report.data_problems)
