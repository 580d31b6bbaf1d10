"""Responses: the recorded answer to each checklist question."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.fields import RESPONSE
from qmsr_ready.core.models import Response, utcnow
from qmsr_ready.core.reasons import na_reason
from qmsr_ready.core.services._common import (
    UNSET,
    apply_changes,
    field_value,
    question_ref,
    writable_inspection,
)
from qmsr_ready.core.services.inspections import mark_in_progress
from qmsr_ready.core.services.revisions import check_revision, locking
from qmsr_ready.core.vocab import Result


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
    """
    insp = writable_inspection(session, inspection_code, with_template=True)
    question_ref(insp, question_id)
    given = {"result": result, "notes": notes, "sample_population": sample_population,
             "sample_size": sample_size, "records_reviewed": records_reviewed,
             "interviewees": interviewees}
    # Limits, vocabulary and wording come from the RESPONSE spec (the workbook reads it too).
    values: dict[str, Any] = {name: field_value(RESPONSE.field(name), value)
                              for name, value in given.items() if value is not UNSET}

    response = session.execute(locking(session, select(Response).where(
        Response.inspection_id == insp.id, Response.question_id == question_id
    ))).scalar_one_or_none()
    current_revision = response.revision if response is not None else 0
    check_revision(session, what=f"The response to {question_id}", inspection_code=insp.code,
                   entity_id=f"{insp.code}/{question_id}", current=current_revision,
                   expected=expected_revision)
    current = None if response is None else {
        "result": response.result, "notes": response.notes,
        "sample_population": response.sample_population, "sample_size": response.sample_size}
    problem = check_response_values(question_id, values, current)
    if problem:
        raise InvalidInput(problem)
    created = response is None
    if response is None:
        response = Response(
            inspection_id=insp.id, question_id=question_id, result=Result.NOT_ASSESSED.value,
            notes="", sample_population=None, sample_size=None, records_reviewed="",
            interviewees="", assessed_by="", assessed_at=None, revision=0,
        )
    changes = apply_changes(response, values)
    if not changes:
        return response
    if created:
        session.add(response)
    response.revision += 1
    response.assessed_by = actor
    response.assessed_at = utcnow()
    mark_in_progress(session, actor, insp)
    insp.updated_at = utcnow()
    append_event(
        session, actor, "response.record", "response", f"{insp.code}/{question_id}",
        changes, insp.code,
    )
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
