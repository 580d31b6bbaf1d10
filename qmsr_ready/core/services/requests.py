"""The front-room request log: log a request, move it along, record what was handed over.

Every move is stamped (``RequestMove``) and audited, so time-to-present statistics and the
register of what was shown can be proved later. Times are aware UTC datetimes; a time given by
the user may not fall before the request or before the request's last move.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput, InvalidTransition, NotFound
from qmsr_ready.core.fields import REQUEST, messages
from qmsr_ready.core.models import (
    DocumentRequest,
    Finding,
    Inspection,
    PresentedItem,
    RequestMove,
    WorkspaceInfo,
    utcnow,
)
from qmsr_ready.core.services._common import (
    apply_changes,
    choice,
    field_value,
    next_code,
    text_value,
    unknown_fields,
    writable_inspection,
)
from qmsr_ready.core.template_content import typed_template
from qmsr_ready.core.vocab import RequestKind, RequestPriority, RequestStatus

# A clock a few minutes fast (another laptop, a typed time) is not a request from the future.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
EDITABLE_FIELDS = REQUEST.editable_fields  # all but status and presented_at (set by moves)


def get_request(session: Session, insp: Inspection, code: str) -> DocumentRequest:
    """The request with this number in the inspection, or ``NotFound``."""
    req = session.execute(
        select(DocumentRequest).where(
            DocumentRequest.inspection_id == insp.id, DocumentRequest.code == code
        )
    ).scalar_one_or_none()
    if req is None:
        raise NotFound(f"No request {code!r} in inspection {insp.code}.")
    return req


def time_value(value: Any, what: str) -> dt.datetime:
    """An aware UTC datetime from a datetime or ISO-8601 text.

    One rule for CLI, GUI and services: a time without an offset is this computer's local time
    (what the person typing it reads on the wall clock).
    """
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(
                f"{what} must be a date and time like 2026-05-31T09:15 or "
                f"2026-05-31T09:15:00+01:00, not {value!r}."
            ) from None
    if not isinstance(value, dt.datetime):
        raise InvalidInput(f"{what} must be a date and time, not {value!r}.")
    if not 2000 <= value.year <= 2100:
        raise InvalidInput(f"{what} {value.isoformat()} is not a plausible time.")
    return value.astimezone(dt.UTC)  # a naive value is read as local time


def _element_area(insp: Inspection, element_id: str) -> str:
    element = typed_template(insp.template).element(element_id)
    if element is not None:
        return element.area_id
    raise InvalidInput(
        f"Unknown element ID {element_id!r} for template {insp.template.key} "
        f"{insp.template.version}."
    )


def _area_ids(insp: Inspection) -> frozenset[str]:
    return typed_template(insp.template).area_ids


def codes_value(session: Session, insp: Inspection, value: Any, model: Any, what: str) -> list[str]:
    """A list of codes (``F-001; F-004`` or a sequence) that must exist in the inspection."""
    if isinstance(value, str):
        value = value.replace(",", ";").split(";")
    codes = list(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
    known = set(session.scalars(select(model.code).where(model.inspection_id == insp.id)))
    for c in codes:
        if c not in known:
            raise InvalidInput(f"No {what} {c!r} in inspection {insp.code}.")
    return codes


def _plain(value: str, lines: bool) -> str:
    """Text without control characters (ESC, BEL, a bare CR...) that would drive a terminal.

    Where ``lines`` allows them, line breaks and tabs stay (a CR becomes a line break) and other
    controls are dropped; in a one-line field every control character becomes a space.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    keep = "\n\t" if lines else ""
    return "".join(
        ch if ch in keep or unicodedata.category(ch) != "Cc" else ("" if lines else " ")
        for ch in value
    )


