"""Undo of "create inspection": delete an inspection only while nothing was recorded in it.

An inspection that holds recorded work (an answer, a finding, evidence, a plan change, a
request…) is part of the record; undo must not throw that away, so it refuses and says why.
"Nothing recorded" is read from the audit trail: no event for the inspection after its latest
``inspection.create``. The deletion itself is audited (``inspection.delete``).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.models import AuditEvent
from qmsr_ready.core.services._common import writable_inspection


def changes_since_created(session: Session, code: str) -> int:
    """How many audited changes the inspection ``code`` has had since it was (last) created."""
    created = session.scalar(
        select(func.max(AuditEvent.seq)).where(
            AuditEvent.inspection_code == code, AuditEvent.action == "inspection.create"
        )
    )
    if created is None:
        return 0
    return int(session.scalar(
        select(func.count()).select_from(AuditEvent).where(
            AuditEvent.inspection_code == code, AuditEvent.seq > created
        )
    ) or 0)


def delete_new_inspection(session: Session, actor: str, code: str) -> None:
    """Delete an inspection nothing was recorded in (the undo of creating it)."""
    insp = writable_inspection(session, code)
    recorded = changes_since_created(session, code)
    if recorded:
        raise InvalidInput(
            f"{code} cannot be taken back: {recorded} change"
            f"{'s were' if recorded != 1 else ' was'} recorded in it since it was created. "
            "Undo those first, or keep it."
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
