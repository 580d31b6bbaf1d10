"""Findings: raised during an inspection and driven to closure like a CAPA input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput, InvalidTransition, NotFound
from qmsr_ready.core.fields import FINDING
from qmsr_ready.core.models import (
    Evidence,
    EvidenceLink,
    Finding,
    FindingQuestion,
    Inspection,
    utcnow,
)
from qmsr_ready.core.services._common import (
    apply_changes,
    choice,
    field_value,
    next_code,
    question_ref,
    text_value,
    unknown_fields,
    writable_inspection,
)
from qmsr_ready.core.services.inspections import mark_in_progress
from qmsr_ready.core.services.revisions import check_revision, locking
from qmsr_ready.core.vocab import FindingStatus

TEXT_FIELDS = (
    "objective_evidence", "requirement", "correction", "root_cause", "corrective_action",
    "effectiveness_check",
)
EDITABLE_FIELDS = FINDING.editable_fields  # all but status, which moves by transition


def get_finding(
    session: Session, insp: Inspection, finding_code: str, *, for_update: bool = False
) -> Finding:
    """The finding with this code in the inspection, or ``NotFound``; ``for_update`` reads it
    row-locked on a server (``revisions.locking``), for a write that checks its revision."""
    stmt = select(Finding).where(Finding.inspection_id == insp.id, Finding.code == finding_code)
    finding = session.execute(
        locking(session, stmt) if for_update else stmt
    ).scalar_one_or_none()
    if finding is None:
        raise NotFound(f"No finding {finding_code!r} in inspection {insp.code}.")
    return finding


def _clean(insp: Inspection, name: str, value: Any) -> Any:
    """Validate one editable field's value by the FINDING spec (limits, vocabulary, wording)."""
    if name not in EDITABLE_FIELDS:
        raise InvalidInput(f"A finding has no field {name!r}.")  # pragma: no cover
    cleaned = field_value(FINDING.field(name), value)
    if name == "question_ids":
        for qid in cleaned:
            question_ref(insp, qid)
    return cleaned


def _missing_for(status: FindingStatus, values: dict[str, Any]) -> list[str]:
    """What a finding still needs before it may be in ``status``."""
    need: list[str] = []
    if status == FindingStatus.ACTION_PLANNED:
        need = ["owner", "due_date", "corrective_action"]
    elif status == FindingStatus.AWAITING_VERIFICATION:
        need = ["corrective_action"]
    elif status == FindingStatus.CLOSED:
        need = ["corrective_action", "effectiveness_check"]
    return [n for n in need if not _filled(values.get(n))]


def _filled(value: object) -> bool:
    """A value counts as given unless it is empty, None or only blanks."""
    return bool(value.strip() if isinstance(value, str) else value)


def _state(finding: Finding) -> dict[str, Any]:
    return {n: getattr(finding, n) for n in ("owner", "due_date", *TEXT_FIELDS)}


def _describe(missing: list[str]) -> str:
    return ", ".join(m.replace("_", " ") for m in missing)


def _set_questions(finding: Finding, ids: list[str]) -> None:
    finding.question_links = [FindingQuestion(question_id=q) for q in ids]


def raise_finding(
    session: Session,
    actor: str,
    *,
    inspection_code: str,
    title: str,
    classification: str,
    question_ids: Sequence[str] = (),
    objective_evidence: str = "",
    requirement: str = "",
    likely_483: bool = False,
    severity: int = 3,
    likelihood: int = 3,
    owner: str = "",
    due_date: dt.date | None = None,
    correction: str = "",
    root_cause: str = "",
    corrective_action: str = "",
    capa_reference: str = "",
    effectiveness_check: str = "",
    code: str | None = None,
) -> Finding:
    """Raise an open finding (code ``F-NNN`` within its inspection) and audit it."""
    insp = writable_inspection(session, inspection_code)
    given = {
        "title": title, "classification": classification, "question_ids": question_ids,
        "objective_evidence": objective_evidence, "requirement": requirement,
        "likely_483": likely_483, "severity": severity, "likelihood": likelihood,
        "owner": owner, "due_date": due_date, "correction": correction,
        "root_cause": root_cause, "corrective_action": corrective_action,
        "capa_reference": capa_reference, "effectiveness_check": effectiveness_check,
    }
    values = {name: _clean(insp, name, value) for name, value in given.items()}
    existing = list(
        session.execute(select(Finding.code).where(Finding.inspection_id == insp.id)).scalars()
    )
    if code is None:
        code = next_code(existing, "F-")
    else:
        code = text_value(code, "Finding code", required=True, max_len=64)
        if code in existing:
            raise InvalidInput(f"Inspection {insp.code} already has a finding {code}.")
    now = utcnow()
    qids = values.pop("question_ids")
    finding = Finding(
        inspection_id=insp.id, code=code, status=FindingStatus.OPEN.value, revision=1,
        created_at=now, updated_at=now, closed_at=None, **values,
    )
    _set_questions(finding, qids)
    insp.findings.append(finding)
    mark_in_progress(session, actor, insp)
    changes = {name: [None, value] for name, value in values.items()}
    changes["question_ids"] = [None, qids]
    changes["status"] = [None, FindingStatus.OPEN.value]
    append_event(
        session, actor, "finding.raise", "finding", f"{insp.code}/{code}", changes, insp.code
    )
    return finding


