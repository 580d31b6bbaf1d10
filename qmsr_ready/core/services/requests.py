"""The front-room request log: log a request, move it along, record what was handed over.

Every move is stamped (``RequestMove``) and audited, so time-to-present statistics and the
register of what was shown can be proved later. Times are aware UTC datetimes; a time given by
the user may not fall before the request or before the request's last move.

This module keeps the request rows (log, edit, delete, the workspace's target) and is where
callers import every request service from; reading values lives in ``request_values``, moves in
``request_moves``, items shown in ``request_items``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.fields import REQUEST
from qmsr_ready.core.models import (
    DocumentRequest,
    RequestMove,
    WorkspaceInfo,
    utcnow,
)
from qmsr_ready.core.services._common import (
    apply_changes,
    next_code,
    unknown_fields,
    writable_inspection,
)

# A clock a few minutes fast (another laptop, a typed time) is not a request from the future.
from qmsr_ready.core.services.request_items import present_items, remove_presented_items
from qmsr_ready.core.services.request_moves import (
    first_move_after_request,
    move_request,
    revert_move,
)
from qmsr_ready.core.services.request_values import (
    FUTURE_TOLERANCE,
    clean_value,
    codes_value,
    element_area,
    get_request,
    time_value,
)
from qmsr_ready.core.template_content import typed_template
from qmsr_ready.core.vocab import RequestKind, RequestPriority, RequestStatus

__all__ = [
    "EDITABLE_FIELDS",
    "FUTURE_TOLERANCE",
    "add_request",
    "codes_value",
    "delete_request",
    "get_request",
    "move_request",
    "present_items",
    "remove_presented_items",
    "revert_move",
    "set_request_target",
    "time_value",
    "update_request",
]


EDITABLE_FIELDS = REQUEST.editable_fields  # all but status and presented_at (set by moves)


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
    values = {name: clean_value(session, insp, name, value) for name, value in given.items()}
    if values["element_id"] and not values["area_id"]:
        values["area_id"] = element_area(insp, values["element_id"])
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
            else clean_value(session, insp, "requested_at", requested_at))
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
    values = {name: clean_value(session, insp, name, value) for name, value in fields.items()}
    if values.get("element_id") and "area_id" not in values:
        values["area_id"] = element_area(insp, values["element_id"])
    if "requested_at" in values:
        if req.status == RequestStatus.PREPARED.value:
            raise InvalidInput(f"{code} has not been requested yet; move it to requested first.")
        if req.presented_at is not None and values["requested_at"] > req.presented_at:
            raise InvalidInput(f"{code} was presented before {values['requested_at']:%H:%M}; "
                               "a request cannot come after its presentation.")
        later = first_move_after_request(session, req)
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