def _clean(session: Session, insp: Inspection, name: str, value: Any) -> Any:
    if name == "text":
        asked = _plain(field_value(REQUEST.field("text"), value), True)
        if not asked.strip():
            raise InvalidInput(messages.empty(REQUEST.label_of("text")) + ".")
        return asked.strip()
    if name in ("kind", "priority"):
        return field_value(REQUEST.field(name), value)
    if name in ("requested_by", "owner"):
        return _plain(field_value(REQUEST.field(name), value), False).strip()
    if name == "notes":
        return _plain(field_value(REQUEST.field(name), value), True)
    if name == "area_id":
        area = field_value(REQUEST.field(name), value).strip()
        if area and area not in _area_ids(insp):
            raise InvalidInput(f"Unknown area {area!r}; use one of: "
                               + ", ".join(sorted(_area_ids(insp))) + ".")
        return area
    if name == "element_id":
        element = field_value(REQUEST.field(name), value).strip()
        if element:
            _element_area(insp, element)
        return element
    if name == "requested_at":
        when = time_value(value, "Requested at")
        if when > utcnow() + FUTURE_TOLERANCE:
            raise InvalidInput(
                f"Requested at {when:%Y-%m-%d %H:%M} UTC is in the future; give the time the "
                "investigator asked (leave it out for now)."
            )
        return when
    if name == "finding_codes":
        return codes_value(session, insp, value, Finding, "finding")
    raise InvalidInput(f"A request has no field {name!r}.")  # pragma: no cover


def add_request(
    session: Session,
    actor: str,
    *,
    inspection_code: str,
    text: str,
    kind: str = RequestKind.DOCUMENT.value,
    requested_by: str = "",
    owner: str = "",
    priority: str = RequestPriority.NORMAL.value,
    area_id: str = "",
    element_id: str = "",
    notes: str = "",
    requested_at: Any = None,
    prepared: bool = False,
    code: str | None = None,
    suggest: bool = True,
    allow_future: bool = False,
) -> DocumentRequest:
    """Log a request (``R-NNN``), stamped now unless ``requested_at`` is given.

    ``prepared`` pre-stages it before the day: its clock starts only when it is requested.
    With ``suggest`` and no area or element given, both are suggested from the text.
    ``allow_future`` is for the demonstration, built around a chosen (maybe future) day.
    """
    insp = writable_inspection(session, inspection_code)
    given = {"text": text, "kind": kind, "requested_by": requested_by, "owner": owner,
             "priority": priority, "area_id": area_id, "element_id": element_id, "notes": notes}
    values = {name: _clean(session, insp, name, value) for name, value in given.items()}
    if values["element_id"] and not values["area_id"]:
        values["area_id"] = _element_area(insp, values["element_id"])
    if suggest and not values["area_id"] and not values["element_id"]:
        from qmsr_ready.core.inspection_day.suggest import suggest_element

        found = suggest_element(typed_template(insp.template), values["text"])
        if found is not None:
            values["area_id"], values["element_id"] = found
    now = utcnow()
    status = RequestStatus.PREPARED if prepared else RequestStatus.REQUESTED
    at: dt.datetime | None = None
    if not prepared:
        at = now if requested_at is None else (
            time_value(requested_at, "Requested at") if allow_future
            else _clean(session, insp, "requested_at", requested_at))
    existing = list(session.scalars(
        select(DocumentRequest.code).where(DocumentRequest.inspection_id == insp.id)
    ))
    if code is None:
        code = next_code(existing, "R-")
    elif code in existing:
        raise InvalidInput(f"Inspection {insp.code} already has a request {code}.")
    req = DocumentRequest(
        inspection_id=insp.id, code=code, requested_at=at, status=status.value,
        presented_at=None, finding_codes=[], revision=1, created_at=now, updated_at=now,
        **values,
    )
    session.add(req)
    session.flush()
    session.add(RequestMove(request_id=req.id, status=status.value, at=at or now, by=actor))
    changes: dict[str, Any] = {name: [None, value] for name, value in values.items()}
    changes["status"] = [None, status.value]
    changes["requested_at"] = [None, at]
    changes["moved_at"] = [None, at or now]  # the first move's stamp, replayed by verify
    append_event(session, actor, "request.add", "request", f"{insp.code}/{code}", changes,
                 insp.code)
    return req


