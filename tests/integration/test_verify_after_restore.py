"""No false tamper alarm after Undo import / undo merge (issue 13 QA round 2, item 1).

``response.restore`` names who assessed the response and when; a later ordinary save sets them on
the side (its row state covers them, its change pairs do not name them). ``verify`` used to
compare the row with the restore's stale values and cry tamper on an untouched workspace.
"""

from __future__ import annotations

import sqlite3

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
