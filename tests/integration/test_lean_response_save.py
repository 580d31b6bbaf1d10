"""The lean response save (issue 9 item 5): the row state is hashed from the values written, not
read back, so it must be exactly what ``verify`` reads from the row; the Core writes keep the
session's ORM objects current; the first save of a planned inspection still starts it."""

from __future__ import annotations

from sqlalchemy import select

from qmsr_ready.core import services
from qmsr_ready.core.audit import STATE_KEY, verify_chain
from qmsr_ready.core.models import AuditEvent, Inspection, Response
from qmsr_ready.core.row_state import entity_state


def _last_event(s) -> AuditEvent:
    return s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()


def test_recorded_state_is_the_row_as_stored(fnd_inspection) -> None:
    ws, code = fnd_inspection
    saves = (
        {"result": "conforms"},  # first answer: an INSERT
        {"notes": "Reviewed  SOP-12\nand the log", "sample_population": 40, "sample_size": 12},
        {"records_reviewed": "DHR-1\nDHR-2", "interviewees": "QA lead", "sample_size": None},
        {"result": "not_applicable", "notes": "Not made on this site."},
    )
    for fields in saves:
        with ws.begin() as s:
            services.record_response(s, "Alice", inspection_code=code,
                                     question_id="MO-01-Q01", **fields)
            recorded = _last_event(s).changes[STATE_KEY]
            assert recorded == entity_state(s, "response", f"{code}/MO-01-Q01")
    with ws.session() as s:
        assert verify_chain(s).ok
        assert _last_event(s).changes[STATE_KEY] == entity_state(
            s, "response", f"{code}/MO-01-Q01")


def test_loaded_objects_follow_the_core_write(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q02",
                                 result="conforms")
    with ws.begin() as s:
        loaded = s.scalars(select(Response).where(Response.question_id == "MO-01-Q02")).one()
        insp = s.scalars(select(Inspection).where(Inspection.code == code)).one()
        before = insp.updated_at
        saved = services.record_response(s, "Bob", inspection_code=code,
                                         question_id="MO-01-Q02", result="minor_gap")
        assert saved is loaded
        assert (loaded.result, loaded.revision, loaded.assessed_by) == ("minor_gap", 2, "Bob")
        assert insp.updated_at >= before
        assert not s.dirty  # nothing left for the commit's flush to write again
    with ws.session() as s:
        row = s.scalars(select(Response).where(Response.question_id == "MO-01-Q02")).one()
        assert (row.result, row.revision, row.assessed_by) == ("minor_gap", 2, "Bob")


def test_unchanged_input_writes_nothing(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        first = services.record_response(s, "Alice", inspection_code=code,
                                         question_id="MO-01-Q01", result="conforms")
        seq = _last_event(s).seq
    with ws.begin() as s:
        same = services.record_response(s, "Alice", inspection_code=code,
                                        question_id="MO-01-Q01", result="conforms")
        assert (same.id, same.revision) == (first.id, 1)
        assert _last_event(s).seq == seq


def test_first_save_starts_a_planned_inspection(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q01",
                                 result="conforms")
    with ws.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
        assert actions[-2:] == ["inspection.status", "response.record"]
        assert s.scalars(select(Inspection.status)).one() == "in_progress"
        assert verify_chain(s).ok