def update_request(
    session: Session, actor: str, inspection_code: str, code: str, **fields: Any
) -> DocumentRequest:
    """Change a request's details (not its status: use ``move_request``)."""
    unknown_fields(fields, EDITABLE_FIELDS, "A request")
    insp = writable_inspection(session, inspection_code)
    req = get_request(session, insp, code)
    values = {name: _clean(session, insp, name, value) for name, value in fields.items()}
    if values.get("element_id") and "area_id" not in values:
        values["area_id"] = _element_area(insp, values["element_id"])
    if "requested_at" in values:
        if req.status == RequestStatus.PREPARED.value:
            raise InvalidInput(f"{code} has not been requested yet; move it to requested first.")
        if req.presented_at is not None and values["requested_at"] > req.presented_at:
            raise InvalidInput(f"{code} was presented before {values['requested_at']:%H:%M}; "
                               "a request cannot come after its presentation.")
        later = _first_move_after_request(session, req)
        if later is not None and values["requested_at"] > later.at:
            raise InvalidInput(
                f"{code} moved to {RequestStatus(later.status).label.lower()} at "
                f"{later.at:%Y-%m-%d %H:%M} UTC; it cannot have been requested after that."
            )
    changes = apply_changes(req, values)
    if changes:
        req.revision += 1
        req.updated_at = utcnow()
        append_event(session, actor, "request.update", "request", f"{insp.code}/{code}",
                     changes, insp.code)
    return req


def _first_move_after_request(session: Session, req: DocumentRequest) -> RequestMove | None:
    """The move that followed the request being asked for (its requested_at must be before)."""
    moves = list(session.scalars(
        select(RequestMove).where(RequestMove.request_id == req.id).order_by(RequestMove.id)
    ))
    asked = [i for i, m in enumerate(moves) if m.status != RequestStatus.PREPARED.value]
    return moves[asked[0] + 1] if asked and asked[0] + 1 < len(moves) else None


def move_request(
    session: Session,
    actor: str,
    inspection_code: str,
    code: str,
    status: str,
    *,
    at: Any = None,
    document_id: str = "",
    version: str = "",
) -> DocumentRequest:
    """Move a request to ``status`` at ``at`` (default now); stamp and audit the move.

    Presented and withdrawn are final. Moving to presented with a ``document_id`` records what
    was handed over (see ``present_items`` for several parts or files).
    """
    insp = writable_inspection(session, inspection_code)
    req = get_request(session, insp, code)
    target = choice(status, RequestStatus, "request status")
    current = RequestStatus(req.status)
    when = utcnow() if at is None else time_value(at, "Time")
    _check_move(req, current, target, when)
    changes: dict[str, Any] = {"status": [current.value, target.value], "moved_at": [None, when]}
    if current is RequestStatus.PREPARED and target is not RequestStatus.WITHDRAWN:
        changes["requested_at"] = [None, when]
        req.requested_at = when
    if target is RequestStatus.PRESENTED:
        changes["presented_at"] = [None, when]
        req.presented_at = when
        if document_id.strip():
            item = _item(req, actor, document_id, version, when, "")
            changes["presented_items"] = [None, [[item.document_id, item.version, ""]]]
    elif document_id.strip():
        raise InvalidInput("A document and version are recorded when the request is presented.")
    req.status = target.value
    req.revision += 1
    req.updated_at = utcnow()
    session.add(RequestMove(request_id=req.id, status=target.value, at=when, by=actor))
    append_event(session, actor, "request.move", "request", f"{insp.code}/{code}", changes,
                 insp.code)
    return req


