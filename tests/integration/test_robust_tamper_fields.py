"""Fields the trail's change pairs do not name are still covered (issue 13 QA #1).

Each event records the state of the row it describes (``changes["_state"]``), so an SQL edit of
who assessed a response, when a finding closed, who added evidence, an element's reason or a
signature's time is named with its entity and field. Events written before row states keep
verifying and say what they do not cover instead of raising a false alarm.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qmsr_ready.core import services
from qmsr_ready.core.audit import GENESIS_HASH, compute_hash, verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.row_state import STATE_KEY


@pytest.fixture
def signed_workspace(fnd_inspection) -> Path:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q01",
                                 result="major_gap", notes="No index")
        services.raise_finding(s, "Alice", inspection_code=code, title="No MDF index",
                               classification="major", question_ids=["MO-01-Q01"],
                               corrective_action="Write the index",
                               effectiveness_check="Audit in 3 months")
        services.close_finding(s, "Alice", code, "F-001")
        services.attach_evidence(s, "Alice", inspection_code=code, filename="sop.txt",
                                 data=b"SOP-001 rev C", question_id="MO-01-Q01")
        services.sign_off(s, "Alice", code, name="Alice Lead", meaning="Approved")
    ws.close()
    return ws.path


def _verify(path: Path):
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return verify_chain(s)


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_untouched_signed_workspace_verifies_without_notes(signed_workspace: Path) -> None:
    report = _verify(signed_workspace)
    assert report.ok, report.data_problems
    assert report.notes == ()


CASES = {
    "assessed_by": ("UPDATE responses SET assessed_by = 'Mallory'",
                    "response MI-2026-001/MO-01-Q01: assessed_by"),
    "assessed_at": ("UPDATE responses SET assessed_at = '2020-01-01 00:00:00.000000'",
                    "response MI-2026-001/MO-01-Q01: assessed_at"),
    "signed_at": ("UPDATE signoffs SET signed_at = '2020-01-01 00:00:00.000000'",
                  "inspection MI-2026-001: its sign-offs"),
    "element reason": ("UPDATE inspection_elements SET reason = 'because' WHERE id = 1",
                       "inspection_element MI-2026-001/"),
    "element deleted": ("DELETE FROM inspection_elements WHERE id = 1",
                        "inspection_element MI-2026-001/"),
    "template title": ("UPDATE checklist_templates SET title = 'Other'",
                       "template tiny-test@1.0: title"),
    "evidence added_by": ("UPDATE evidence SET added_by = 'Mallory'",
                          "evidence MI-2026-001/E-001: added_by"),
    "finding closed_at": ("UPDATE findings SET closed_at = '2020-01-01 00:00:00.000000'",
                          "finding MI-2026-001/F-001: closed_at"),
    "finding updated_at": ("UPDATE findings SET updated_at = '2020-01-01 00:00:00.000000'",
                           "finding MI-2026-001/F-001: updated_at"),
    "blob deleted, foreign keys off": ("DELETE FROM evidence_blobs",
                                       "evidence MI-2026-001/E-001: its stored file"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_edit_of_an_unnamed_field_is_named(signed_workspace: Path, case: str) -> None:
    statement, named = CASES[case]
    with open_workspace(signed_workspace, read_only=True) as ws, ws.session() as s:
        code = s.execute(__import__("sqlalchemy").text("SELECT code FROM inspections")).scalar()
    assert code == "MI-2026-001"
    _sql(signed_workspace, statement)
    report = _verify(signed_workspace)
    assert not report.ok
    assert any(named in line for line in report.data_problems), report.data_problems


_COLUMNS = {  # table -> (key column for the one row, editable text or integer columns)
    "responses": ("notes", "records_reviewed", "interviewees", "assessed_by", "result"),
    "findings": ("title", "owner", "requirement", "capa_reference", "root_cause", "status"),
    "evidence": ("filename", "media_type", "added_by"),
    "sites": ("name", "fei_number", "address"),
    "inspections": ("title", "lead", "scope_notes"),
}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_column_edit_is_named_with_its_field(signed_workspace: Path, data: st.DataObject,
                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    table = data.draw(st.sampled_from(sorted(_COLUMNS)))
    column = data.draw(st.sampled_from(_COLUMNS[table]))
    value = data.draw(st.text(min_size=1, max_size=20))
    copy = tmp_path_factory.mktemp("tamper") / "w.qmsr"
    copy.write_bytes(signed_workspace.read_bytes())
    conn = sqlite3.connect(copy)
    old = conn.execute(f"SELECT {column} FROM {table} LIMIT 1").fetchone()[0]
    conn.execute(f"UPDATE {table} SET {column} = ?", (value,))
    conn.commit()
    conn.close()
    report = _verify(copy)
    if value == old:
        assert report.ok, report.data_problems
    else:
        assert not report.ok
        assert any(f": {column}" in line for line in report.data_problems), report.data_problems


def _strip_states(path: Path) -> None:
    """Rewrite the trail as an older version wrote it: no row states, chain recomputed."""
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT seq, at, actor, action, entity_type, entity_id, inspection_code,"
                        " changes FROM audit_events ORDER BY seq").fetchall()
    import datetime as dt

    prev = GENESIS_HASH
    for seq, at, actor, action, etype, eid, icode, changes in rows:
        data = json.loads(changes)
        data.pop(STATE_KEY, None)
        when = dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC)
        digest = compute_hash(seq=seq, at=when, actor=actor, action=action, entity_type=etype,
                              entity_id=eid, inspection_code=icode, changes=data, prev_hash=prev)
        conn.execute("UPDATE audit_events SET changes = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                     (json.dumps(data), prev, digest, seq))
        prev = digest
    conn.execute("UPDATE workspace_info SET value = ? WHERE key = 'audit_head_hash'", (prev,))
    conn.commit()
    conn.close()


def test_an_old_trail_verifies_and_says_what_it_does_not_cover(signed_workspace: Path) -> None:
    _strip_states(signed_workspace)
    report = _verify(signed_workspace)
    assert report.ok, report.data_problems
    assert report.notes
    assert "not covered by the trail before" in report.notes[0]
    # what the old events did carry is still checked
    _sql(signed_workspace, "UPDATE responses SET notes = 'fine'")
    assert not _verify(signed_workspace).ok


def test_an_old_trail_does_not_raise_a_false_alarm_on_unnamed_fields(
        signed_workspace: Path) -> None:
    _strip_states(signed_workspace)
    _sql(signed_workspace, "UPDATE responses SET assessed_by = 'Mallory'")
    report = _verify(signed_workspace)
    assert report.ok  # not covered, and said so
    assert report.notes


def test_new_events_after_an_old_trail_are_covered(signed_workspace: Path) -> None:
    _strip_states(signed_workspace)
    with open_workspace(signed_workspace) as ws, ws.begin() as s:
        services.reopen_inspection(s, "Bob", "MI-2026-001", reason="More to check")
        services.record_response(s, "Bob", inspection_code="MI-2026-001",
                                 question_id="MO-01-Q01", result="minor_gap")
    assert _verify(signed_workspace).ok
    _sql(signed_workspace, "UPDATE responses SET assessed_by = 'Mallory'")
    report = _verify(signed_workspace)
    assert any("assessed_by" in line for line in report.data_problems), report.data_problems