def update_finding(
    session: Session, actor: str, inspection_code: str, finding_code: str, *,
    expected_revision: int | None = None, **fields: Any,
) -> Finding:
    """Change a finding's fields (not its status); the current status's needs still hold.

    ``expected_revision`` guards against overwriting a newer save (``RevisionConflict``).
    """
    unknown_fields(fields, EDITABLE_FIELDS, "A finding")
    insp = writable_inspection(session, inspection_code)
    finding = get_finding(session, insp, finding_code, for_update=True)
    _check_revision(session, insp, finding, expected_revision)
    values = {name: _clean(insp, name, value) for name, value in fields.items()}
    missing = _missing_for(FindingStatus(finding.status), {**_state(finding), **values})
    if missing:
        raise InvalidInput(
            f"Finding {finding_code} is {FindingStatus(finding.status).label.lower()} and "
            f"needs: {_describe(missing)}."
        )
    changes: dict[str, Any] = {}
    if "question_ids" in values:
        new_ids = values.pop("question_ids")
        if new_ids != finding.question_ids:
            changes["question_ids"] = [finding.question_ids, new_ids]
            _set_questions(finding, new_ids)
    changes.update(apply_changes(finding, values))
    if changes:
        finding.revision += 1
        finding.updated_at = utcnow()
        append_event(
            session, actor, "finding.update", "finding", f"{insp.code}/{finding.code}",
            changes, insp.code,
        )
    return finding


def transition_finding(
    session: Session, actor: str, inspection_code: str, finding_code: str, new_status: str,
    *, expected_revision: int | None = None,
) -> Finding:
    """Move a finding through open → action planned → awaiting verification → closed."""
    insp = writable_inspection(session, inspection_code)
    finding = get_finding(session, insp, finding_code, for_update=True)
    _check_revision(session, insp, finding, expected_revision)
    target = choice(new_status, FindingStatus, "finding status")
    current = FindingStatus(finding.status)
    if target == current:
        raise InvalidTransition(f"Finding {finding_code} is already {current.label.lower()}.")
    if current == FindingStatus.CLOSED and target != FindingStatus.OPEN:
        raise InvalidTransition(
            f"Finding {finding_code} is closed; it can only be reopened to open."
        )
    missing = _missing_for(target, _state(finding))
    if missing:
        raise InvalidTransition(
            f"Finding {finding_code} cannot be {target.label.lower()} without: "
            f"{_describe(missing)}."
        )
    now = utcnow()
    changes: dict[str, Any] = {"status": [current.value, target.value]}
    if target == FindingStatus.CLOSED:
        changes["closed_at"] = [None, now]
        finding.closed_at = now
    elif finding.closed_at is not None:
        changes["closed_at"] = [finding.closed_at, None]
        finding.closed_at = None
    finding.status = target.value
    finding.revision += 1
    finding.updated_at = now
    append_event(
        session, actor, "finding.transition", "finding", f"{insp.code}/{finding.code}",
        changes, insp.code,
    )
    return finding


def _check_revision(
    session: Session, insp: Inspection, finding: Finding, expected: int | None
) -> None:
    check_revision(session, what=f"Finding {finding.code}", inspection_code=insp.code,
                   entity_id=f"{insp.code}/{finding.code}", current=finding.revision,
                   expected=expected)


def close_finding(
    session: Session, actor: str, inspection_code: str, finding_code: str
) -> Finding:
    """Close a finding; it needs a corrective action and an effectiveness check."""
    return transition_finding(
        session, actor, inspection_code, finding_code, FindingStatus.CLOSED.value
    )


def delete_finding(session: Session, actor: str, inspection_code: str, finding_code: str) -> None:
    """Remove a finding (undo of raise); the audit keeps what it held."""
    insp = writable_inspection(session, inspection_code)
    finding = get_finding(session, insp, finding_code)
    old = {
        n: getattr(finding, n)
        for n in ("title", "classification", "status", "severity", "likelihood", *TEXT_FIELDS)
    }
    old["question_ids"] = finding.question_ids
    linked = session.scalars(
        select(Evidence.code)
        .join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
        .where(EvidenceLink.finding_id == finding.id)
        .order_by(Evidence.code)
    ).all()
    if linked:
        # Deleting would silently drop the evidence links, and a redo could not restore them.
        raise InvalidInput(
            f"{finding_code} has evidence attached ({', '.join(linked)}). Detach the evidence "
            "first, or keep the finding and change its classification or status instead."
        )
    insp.findings.remove(finding)
    session.delete(finding)
    append_event(
        session, actor, "finding.delete", "finding", f"{insp.code}/{finding_code}",
        {name: [value, None] for name, value in old.items()}, insp.code,
    )