def _check_move(
    req: DocumentRequest, current: RequestStatus, target: RequestStatus, when: dt.datetime
) -> None:
    if current in (RequestStatus.PRESENTED, RequestStatus.WITHDRAWN):
        raise InvalidTransition(
            f"{req.code} is already {current.label.lower()}; a request cannot move back from "
            "there. Log a new request for a follow-up."
        )
    if target is current:
        raise InvalidTransition(f"{req.code} is already {current.label.lower()}.")
    if target is RequestStatus.PREPARED:
        raise InvalidTransition(f"{req.code} has been requested; it cannot go back to prepared.")
    start = req.requested_at
    if start is not None and when < start:
        raise InvalidInput(
            f"{when:%Y-%m-%d %H:%M} is before {req.code} was requested "
            f"({start:%Y-%m-%d %H:%M} UTC); a move cannot happen before its request."
        )
    # Staging time is not on the request's clock: only moves since it was asked for count.
    last = max((m.at for m in req.moves if m.status != RequestStatus.PREPARED.value),
               default=None)
    if last is not None and when < last:
        raise InvalidInput(
            f"{when:%Y-%m-%d %H:%M} is before {req.code}'s last move ({last:%Y-%m-%d %H:%M} UTC)."
        )


def _item(
    req: DocumentRequest, actor: str, document_id: str, version: str, when: dt.datetime,
    note: str, evidence_id: int | None = None, sha256: str = "",
) -> PresentedItem:
    item = PresentedItem(
        document_id=text_value(document_id, "Document ID", required=True, max_len=255).strip(),
        version=text_value(version, "Version", max_len=255).strip(),
        evidence_id=evidence_id, sha256=sha256, presented_at=when, presented_by=actor,
        note=text_value(note, "Note"),
    )
    req.items.append(item)
    return item


def present_items(
    session: Session,
    actor: str,
    inspection_code: str,
    code: str,
    items: Sequence[dict[str, Any]],
    *,
    final: bool = True,
    at: Any = None,
) -> DocumentRequest:
    """Record what was handed over for a request, in one part or several.

    Each item is ``{"document_id", "version", "note"?, "filename"?, "data"? or "path"?}``; a
    file (bytes in ``data`` or a file on disk at ``path``) is stored
    as evidence (deduplicated by SHA-256) so the exact revision shown can be proved later.
    ``final`` moves the request to presented; otherwise it stays open (a part was handed over).
    """
    from qmsr_ready.core.services.evidence import attach_evidence

    insp = writable_inspection(session, inspection_code)
    req = get_request(session, insp, code)
    current = RequestStatus(req.status)
    if current in (RequestStatus.PRESENTED, RequestStatus.WITHDRAWN):
        raise InvalidTransition(f"{code} is already {current.label.lower()}.")
    if not items:
        raise InvalidInput("Nothing to record: give at least one document and version.")
    when = utcnow() if at is None else time_value(at, "Time")
    if req.requested_at is not None and when < req.requested_at:
        raise InvalidInput(f"{when:%Y-%m-%d %H:%M} is before {code} was requested.")
    shown: list[list[str]] = []
    for spec in items:
        evidence_id, sha = None, ""
        if spec.get("path"):
            # A file on disk is streamed (regular files only, size checked), never read whole.
            from qmsr_ready.core.services.evidence import attach_evidence_file

            ev = attach_evidence_file(
                session, actor, inspection_code=insp.code, path=spec["path"],
                filename=str(spec["filename"]) if spec.get("filename") else None,
            )
            evidence_id, sha = ev.id, ev.sha256
        elif spec.get("data") is not None:
            ev = attach_evidence(
                session, actor, inspection_code=insp.code,
                filename=str(spec.get("filename") or spec.get("document_id") or "document"),
                data=spec["data"],
            )
            evidence_id, sha = ev.id, ev.sha256
        item = _item(req, actor, str(spec.get("document_id", "")), str(spec.get("version", "")),
                     when, str(spec.get("note", "")), evidence_id, sha)
        shown.append([item.document_id, item.version, sha])
    req.revision += 1
    req.updated_at = utcnow()
    append_event(session, actor, "request.present", "request", f"{insp.code}/{code}",
                 {"presented_items": [None, shown], "final": [None, final]}, insp.code)
    if final:
        move_request(session, actor, insp.code, code, RequestStatus.PRESENTED.value, at=when)
    return req


