"""A request's moves: along the log (stamped and audited), checked for order, and taken back.

Split out of ``requests``: every move is stamped (``RequestMove``) so time-to-present statistics
can be proved later; a move may not fall before the request or its last move, and presented
and withdrawn are final. ``revert_move`` is the undo stack's step back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput, InvalidTransition
from qmsr_ready.core.models import (
    DocumentRequest,
    RequestMove,
    utcnow,
)
from qmsr_ready.core.services._common import (
    choice,
    writable_inspection,
)

# A clock a few minutes fast (another laptop, a typed time) is not a request from the future.
from qmsr_ready.core.services.request_values import get_request, new_item, time_value
from qmsr_ready.core.vocab import RequestStatus


def first_move_after_request(session: Session, req: DocumentRequest) -> RequestMove | None:
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
            item = new_item(req, actor, document_id, version, when, "")
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
