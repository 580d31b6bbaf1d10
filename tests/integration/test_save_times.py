"""One clock reading per response save (issue 9): the row's ``assessed_at``, the inspection's
``updated_at`` and the event's ``at`` are the same instant, bound through one remembered
conversion; a planned inspection's first answer is stamped after the move it causes, so event
times follow their order; and saves at different instants store their own times."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from qmsr_ready.core import services
from qmsr_ready.core.services.responses import save_response


def _rows(ws, code: str, qid: str):  # type: ignore[no-untyped-def]
    with ws.session() as s:
        response = s.execute(text(
            "SELECT r.assessed_at FROM responses r JOIN inspections i ON i.id = r.inspection_id"
            " WHERE i.code = :c AND r.question_id = :q"), {"c": code, "q": qid}).scalar_one()
        updated = s.execute(text("SELECT updated_at FROM inspections WHERE code = :c"),
                            {"c": code}).scalar_one()
        events = s.execute(text("SELECT seq, at, action, entity_id FROM audit_events"
                                " ORDER BY seq")).all()
    return response, updated, events


@pytest.fixture
def file_inspection(fnd_inspection):  # type: ignore[no-untyped-def]
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("the file save path (a server stamps its event under its advisory lock)")
    return ws, code


def test_a_save_stamps_row_inspection_and_event_with_one_instant(file_inspection) -> None:  # type: ignore[no-untyped-def]
    ws, code = file_inspection
    with ws.write_connection() as w:  # planned: the move to in progress comes first
        save_response(w, "Bob", inspection_code=code, question_id="MO-01-Q01",
                      values={"result": "conforms"})
    assessed, updated, events = _rows(ws, code, "MO-01-Q01")
    moved, answered = events[-2], events[-1]
    assert (moved.action, moved.entity_id) == ("inspection.status", code)
    assert answered.entity_id == f"{code}/MO-01-Q01"
    assert answered.at == assessed == updated
    assert moved.at <= answered.at  # times follow the order of the trail
    with ws.write_connection() as w:  # in progress now: no joined Session
        save_response(w, "Bob", inspection_code=code, question_id="MO-01-Q02",
                      values={"result": "minor_gap"})
    assessed2, updated2, events2 = _rows(ws, code, "MO-01-Q02")
    assert events2[-1].at == assessed2 == updated2
    assert assessed2 >= assessed
    times = [e.at for e in events2]
    assert times == sorted(times)


def test_saves_at_different_instants_store_their_own_times(
        file_inspection, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    ws, code = file_inspection
    instants = iter([dt.datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=dt.UTC),
                     dt.datetime(2026, 3, 4, 5, 6, 8, tzinfo=dt.timezone(dt.timedelta(hours=2)))])
    with ws.begin() as s:  # in progress first, through the Session path
        services.record_response(s, "Alice", inspection_code=code, question_id="MA-03-Q01",
                                 result="conforms")
    monkeypatch.setattr("qmsr_ready.core.services.responses.utcnow", lambda: next(instants))
    with ws.write_connection() as w:
        save_response(w, "Bob", inspection_code=code, question_id="MO-01-Q01",
                      values={"result": "conforms"})
    first, _updated, _events = _rows(ws, code, "MO-01-Q01")
    with ws.write_connection() as w:
        save_response(w, "Bob", inspection_code=code, question_id="MO-01-Q02",
                      values={"result": "conforms"})
    second, updated, events = _rows(ws, code, "MO-01-Q02")
    # stored as naive UTC text: the +02:00 instant is 03:06:08 UTC, not the earlier one again
    assert str(second) == "2026-03-04 03:06:08.000000" == str(updated) == str(events[-1].at)
    assert str(first) == "2026-03-04 05:06:07.890123"
