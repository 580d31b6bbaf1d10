"""Scribe notes and the SME roster: the rest of what the front room keeps on inspection day."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput, NotFound
from qmsr_ready.core.fields import NOTE, ROSTER
from qmsr_ready.core.models import (
    DocumentRequest,
    Finding,
    Inspection,
    RosterEntry,
    ScribeNote,
    utcnow,
)
from qmsr_ready.core.services._common import (
    apply_changes,
    field_value,
    next_code,
    unknown_fields,
    writable_inspection,
)
from qmsr_ready.core.services.requests import codes_value, time_value
from qmsr_ready.core.template_content import typed_template

NOTE_FIELDS = NOTE.editable_fields
ROSTER_FIELDS = ROSTER.editable_fields


def _clean_note(session: Session, insp: Inspection, name: str, value: Any) -> Any:
    if name in ("text", "topic", "investigator"):
        text = field_value(NOTE.field(name), value)  # limits and wording from the NOTE spec
        return text if name == "text" else text.strip()
    if name == "at":
        return time_value(value, "Time")
    if name == "request_codes":
        return codes_value(session, insp, value, DocumentRequest, "request")
    if name == "finding_codes":
        return codes_value(session, insp, value, Finding, "finding")
    raise InvalidInput(f"A scribe note has no field {name!r}.")  # pragma: no cover


def add_note(
    session: Session,
    actor: str,
    *,
    inspection_code: str,
    text: str,
    topic: str = "",
    investigator: str = "",
    at: Any = None,
    request_codes: Any = (),
    finding_codes: Any = (),
    code: str | None = None,
) -> ScribeNote:
    """Take a timestamped scribe note (``N-NNN``)."""
    insp = writable_inspection(session, inspection_code)
    given = {"text": text, "topic": topic, "investigator": investigator,
             "at": utcnow() if at is None else at, "request_codes": request_codes,
             "finding_codes": finding_codes}
    values = {n: _clean_note(session, insp, n, v) for n, v in given.items()}
    existing = list(session.scalars(select(ScribeNote.code)
                                    .where(ScribeNote.inspection_id == insp.id)))
    if code is None:
        code = next_code(existing, "N-")
    elif code in existing:
        raise InvalidInput(f"Inspection {insp.code} already has a note {code}.")
    note = ScribeNote(inspection_id=insp.id, code=code, author=actor, revision=1, **values)
    session.add(note)
    append_event(session, actor, "note.add", "note", f"{insp.code}/{code}",
                 {n: [None, v] for n, v in values.items()}, insp.code)
    return note


def update_note(
    session: Session, actor: str, inspection_code: str, code: str, **fields: Any
) -> ScribeNote:
    unknown_fields(fields, NOTE_FIELDS, "A scribe note")
    insp = writable_inspection(session, inspection_code)
    note = session.execute(select(ScribeNote).where(
        ScribeNote.inspection_id == insp.id, ScribeNote.code == code)).scalar_one_or_none()
    if note is None:
        raise NotFound(f"No note {code!r} in inspection {insp.code}.")
    changes = apply_changes(note, {n: _clean_note(session, insp, n, v) for n, v in fields.items()})
    if changes:
        note.revision += 1
        append_event(session, actor, "note.update", "note", f"{insp.code}/{code}", changes,
                     insp.code)
    return note


def delete_note(session: Session, actor: str, inspection_code: str, code: str) -> None:
    """Delete a note taken by mistake (the undo of taking it)."""
    insp = writable_inspection(session, inspection_code)
    note = session.execute(select(ScribeNote).where(
        ScribeNote.inspection_id == insp.id, ScribeNote.code == code)).scalar_one_or_none()
    if note is None:
        raise NotFound(f"No note {code!r} in inspection {insp.code}.")
    changes = {n: [getattr(note, n), None] for n in NOTE_FIELDS}
    session.delete(note)
    append_event(session, actor, "note.delete", "note", f"{insp.code}/{code}", changes,
                 insp.code)


def set_roster_entry(
    session: Session, actor: str, inspection_code: str, area_id: str, **fields: Any
) -> RosterEntry:
    """Create or change who presents an area on the day (presenter, backup, storyboard)."""
    unknown_fields(fields, ROSTER_FIELDS, "A roster entry")
    insp = writable_inspection(session, inspection_code)
    areas = typed_template(insp.template).area_ids
    if area_id not in areas:
        raise InvalidInput(f"Unknown area {area_id!r}; use one of: {', '.join(sorted(areas))}.")
    values: dict[str, Any] = {}
    for name, value in fields.items():  # limits and wording from the ROSTER spec
        cleaned = field_value(ROSTER.field(name), value)
        values[name] = cleaned.strip() if name in ("presenter", "backup", "storyboard") else cleaned
    entry = session.execute(select(RosterEntry).where(
        RosterEntry.inspection_id == insp.id, RosterEntry.area_id == area_id)).scalar_one_or_none()
    created = entry is None
    if entry is None:
        entry = RosterEntry(inspection_id=insp.id, area_id=area_id, presenter="", backup="",
                            storyboard="", prepared=False, notes="", revision=0)
        session.add(entry)
    changes = apply_changes(entry, values)
    if changes or created:
        entry.revision += 1
        append_event(session, actor, "roster.set", "roster", f"{insp.code}/{area_id}", changes,
                     insp.code)
    return entry
