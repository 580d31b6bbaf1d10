"""revert_exchange: Edit ▸ Undo import puts every field back, or refuses after a later edit."""

from __future__ import annotations

import datetime as dt

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.audit import events_for, verify_chain
from qmsr_ready.core.exchange.apply import ApplyRefused, apply_plan, revert_exchange
from qmsr_ready.core.exchange.snapshot import read_mine
from qmsr_ready.core.services.responses import get_response
from tests.integration.exchange_helpers import (
    FINDING,
    RESPONSE,
    base_of,
    matched,
    new_finding,
    plan,
)

Q1, Q2 = "MO-01-Q01", "MO-01-Q02"


@pytest.fixture
def imported(fnd_inspection):
    """An import that changed a response, closed a finding and raised a new one."""
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id=Q1,
                                 result="conforms", notes="seen")
        services.raise_finding(s, "Alice", inspection_code=code, title="CAPA late",
                               classification="minor", owner="Ann")
    with ws.session() as s:
        before = read_mine(s, code).rows
    with ws.begin() as s:
        base = base_of(s, code)
        applied = apply_plan(s, "Carol", plan(s, code, [
            matched(s, code, RESPONSE, Q1, {"notes": "seen twice", "sample_population": 4},
                    base),
            matched(s, code, RESPONSE, Q2, {"result": "major_gap"}, base),
            matched(s, code, FINDING, "F-001", {
                "status": "closed", "corrective_action": "Retrain", "effectiveness_check": "OK",
                "due_date": dt.date(2027, 1, 1)}, base),
            new_finding({"title": "New gap", "question_ids": (Q2,)}),
        ]))
    return ws, code, applied, before


def test_revert_puts_every_field_back_and_deletes_what_was_created(imported) -> None:
    ws, code, applied, before = imported
    with ws.begin() as s:
        revert_exchange(s, "Carol", applied)
    with ws.session() as s:
        after = read_mine(s, code).rows
        assert after == before
        actions = [e.action for e in events_for(s, inspection_code=code)]
        assert actions[-1] == "exchange.revert"
        assert "exchange.import" in actions
        assert verify_chain(s).ok


def test_revert_refuses_after_a_later_edit_and_changes_nothing(imported) -> None:
    ws, code, applied, _ = imported
    with ws.begin() as s:
        services.update_finding(s, "Alice", code, "F-001", owner="Later")
    with ws.session() as s:
        now = read_mine(s, code).rows
    with pytest.raises(ApplyRefused, match=r"Finding F-001 was changed after it"):
        _revert(ws, applied)
    with ws.session() as s:
        assert read_mine(s, code).rows == now


def test_revert_refuses_when_a_created_finding_was_edited(imported) -> None:
    ws, code, applied, _ = imported
    with ws.begin() as s:
        services.update_finding(s, "Alice", code, "F-002", title="Renamed")
    with pytest.raises(ApplyRefused, match="F-002"):
        _revert(ws, applied)


def _revert(ws, applied) -> None:
    with ws.begin() as s:
        revert_exchange(s, "Carol", applied)


def test_revert_restores_who_assessed_the_response_and_when(fnd_inspection) -> None:
    """QA: undo used to stamp the restored response with the undoer and the undo time."""
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id=Q1,
                                 result="conforms", notes="seen")
    with ws.session() as s:
        was = get_response(s, services.get_inspection(s, code).id, Q1)
        stamp = (was.assessed_by, was.assessed_at)
    with ws.begin() as s:
        applied = apply_plan(s, "Carol", plan(s, code, [
            matched(s, code, RESPONSE, Q1, {"notes": "seen twice"}, base_of(s, code))]))
    with ws.begin() as s:
        revert_exchange(s, "Dave", applied)
    with ws.session() as s:
        now = get_response(s, services.get_inspection(s, code).id, Q1)
        assert (now.notes, now.assessed_by, now.assessed_at) == ("seen", *stamp)
        assert [e.action for e in events_for(s, inspection_code=code)][-2:] == [
            "response.restore", "exchange.revert"]
        assert verify_chain(s).ok
