"""Undo of "create inspection", and of the status move the first recorded work makes.

An inspection that holds recorded work (an answer, a finding, evidence, a request, a scribe
note, a sign-off, a plan or detail change…) is part of the record; undo must not throw that
away, so it refuses and says what holds it. Whether it holds work is read from the data, not
from the count of audit events: work that was recorded and then undone leaves events behind
but no work, and must not block the undo. The deletion itself is audited
(``inspection.delete``), and so is a status move back to planned (``inspection.status``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.fields import RESPONSE
from qmsr_ready.core.models import (
    AuditEvent,
    DocumentRequest,
    Evidence,
    Finding,
    Inspection,
    Response,
    RosterEntry,
    ScribeNote,
    SignOff,
)
from qmsr_ready.core.services._common import writable_inspection
from qmsr_ready.core.vocab import InspectionStatus

# Inspection details the create event records that a later edit may change.
_DETAILS = ("title", "lead", "team", "planned_start", "planned_end")


def _response_holds_work() -> ColumnElement[bool]:
    """A response row whose any field differs from its never-set default (spec-driven)."""
    terms: list[ColumnElement[bool]] = []
    for spec in RESPONSE.fields:
        column = getattr(Response, spec.name)
        default = spec.default
        terms.append(column.is_not(None) if default is None else column != default)
    return or_(*terms)


def _count(session: Session, model: Any, insp: Inspection, *where: Any) -> int:
    query = select(func.count()).select_from(model).where(model.inspection_id == insp.id, *where)
    return int(session.scalar(query) or 0)


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _changed_since_created(session: Session, insp: Inspection) -> list[str]:
    """Plan and detail fields that differ from what the (latest) create event recorded."""
    created = session.scalar(
        select(AuditEvent.changes)
        .where(AuditEvent.inspection_code == insp.code, AuditEvent.action == "inspection.create")
        .order_by(AuditEvent.seq.desc()).limit(1)
    )
    if not created:
        return []
    changed: list[str] = []
    now: dict[str, Any] = {name: getattr(insp, name) for name in _DETAILS}
    now["selected_elements"] = [e.element_id for e in insp.elements if e.selected]
    now["not_applicable_elements"] = [e.element_id for e in insp.elements if not e.applicable]
    for name, value in now.items():
        if name not in created:
            continue
        recorded = created[name][1]
        shown = value.isoformat() if hasattr(value, "isoformat") else value
        if shown != recorded and not (recorded in (None, "", []) and shown in (None, "", [])):
            changed.append(name.replace("_", " "))
    return changed


def _held_records(session: Session, insp: Inspection) -> list[str]:
    """Rows of work the inspection holds, e.g. ``["2 answers", "1 finding"]``."""
    work = [
        (_count(session, Response, insp, _response_holds_work()), "answer", ""),
        (_count(session, Finding, insp), "finding", ""),
        (_count(session, Evidence, insp), "evidence file", ""),
        (_count(session, DocumentRequest, insp), "document request", ""),
        (_count(session, ScribeNote, insp), "scribe note", ""),
        (_count(session, RosterEntry, insp), "roster entry", "roster entries"),
        (_count(session, SignOff, insp), "sign-off", ""),
    ]
    return [_plural(count, word, plural) for count, word, plural in work if count]


def recorded_work(session: Session, code: str) -> list[str]:
    """What the inspection holds beyond its just-created state (empty: nothing)."""
    insp = writable_inspection(session, code)
    session.flush()
    held = _held_records(session, insp)
    changed = _changed_since_created(session, insp)
    if changed:
        held.append("changes to its " + ", ".join(changed))
    return held


def delete_new_inspection(session: Session, actor: str, code: str) -> None:
    """Delete an inspection that holds no recorded work (the undo of creating it)."""
    insp = writable_inspection(session, code)
    held = recorded_work(session, code)
    if held:
        raise InvalidInput(
            f"{code} cannot be taken back: it holds {' and '.join(held)}. "
            "Undo or remove those first, or keep the inspection."
        )
    changes = {
        "site": [insp.site.code, None],
        "template": [f"{insp.template.key}@{insp.template.version}", None],
        "title": [insp.title, None],
        "status": [insp.status, None],
    }
    session.delete(insp)
    session.flush()
    append_event(session, actor, "inspection.delete", "inspection", code, changes, code)


def back_to_planned(session: Session, actor: str, code: str) -> bool:
    """Undo the planned → in progress move once no work is left in the inspection.

    Why: undoing the first answer must not leave an "In progress" inspection with nothing in
    it. Only an in-progress inspection holding no answers, findings, evidence, requests or notes
    moves back; True when it did (audited as ``inspection.status``).
    """
    insp = writable_inspection(session, code)
    if insp.status != InspectionStatus.IN_PROGRESS:
        return False
    session.flush()
    if _held_records(session, insp):
        return False
    insp.status = InspectionStatus.PLANNED.value
    append_event(
        session, actor, "inspection.status", "inspection", code,
        {"status": [InspectionStatus.IN_PROGRESS.value, insp.status]}, code,
    )
    return True
