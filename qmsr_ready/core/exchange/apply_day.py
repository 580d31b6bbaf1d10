"""Writing and undoing inspection-day rows (requests, scribe notes, roster) of an exchange.

Each goes through its service like a typed edit. A request's status is never written as a
field: a status change is a move (``move_request``), stamped at the exchange's time unless the
row says it was presented at a given time, so its statistics and audit trail stay true; moving
back from presented or withdrawn is refused by the service with the row named by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.exchange.fields import NOTE, REQUEST, ROSTER
from qmsr_ready.core.models import DocumentRequest, RosterEntry, ScribeNote
from qmsr_ready.core.services import day_notes
from qmsr_ready.core.services import requests as req_service
from qmsr_ready.core.services._common import get_inspection
from qmsr_ready.core.vocab import RequestStatus

DAY_ENTITIES = (REQUEST.entity, NOTE.entity, ROSTER.entity)
NEWABLE = (REQUEST.entity, NOTE.entity)


def _args(spec: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: spec.field(name).to_service(v) for name, v in values.items()}


def _current(session: Session, code: str, key: str) -> DocumentRequest:
    return req_service.get_request(session, get_inspection(session, code), key)


def write_request(session: Session, actor: str, code: str, key: str,
                  values: Mapping[str, Any], now: dt.datetime) -> None:
    """Change a request's details and move it when its status changed."""
    fields = dict(values)
    status = fields.pop("status", None)
    presented_at = fields.pop("presented_at", None)
    if "presented_at" in values and status is None:
        raise InvalidInput("Presented at changes only with a move to Presented; keep this "
                           "workspace's time (keep mine) or move the request instead.")
    req = _current(session, code, key)
    was_prepared = req.status == RequestStatus.PREPARED.value
    requested_at = fields.pop("requested_at", None) if was_prepared and status else None
    if fields:
        req_service.update_request(session, actor, code, key, **_args(REQUEST, fields))
    if status is None:
        return
    if requested_at is not None and status != RequestStatus.REQUESTED.value:
        req_service.move_request(session, actor, code, key, RequestStatus.REQUESTED.value,
                                 at=requested_at)
    elif requested_at is not None:
        now = requested_at
    at = presented_at if status == RequestStatus.PRESENTED.value and presented_at else now
    req_service.move_request(session, actor, code, key, status, at=at)


def create_request(session: Session, actor: str, code: str, key: str | None,
                   values: Mapping[str, Any], now: dt.datetime) -> str:
    """Log a request from an incoming row (as ``key`` when given, else the next number)."""
    v = dict(values)
    status = v.pop("status", RequestStatus.REQUESTED.value) or RequestStatus.REQUESTED.value
    presented_at = v.pop("presented_at", None)
    finding_codes = list(v.pop("finding_codes", ()) or ())
    prepared = status == RequestStatus.PREPARED.value
    requested_at = None if prepared else (v.pop("requested_at", None) or now)
    v.pop("requested_at", None)
    req = req_service.add_request(
        session, actor, inspection_code=code, code=key or None, prepared=prepared,
        requested_at=requested_at, suggest=False, **_args(REQUEST, v),
    )
    if finding_codes:
        req_service.update_request(session, actor, code, req.code, finding_codes=finding_codes)
    if status not in (RequestStatus.REQUESTED.value, RequestStatus.PREPARED.value):
        at = presented_at if status == RequestStatus.PRESENTED.value and presented_at else (
            max(now, requested_at) if requested_at else now)
        req_service.move_request(session, actor, code, req.code, status, at=at)
    return req.code


def revert_request(session: Session, actor: str, code: str, key: str,
                   old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    """Put back a request's fields and take back the move(s) the exchange made."""
    fields = dict(old)
    old_status = fields.pop("status", None)
    fields.pop("presented_at", None)  # taking the move back clears it
    if old_status is not None:
        req_service.revert_move(session, actor, code, key, str(new["status"]))
        if (old_status == RequestStatus.PREPARED.value
                and new["status"] != RequestStatus.REQUESTED.value):
            req_service.revert_move(session, actor, code, key, RequestStatus.REQUESTED.value)
        if old_status == RequestStatus.PREPARED.value:
            fields.pop("requested_at", None)
    if fields:
        req_service.update_request(session, actor, code, key, **_args(REQUEST, fields))


def write_note(session: Session, actor: str, code: str, key: str,
               values: Mapping[str, Any]) -> None:
    day_notes.update_note(session, actor, code, key, **_args(NOTE, values))


def create_note(session: Session, actor: str, code: str, key: str | None,
                values: Mapping[str, Any], now: dt.datetime) -> str:
    v = dict(values)
    v["at"] = v.get("at") or now
    note = day_notes.add_note(session, actor, inspection_code=code, code=key or None,
                              **_args(NOTE, v))
    return note.code


def write_roster(session: Session, actor: str, code: str, area_id: str,
                 values: Mapping[str, Any]) -> None:
    day_notes.set_roster_entry(session, actor, code, area_id, **_args(ROSTER, values))


def revision(session: Session, insp_id: int, entity: str, key: str) -> int:
    """A day row's revision now (0 when it does not exist)."""
    stmt: Any
    if entity == REQUEST.entity:
        stmt = select(DocumentRequest.revision).where(
            DocumentRequest.inspection_id == insp_id, DocumentRequest.code == key)
    elif entity == NOTE.entity:
        stmt = select(ScribeNote.revision).where(ScribeNote.inspection_id == insp_id,
                                                 ScribeNote.code == key)
    else:
        stmt = select(RosterEntry.revision).where(RosterEntry.inspection_id == insp_id,
                                                  RosterEntry.area_id == key)
    return int(session.execute(stmt).scalar_one_or_none() or 0)


def delete_created(session: Session, actor: str, code: str, entity: str, key: str) -> None:
    """Delete a request or note an exchange created (its undo), audited by the service."""
    if entity == REQUEST.entity:
        req_service.delete_request(session, actor, code, key)
    elif entity == NOTE.entity:
        day_notes.delete_note(session, actor, code, key)
