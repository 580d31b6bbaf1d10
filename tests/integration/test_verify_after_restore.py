"""No false tamper alarm after Undo import / undo merge (issue 13 QA round 2, item 1).

``response.restore`` names who assessed the response and when; a later ordinary save sets them on
the side (its row state covers them, its change pairs do not name them). ``verify`` used to
compare the row with the restore's stale values and cry tamper on an untouched workspace.
"""

from __future__ import annotations

import sqlite3

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.exchange.apply import apply_plan, revert_exchange
from tests.integration.exchange_helpers import RESPONSE, base_of, matched, plan

Q1 = "MO-01-Q01"


def _restored_then_saved(fnd_inspection):  # type: ignore[no-untyped-def]
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id=Q1,
                                 result="conforms", notes="seen")
    with ws.begin() as s:
        applied = apply_plan(s, "Carol", plan(s, code, [
            matched(s, code, RESPONSE, Q1, {"notes": "seen twice"}, base_of(s, code))]))
    with ws.begin() as s:
        revert_exchange(s, "Dave", applied)
    with ws.begin() as s:  # an ordinary save by someone else: new assessor, new time
        services.record_response(s, "Bob", inspection_code=code, question_id=Q1,
                                 result="minor_gap")
    return ws, code


def test_a_save_after_undo_import_verifies(fnd_inspection) -> None:  # type: ignore[no-untyped-def]
    ws, _code = _restored_then_saved(fnd_inspection)
    with ws.session() as s:
        result = verify_chain(s)
    assert result.ok, (result.problem, result.data_problems)


def test_an_sql_edit_of_the_assessor_after_that_is_still_caught(fnd_inspection) -> None:  # type: ignore[no-untyped-def]
    ws, code = _restored_then_saved(fnd_inspection)
    ws.close()
    with sqlite3.connect(ws.path) as con:
        con.execute("UPDATE responses SET assessed_by = 'Mallory' WHERE question_id = ?", (Q1,))
    from qmsr_ready.core.db import open_workspace

    with open_workspace(ws.path, read_only=True) as again, again.session() as s:
        result = verify_chain(s)
    assert not result.ok
    assert f"response {code}/{Q1}: assessed_by" in " ".join(
        [result.problem, *result.data_problems])


def test_finding_and_roster_saves_after_undo_import_verify(fnd_inspection) -> None:  # type: ignore[no-untyped-def]
    """The other restore paths: a finding put back by undo, then closed and reopened normally."""
    from tests.integration.exchange_helpers import FINDING

    ws, code = fnd_inspection
    with ws.begin() as s:
        services.raise_finding(s, "Alice", inspection_code=code, title="CAPA late",
                               classification="minor", owner="Ann",
                               corrective_action="Retrain", effectiveness_check="Audit")
    with ws.begin() as s:
        applied = apply_plan(s, "Carol", plan(s, code, [
            matched(s, code, FINDING, "F-001", {"status": "closed", "owner": "Zoe"},
                    base_of(s, code))]))
    with ws.begin() as s:
        revert_exchange(s, "Dave", applied)
    with ws.begin() as s:
        services.close_finding(s, "Bob", code, "F-001")
    with ws.session() as s:
        result = verify_chain(s)
    assert result.ok, (result.problem, result.data_problems)


def _presented(fnd_inspection):  # type: ignore[no-untyped-def]
    from qmsr_ready.core.services import requests as req_service

    ws, code = fnd_inspection
    with ws.begin() as s:
        req_service.add_request(s, "Alice", inspection_code=code, text="Complaint log")
        req_service.move_request(s, "Alice", code, "R-001", "in_retrieval")
        req_service.present_items(s, "Alice", code, "R-001", [
            {"document_id": "SOP-001", "version": "C", "note": "binder 2", "filename": "sop.txt",
             "data": b"SOP C"}])
        services.attach_evidence(s, "Alice", inspection_code=code, filename="log.txt",
                                 data=b"log", question_id=Q1)
    ws.close()
    return ws.path


def _problems(path) -> list[str]:  # type: ignore[no-untyped-def]
    from qmsr_ready.core.db import open_workspace

    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        report = verify_chain(s)
    return [report.problem, *report.data_problems] if not report.ok else []


FORGERIES = {  # QA round 2, item 2: columns the trail's pairs do not name, and a duplicate link
    "a move's author": ("UPDATE request_moves SET \"by\" = 'Mallory'", "R-001: its moves"),
    "who showed an item": ("UPDATE presented_items SET presented_by = 'Mallory'",
                           "R-001: the items recorded as shown"),
    "when an item was shown": ("UPDATE presented_items SET presented_at = '2020-01-01 00:00:00'",
                               "R-001: the items recorded as shown"),
    "an item's note": ("UPDATE presented_items SET note = 'forged'",
                       "R-001: the items recorded as shown"),
    "an item's file": ("UPDATE presented_items SET evidence_id = NULL",
                       "R-001: the items recorded as shown"),
    "a duplicated evidence link": (
        "INSERT INTO evidence_links (evidence_id, question_id, finding_id)"
        " SELECT evidence_id, question_id, finding_id FROM evidence_links"
        " WHERE question_id IS NOT NULL", "its links"),
}


def test_request_history_and_links_verify_untouched(fnd_inspection) -> None:  # type: ignore[no-untyped-def]
    assert _problems(_presented(fnd_inspection)) == []


@pytest.mark.parametrize("what", sorted(FORGERIES))
def test_forged_request_history_and_links_are_named(fnd_inspection, what: str) -> None:  # type: ignore[no-untyped-def]
    path = _presented(fnd_inspection)
    statement, named = FORGERIES[what]
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute(statement)
    assert any(named in line for line in _problems(path)), _problems(path)