# -- undo helpers: what the GUI's undo stack calls to take a step back, each audited --------


def revert_move(
    session: Session, actor: str, inspection_code: str, code: str, status: str
) -> DocumentRequest:
    """Take back the request's last move (to ``status``), as if it had not been made.

    Undo only: the move's stamp is removed (statistics count from the moves that stand) and the
    step back is audited. Refused when the request has moved on since.
    """
    insp = writable_inspection(session, inspection_code)
    req = get_request(session, insp, code)
    target = choice(status, RequestStatus, "request status")
    # Queried, not ``req.moves``: move_request adds moves by request_id, so the loaded list
    # may be stale within one transaction.
    moves = list(session.scalars(
        select(RequestMove).where(RequestMove.request_id == req.id).order_by(RequestMove.id)
    ))
    if req.status != target.value or len(moves) < 2 or moves[-1].status != target.value:
        raise InvalidTransition(
            f"{code} is now {RequestStatus(req.status).label.lower()}, not "
            f"{target.label.lower()}; its move cannot be taken back."
        )
    last, previous = moves[-1], RequestStatus(moves[-2].status)
    changes: dict[str, Any] = {"status": [target.value, previous.value]}
    if target is RequestStatus.PRESENTED:
        changes["presented_at"] = [req.presented_at, None]
        req.presented_at = None
    if previous is RequestStatus.PREPARED:
        changes["requested_at"] = [req.requested_at, None]
        req.requested_at = None
    if last in req.moves:
        req.moves.remove(last)
    session.delete(last)
    req.status = previous.value
    req.revision += 1
    req.updated_at = utcnow()
    append_event(session, actor, "request.revert_move", "request", f"{insp.code}/{code}",
                 changes, insp.code)
    return req


def remove_presented_items(
    session: Session, actor: str, inspection_code: str, code: str, count: int
) -> DocumentRequest:
    """Take back the last ``count`` items recorded as shown (the stored files stay evidence)."""
    insp = writable_inspection(session, inspection_code)
    req = get_request(session, insp, code)
    if RequestStatus(req.status) is RequestStatus.PRESENTED:
        raise InvalidTransition(f"{code} is presented; take the presentation back first.")
    if not 0 < count <= len(req.items):
        raise InvalidInput(f"{code} has {len(req.items)} items shown, not {count} to take back.")
    removed = req.items[-count:]
    for item in removed:
        req.items.remove(item)
        session.delete(item)
    req.revision += 1
    req.updated_at = utcnow()
    append_event(session, actor, "request.unpresent", "request", f"{insp.code}/{code}",
                 {"presented_items": [[[i.document_id, i.version, i.sha256] for i in removed],
                                      None]}, insp.code)
    return req


def delete_request(session: Session, actor: str, inspection_code: str, code: str) -> None:
    """Delete a request logged by mistake (undo of logging it), with its moves and items."""
    insp = writable_inspection(session, inspection_code)
    req = get_request(session, insp, code)
    changes = {name: [getattr(req, name), None] for name in EDITABLE_FIELDS}
    changes["status"] = [req.status, None]
    session.delete(req)
    append_event(session, actor, "request.delete", "request", f"{insp.code}/{code}", changes,
                 insp.code)


def set_request_target(session: Session, actor: str, minutes: int) -> int:
    """Set the workspace's time-to-present target in whole minutes (1 minute to 24 hours)."""
    from qmsr_ready.core.inspection_day.views import TARGET_KEY, request_target

    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
        raise InvalidInput(
            f"The request target must be a whole number of minutes from 1 to 1440, not {minutes!r}."
        )
    old = int(request_target(session).total_seconds() // 60)
    row = session.get(WorkspaceInfo, TARGET_KEY)
    if row is None:
        session.add(WorkspaceInfo(key=TARGET_KEY, value=str(minutes)))
    else:
        row.value = str(minutes)
    if old != minutes:
        append_event(session, actor, "settings.update", "workspace", TARGET_KEY,
                     {TARGET_KEY: [old, minutes]})
    return minutes
