"""Responses: the recorded answer to each checklist question."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any, cast

from sqlalchemy import CursorResult, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.fields import RESPONSE
from qmsr_ready.core.models import ChecklistTemplate, Inspection, Response, utcnow
from qmsr_ready.core.reasons import na_reason
from qmsr_ready.core.row_state import state_of
from qmsr_ready.core.services._common import (
    UNSET,
    _comparable,
    apply_changes,
    field_value,
    question_ref,
    writable_inspection,
)
from qmsr_ready.core.services.inspections import mark_in_progress
from qmsr_ready.core.services.revisions import check_revision, locking
from qmsr_ready.core.template_content import typed_by_sha256
from qmsr_ready.core.vocab import InspectionStatus, Result


def get_response(session: Session, inspection_id: int, question_id: str) -> Response | None:
    """The stored response to one question, or None if it was never recorded."""
    return session.execute(
        select(Response).where(
            Response.inspection_id == inspection_id, Response.question_id == question_id
        )
    ).scalar_one_or_none()


def record_response(
    session: Session,
    actor: str,
    *,
    inspection_code: str,
    question_id: str,
    result: Any = UNSET,
    notes: Any = UNSET,
    sample_population: Any = UNSET,
    sample_size: Any = UNSET,
    records_reviewed: Any = UNSET,
    interviewees: Any = UNSET,
    expected_revision: int | None = None,
) -> Response:
    """Save the given fields of one question's response; unchanged input writes nothing.

    ``expected_revision`` guards against overwriting a newer save (``RevisionConflict``).
    The lean path of every autosave: one read of the inspection, one of the response row, then
    one Core write of the row, the inspection's ``updated_at``, the event and the head, with the
    row state hashed from the values written (no read-back, no ORM unit of work).
    """
    target = session.execute(_TARGET, {"code": inspection_code}).first()
    if target is None or target.status == InspectionStatus.SIGNED_OFF:
        writable_inspection(session, inspection_code)  # raises NotFound / InspectionLocked
    assert target is not None
    template = typed_by_sha256(target.sha256, partial(_template_content, session,
                                                      target.template_id))
    if template.question(question_id) is None:
        question_ref(writable_inspection(session, inspection_code), question_id)  # raises
    given = {"result": result, "notes": notes, "sample_population": sample_population,
             "sample_size": sample_size, "records_reviewed": records_reviewed,
             "interviewees": interviewees}
    # Limits, vocabulary and wording come from the RESPONSE spec (the workbook reads it too).
    values: dict[str, Any] = {name: field_value(RESPONSE.field(name), value)
                              for name, value in given.items() if value is not UNSET}

    session.flush()  # a response changed through the ORM earlier in this session is read as stored
    row = session.execute(locking(session, _ROW),
                          {"i": target.id, "q": question_id}).mappings().first()
    stored = dict(row) if row is not None else None
    check_revision(session, what=f"The response to {question_id}",
                   inspection_code=target.code, entity_id=f"{target.code}/{question_id}",
                   current=stored["revision"] if stored else 0, expected=expected_revision)
    problem = check_response_values(question_id, values, stored)
    if problem:
        raise InvalidInput(problem)
    before = stored or _unanswered(target.id, question_id)
    changes = {name: [before[name], new] for name, new in values.items()
               if _comparable(before[name]) != _comparable(new)}
    if not changes:
        return _as_orm(session, before) if stored else Response(**before)
    now = utcnow()
    written = {name: pair[1] for name, pair in changes.items()}
    written.update(revision=before["revision"] + 1, assessed_by=actor, assessed_at=now)
    if target.status == InspectionStatus.PLANNED:
        insp = session.get(Inspection, target.id)
        assert insp is not None
        mark_in_progress(session, actor, insp)
    after = {**before, **written}
    if stored is None:
        inserted = cast(CursorResult[Any], session.execute(
            insert(_RESPONSES), {k: v for k, v in after.items() if k != "id"}))
        key = inserted.inserted_primary_key
        assert key is not None  # a single-row INSERT always has one
        after["id"] = key[0]
    else:
        session.execute(update(_RESPONSES).where(_RESPONSES.c.id == after["id"]), written)
    session.execute(_TOUCH, {"i": target.id, "now": now})
    _sync(session, Inspection, target.id, {"updated_at": now})
    append_event(
        session, actor, "response.record", "response", f"{target.code}/{question_id}",
        changes, target.code, state=state_of("response", after),
    )
    return _as_orm(session, after)


_RESPONSES = cast(Table, Response.__table__)
_INSPECTIONS = cast(Table, Inspection.__table__)
_TEMPLATES = cast(Table, ChecklistTemplate.__table__)
_TARGET = (
    select(_INSPECTIONS.c.id, _INSPECTIONS.c.code, _INSPECTIONS.c.status,
           _TEMPLATES.c.id.label("template_id"), _TEMPLATES.c.sha256)
    .join_from(_INSPECTIONS, _TEMPLATES, _INSPECTIONS.c.template_id == _TEMPLATES.c.id)
    .where(_INSPECTIONS.c.code == bindparam("code"))
)
_ROW = select(_RESPONSES).where(_RESPONSES.c.inspection_id == bindparam("i"),
                                _RESPONSES.c.question_id == bindparam("q"))
_TOUCH = (update(_INSPECTIONS).where(_INSPECTIONS.c.id == bindparam("i"))
          .values(updated_at=bindparam("now")))


def _template_content(session: Session, template_id: int) -> Any:
    """The template snapshot's content, read only when its hash was not parsed before."""
    return session.execute(select(_TEMPLATES.c.content)
                           .where(_TEMPLATES.c.id == template_id)).scalar_one()


