"""The audit trail as frozen rows for the audit viewer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from qmsr_ready.core.audit import events_for


@dataclass(frozen=True)
class AuditEventView:
    """One audit event; ``changes`` is the stored ``{field: [old, new]}`` mapping."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    inspection_code: str
    changes: Any


def audit_events(session: Session, inspection_code: str | None = None) -> list[AuditEventView]:
    """Every event in seq order, or only one inspection's."""
    return [
        AuditEventView(
            e.seq, e.at, e.actor, e.action, e.entity_type, e.entity_id,
            e.inspection_code or "", e.changes,
        )
        for e in events_for(session, inspection_code=inspection_code)
    ]
