"""The lean response save (issue 9 item 5): the row state is hashed from the values written, not
read back, so it must be exactly what ``verify`` reads from the row; the Core writes keep the
session's ORM objects current; the first save of a planned inspection still starts it."""

from __future__ import annotations

import json

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


def _traced_save(ws, code: str, qid: str, **fields) -> list[str]:
    """The SQL one save sends to SQLite, as SQLite runs it (the driver's trace callback)."""
    seen: list[str] = []
    with ws.begin() as s:
        raw = s.connection().connection.driver_connection
        raw.set_trace_callback(seen.append)
        try:
            services.record_response(s, "Alice", inspection_code=code, question_id=qid,
                                     **fields)
        finally:
            s.commit()
            raw.set_trace_callback(None)
    return [" ".join(q.split()[:3]).upper() for q in seen]


def test_a_save_reads_once_and_writes_each_row_once(fnd_inspection) -> None:
    """Issue 9 item 5: the target, its response row and the audit head in one SELECT, then one
    write per row (response, inspection's updated_at, event, head) and one COMMIT."""
    ws, code = fnd_inspection
    with ws.begin() as s:  # the first save also starts the planned inspection (its own event)
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q02",
                                 result="conforms")
    first = _traced_save(ws, code, "MO-01-Q01", result="conforms")
    again = _traced_save(ws, code, "MO-01-Q01", notes="Reviewed SOP-12")
    for statements, write in ((first, "INSERT INTO RESPONSES"), (again, "UPDATE RESPONSES SET")):
        assert statements == [
            "SELECT INSPECTIONS.ID, INSPECTIONS.CODE,",
            write,
            "UPDATE INSPECTIONS SET",
            "INSERT INTO AUDIT_EVENTS",
            "UPDATE WORKSPACE_INFO SET",
            "COMMIT",
        ], statements
    with ws.session() as s:
        assert verify_chain(s).ok


def _stored(ws, qid: str) -> tuple:
    """The response row as SQLite holds it (the datetime as its type and text length)."""
    with ws.session() as s:
        raw = s.connection().connection.driver_connection
        return raw.execute(
            "SELECT result, notes, sample_population, sample_size, records_reviewed,"
            " interviewees, assessed_by, typeof(assessed_at), length(assessed_at), revision"
            " FROM responses WHERE question_id = ?", (qid,)).fetchone()


def _last_raw_event(ws) -> tuple:
    with ws.session() as s:
        raw = s.connection().connection.driver_connection
        return raw.execute("SELECT typeof(at), length(at), changes, seq, hash FROM audit_events"
                           " ORDER BY seq DESC LIMIT 1").fetchone()


def test_server_steps_store_what_the_lean_path_stores(fnd_inspection, monkeypatch) -> None:
    """The Session steps (what a server runs) and the lean SQLite steps store the same text:
    the row's columns, the event's time and JSON, and the head; each reads the other's rows."""
    from qmsr_ready.core.services import responses

    ws, code = fnd_inspection
    lean_store, session_store = responses._DriverStore, responses._SessionStore
    fields = {"result": "minor_gap", "notes": 'Löss \u200b "quoted"', "sample_population": 9,
              "sample_size": 3, "records_reviewed": ["DHR-1", "DHR-2"]}
    with ws.begin() as s:  # start the planned inspection first, so both saves below are alike
        services.record_response(s, "Alice", inspection_code=code, question_id="MA-03-Q01",
                                 result="conforms")
    stored = {}
    for qid, store in (("MO-01-Q01", lean_store), ("MO-01-Q02", session_store)):
        monkeypatch.setattr(responses, "_DriverStore", store)
        with ws.begin() as s:
            services.record_response(s, "Alice", inspection_code=code, question_id=qid,
                                     **fields)
        stored[store] = (_stored(ws, qid), _last_raw_event(ws))
    lean, session = stored[lean_store], stored[session_store]
    assert lean[0] == session[0]
    assert lean[0][:7] == ("minor_gap", 'Löss \u200b "quoted"', 9, 3, "DHR-1\nDHR-2", "",
                           "Alice")
    assert lean[1][:2] == session[1][:2]  # the event's time: same type, same text form
    assert json.loads(lean[1][2]).keys() == json.loads(session[1][2]).keys()

    for store, revision in ((session_store, 1), (lean_store, 2)):  # lean over a Session row
        monkeypatch.setattr(responses, "_DriverStore", store)
        with ws.begin() as s:
            services.record_response(s, "Bob", inspection_code=code, question_id="MO-01-Q02",
                                     notes=f"by {store.__name__}", expected_revision=revision)
    monkeypatch.undo()
    assert _stored(ws, "MO-01-Q02")[-1] == 3
    seq, head_hash = _last_raw_event(ws)[3:]
    with ws.session() as s:
        raw = s.connection().connection.driver_connection
        head = dict(raw.execute("SELECT key, value FROM workspace_info"
                                " WHERE key LIKE 'audit_head_%'").fetchall())
        assert verify_chain(s).ok
    assert head == {"audit_head_seq": str(seq), "audit_head_hash": head_hash}
