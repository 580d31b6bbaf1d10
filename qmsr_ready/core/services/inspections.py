"""Inspections: start from a template snapshot, plan, sign off and reopen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput, InvalidTransition, TemplateInvalid
from qmsr_ready.core.library.trigger import Trigger
from qmsr_ready.core.models import (
    ChecklistTemplate,
    Inspection,
    InspectionElement,
    SignOff,
    utcnow,
)
from qmsr_ready.core.reasons import has_visible_text
from qmsr_ready.core.services._common import (
    apply_changes,
    choice,
    get_inspection,
    get_site,
    names_value,
    next_code,
    ranged_date_value,
    text_value,
    unknown_fields,
    writable_inspection,
)
from qmsr_ready.core.template_content import TemplateSnapshot, content_sha256, typed_template
from qmsr_ready.core.vocab import InspectionStatus, InspectionType


@dataclass(frozen=True)
class ElementChoice:
    """Whether an inspection covers one template element, and why."""

    element_id: str
    selected: bool = True
    applicable: bool = True
    reason: str = ""


EDITABLE_FIELDS = (
    "title",
    "scope_notes",
    "planned_start",
    "planned_end",
    "lead",
    "team",
    "inspection_type",
)


def store_template(session: Session, actor: str, template: TemplateSnapshot) -> ChecklistTemplate:
    """The stored snapshot for ``template``; identical snapshots (same hash) are stored once."""
    if not isinstance(template, TemplateSnapshot):
        raise TemplateInvalid("start_inspection needs a TemplateSnapshot.")
    actual = content_sha256(template.content)
    if actual != template.sha256:
        raise TemplateInvalid(
            f"Template {template.key} {template.version}: content does not match its SHA-256."
        )
    found = session.execute(
        select(ChecklistTemplate).where(
            ChecklistTemplate.key == template.key,
            ChecklistTemplate.version == template.version,
            ChecklistTemplate.sha256 == template.sha256,
        )
    ).scalar_one_or_none()
    if found is not None:
        return found
    row = ChecklistTemplate(
        key=template.key,
        version=template.version,
        title=template.title,
        content=template.content,
        sha256=template.sha256,
        created_at=utcnow(),
    )
    session.add(row)
    append_event(
        session, actor, "template.snapshot", "template",
        f"{template.key}@{template.version}",
        {"sha256": [None, template.sha256], "title": [None, template.title]},
    )
    return row


def _check_dates(start: Any, end: Any) -> None:
    if start is not None and end is not None and end < start:
        raise InvalidInput(f"The planned end {end} is before the planned start {start}.")


def start_inspection(
    session: Session,
    actor: str,
    *,
    site_code: str,
    template: TemplateSnapshot,
    inspection_type: str,
    elements: Sequence[ElementChoice] | None = None,
    code: str | None = None,
    title: str = "",
    lead: str = "",
    team: Sequence[str] = (),
    planned_start: Any = None,
    planned_end: Any = None,
    scope_notes: str = "",
    trigger: Trigger | Mapping[str, Any] | None = None,
) -> Inspection:
    """Start a planned inspection of a site from a template snapshot.

    ``elements`` lists the template elements and whether each is covered; elements not listed
    are recorded as not selected. ``None`` selects every element. ``trigger`` is what started
    the inspection (topic and risk signals), stored so the report can show what the plan was
    built from.
    """
    site = get_site(session, site_code)
    itype = choice(inspection_type, InspectionType, "inspection type")
    start = ranged_date_value(planned_start, "Planned start")
    end = ranged_date_value(planned_end, "Planned end")
    _check_dates(start, end)
    title = text_value(title, "Title", max_len=255).strip()
    if not title:  # an untitled row is unreadable in every list and pack
        title = f"{itype.label} mock inspection — {site.name}"[:255]
    lead = text_value(lead, "Lead", max_len=255)
    team_names = names_value(team, "Team")
    scope_notes = text_value(scope_notes, "Scope notes")
    stated = trigger if isinstance(trigger, Trigger) else Trigger.from_dict(trigger)
    tpl = store_template(session, actor, template)
    known = {e.id for e in typed_template(tpl).elements}  # validates the snapshot, once per hash
    if not known:
        raise TemplateInvalid(f"Template {tpl.key} {tpl.version} has no elements.")
    chosen: dict[str, ElementChoice] = {}
    if elements is None:
        chosen = {eid: ElementChoice(eid) for eid in known}
    else:
        for ch in elements:
            if ch.element_id not in known:
                raise InvalidInput(
                    f"Unknown element ID {ch.element_id!r} for template {tpl.key} {tpl.version}."
                )
            if ch.element_id in chosen:
                raise InvalidInput(f"Element {ch.element_id} is listed twice.")
            chosen[ch.element_id] = ch
    existing = list(session.execute(select(Inspection.code)).scalars())
    if code is None:
        code = next_code(existing, f"MI-{utcnow().year}-")
    else:
        code = text_value(code, "Inspection code", required=True, max_len=64)
        if code in existing:
            raise InvalidInput(f"An inspection with code {code!r} already exists.")
    now = utcnow()
    insp = Inspection(
        code=code, site=site, template=tpl, inspection_type=itype.value, model=itype.model,
        title=title, scope_notes=scope_notes, trigger=stated.as_dict() if not stated.is_empty
        else {}, planned_start=start, planned_end=end, lead=lead,
        team=team_names, status=InspectionStatus.PLANNED.value, revision=1,
        created_at=now, updated_at=now,
    )
    for eid in known:
        ch = chosen.get(eid, ElementChoice(eid, selected=False))
        reason = text_value(ch.reason, f"Reason for {eid}")
        _require_na_reason(eid, bool(ch.applicable), reason)
        insp.elements.append(
            InspectionElement(
                element_id=eid, selected=bool(ch.selected), applicable=bool(ch.applicable),
                reason=reason,
            )
        )
    session.add(insp)
    changes: dict[str, Any] = {
        "site": [None, site.code],
        "template": [None, f"{tpl.key}@{tpl.version}"],
        "template_sha256": [None, tpl.sha256],
        "inspection_type": [None, itype.value],
        "model": [None, itype.model],
        "title": [None, title],
        "lead": [None, lead],
        "team": [None, team_names],
        "planned_start": [None, start],
        "planned_end": [None, end],
        "selected_elements": [None, [e.element_id for e in insp.elements if e.selected]],
        "not_applicable_elements": [
            None, [e.element_id for e in insp.elements if not e.applicable]
        ],
    }
    if not stated.is_empty:
        changes["trigger"] = [None, stated.as_dict()]
    append_event(session, actor, "inspection.create", "inspection", code, changes, code)
    return insp


def update_inspection(session: Session, actor: str, code: str, **fields: Any) -> Inspection:
    """Change planning fields (title, dates, lead, team, type, scope notes)."""
    unknown_fields(fields, EDITABLE_FIELDS, "An inspection")
    insp = writable_inspection(session, code)
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in ("title", "lead"):
            values[name] = text_value(value, name.capitalize(), max_len=255)
        elif name == "scope_notes":
            values[name] = text_value(value, "Scope notes")
        elif name in ("planned_start", "planned_end"):
            values[name] = ranged_date_value(value, name.replace("_", " ").capitalize())
        elif name == "team":
            values[name] = names_value(value, "Team")
        elif name == "inspection_type":
            itype = choice(value, InspectionType, "inspection type")
            values["inspection_type"] = itype.value
            values["model"] = itype.model
    _check_dates(
        values.get("planned_start", insp.planned_start), values.get("planned_end", insp.planned_end)
    )
    changes = apply_changes(insp, values)
    if changes:
        _touch(insp)
        append_event(session, actor, "inspection.update", "inspection", code, changes, code)
    return insp


def set_element_selection(
    session: Session,
    actor: str,
    code: str,
    element_id: str,
    selected: bool,
    reason: str = "",
    *,
    applicable: bool | None = None,
) -> InspectionElement:
    """Include or exclude one element (and optionally mark it not applicable), with a reason."""
    insp = writable_inspection(session, code)
    element = next((e for e in insp.elements if e.element_id == element_id), None)
    if element is None:
        raise InvalidInput(f"Unknown element ID {element_id!r} for inspection {code}.")
    values: dict[str, Any] = {"selected": bool(selected), "reason": text_value(reason, "Reason")}
    if applicable is not None:
        values["applicable"] = bool(applicable)
    _require_na_reason(element_id, values.get("applicable", element.applicable), values["reason"])
    changes = apply_changes(element, values)
    if changes:
        _touch(insp)
        append_event(
            session, actor, "inspection.element", "inspection_element",
            f"{code}/{element_id}", changes, code,
        )
    return element


def _require_na_reason(element_id: str, applicable: bool, reason: str) -> None:
    """An element marked not applicable says why: the reason is what the plan, the PDF and an
    investigator read instead of its questions."""
    if not applicable and not has_visible_text(reason):
        raise InvalidInput(
            f"Element {element_id} is marked not applicable without a reason; say why it does "
            "not apply to this site."
        )


def sign_off(session: Session, actor: str, code: str, *, name: str, meaning: str) -> SignOff:
    """Sign the inspection off; from then on it refuses every change until reopened."""
    insp = writable_inspection(session, code)
    name = text_value(name, "Signer name", required=True, max_len=255)
    meaning = text_value(meaning, "Meaning of the signature", required=True, max_len=255)
    signoff = SignOff(name=name, meaning=meaning, signed_at=utcnow(), superseded_reason="")
    insp.signoffs.append(signoff)
    old = insp.status
    insp.status = InspectionStatus.SIGNED_OFF.value
    _touch(insp)
    append_event(
        session, actor, "inspection.sign_off", "inspection", code,
        {"status": [old, insp.status], "signed_by": [None, name], "meaning": [None, meaning]},
        code,
    )
    return signoff


def reopen_inspection(session: Session, actor: str, code: str, *, reason: str) -> Inspection:
    """Reopen a signed-off inspection; the reason is required and audited."""
    insp = get_inspection(session, code)
    if insp.status != InspectionStatus.SIGNED_OFF:
        raise InvalidTransition(f"Inspection {code} is not signed off, so it cannot be reopened.")
    reason = text_value(reason, "Reason for reopening", required=True)
    now = utcnow()
    for signoff in insp.signoffs:
        if signoff.superseded_at is None:
            signoff.superseded_at = now
            signoff.superseded_reason = reason
    # Back to where the work stood: an inspection nobody started is planned again.
    started = bool(insp.responses) or bool(insp.findings)
    insp.status = (InspectionStatus.IN_PROGRESS if started else InspectionStatus.PLANNED).value
    _touch(insp)
    append_event(
        session, actor, "inspection.reopen", "inspection", code,
        {"status": [InspectionStatus.SIGNED_OFF.value, insp.status], "reason": [None, reason]},
        code,
    )
    return insp


def mark_in_progress(session: Session, actor: str, insp: Inspection) -> None:
    """Move a planned inspection to in progress (the first recorded work does this)."""
    if insp.status == InspectionStatus.PLANNED:
        insp.status = InspectionStatus.IN_PROGRESS.value
        append_event(
            session, actor, "inspection.status", "inspection", insp.code,
            {"status": [InspectionStatus.PLANNED.value, insp.status]}, insp.code,
        )


def _touch(insp: Inspection) -> None:
    insp.revision += 1
    insp.updated_at = utcnow()
