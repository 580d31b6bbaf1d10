"""What was handed over for a request: items shown, their files kept as evidence, and undo.

Split out of ``requests``: recording a part or the whole of what was presented (with the exact
file, deduplicated by SHA-256) is its own job; ``remove_presented_items`` is the undo stack's
step back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput, InvalidTransition
from qmsr_ready.core.models import (
    DocumentRequest,
    utcnow,
)
from qmsr_ready.core.services._common import (
    writable_inspection,
)

# A clock a few minutes fast (another laptop, a typed time) is not a request from the future.
from qmsr_ready.core.services.request_moves import move_request
from qmsr_ready.core.services.request_values import get_request, new_item, time_value
from qmsr_ready.core.vocab import RequestStatus


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
        item = new_item(req, actor, str(spec.get("document_id", "")), str(spec.get("version", "")),
                     when, str(spec.get("note", "")), evidence_id, sha)
        shown.append([item.document_id, item.version, sha])
    req.revision += 1
    req.updated_at = utcnow()
    append_event(session, actor, "request.present", "request", f"{insp.code}/{code}",
                 {"presented_items": [None, shown], "final": [None, final]}, insp.code)
    if final:
        move_request(session, actor, insp.code, code, RequestStatus.PRESENTED.value, at=when)
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