def _unanswered(inspection_id: int, question_id: str) -> dict[str, Any]:
    """The row a first answer starts from (every column, so its state can be hashed)."""
    return {"id": None, "inspection_id": inspection_id, "question_id": question_id,
            "result": Result.NOT_ASSESSED.value, "notes": "", "sample_population": None,
            "sample_size": None, "records_reviewed": "", "interviewees": "",
            "assessed_by": "", "assessed_at": None, "revision": 0}


def _sync(session: Session, entity: type[Any], pk: int, values: Mapping[str, Any]) -> Any:
    """Bring a loaded ORM object up to date with a Core write (no SQL); None if not loaded."""
    obj = session.identity_map.get(identity_key(entity, pk))
    if obj is not None:
        for name, value in values.items():
            set_committed_value(obj, name, value)
    return obj


def _as_orm(session: Session, row: Mapping[str, Any]) -> Response:
    """The stored response as the session's ORM object, attached without a SELECT."""
    loaded = _sync(session, Response, row["id"], row)
    if isinstance(loaded, Response):
        return loaded
    response = Response(**row)
    make_transient_to_detached(response)
    session.add(response)
    return response


def check_response_values(question_id: str, values: Mapping[str, Any],
                          current: Mapping[str, Any] | None) -> str:
    """What ``record_response`` would refuse about ``values`` written over ``current`` (the
    stored response, or None when unanswered), as one line; "" when nothing.

    One rule in one place: the import planner calls this too, so a dry run refuses what the
    real run would.
    """
    cur = current or {}
    population = values.get("sample_population", cur.get("sample_population"))
    size = values.get("sample_size", cur.get("sample_size"))
    if population is not None and size is not None and size > population:
        return f"Sample size {size} is larger than the population {population} for {question_id}."
    return _na_reason_problem(values, cur, question_id)


def _na_reason_problem(values: Mapping[str, Any], cur: Mapping[str, Any],
                       question_id: str) -> str:
    """Refuse "Not applicable" without a reason in the notes (set now, or left by a clear).

    Only a change that sets N/A or edits the notes is checked, so an older N/A answer without a
    reason can still have its sampling edited.
    """
    if "result" not in values and "notes" not in values:
        return ""
    result = values.get("result", cur.get("result", Result.NOT_ASSESSED.value))
    if result != Result.NOT_APPLICABLE.value:
        return ""
    if na_reason(values.get("notes", cur.get("notes", ""))):  # visible, not a zero-width space
        return ""
    if "result" in values:
        return (f"Not applicable needs a reason: write in the notes why {question_id} does not "
                "apply to this site.")
    return (f"{question_id} is answered Not applicable: keep the reason in its notes, or choose "
            "another result first.")


def restore_response(
    session: Session,
    actor: str,
    *,
    inspection_code: str,
    question_id: str,
    values: Mapping[str, Any],
    assessed_by: str,
    assessed_at: Any,
) -> Response:
    """Put a response back exactly as it was before an exchange wrote it (Undo import/merge):
    its fields AND who assessed it when, so a later pack does not name the person undoing as
    the assessor. Audited as ``response.restore`` (the exchange's own ``exchange.revert``
    event follows)."""
    insp = writable_inspection(session, inspection_code)
    question_ref(insp, question_id)
    response = get_response(session, insp.id, question_id)
    if response is None:
        raise InvalidInput(f"{question_id} has no response to restore.")
    fields = {name: values[name] for name in _RESTORABLE if name in values}
    changes = apply_changes(response, {**fields, "assessed_by": assessed_by,
                                       "assessed_at": assessed_at})
    if not changes:
        return response
    response.revision += 1
    insp.updated_at = utcnow()
    append_event(session, actor, "response.restore", "response",
                 f"{insp.code}/{question_id}", changes, insp.code)
    return response


_RESTORABLE = RESPONSE.editable_fields
