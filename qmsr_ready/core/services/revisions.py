"""Optimistic concurrency: refuse a save made over a newer one, naming who made it and when.

On PostgreSQL the row is read ``FOR UPDATE`` before its revision is compared, so two writers
cannot both pass the check (the second waits, then sees the first one's revision). SQLite needs
no row lock: a write transaction there already holds the whole file (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from qmsr_ready.core.errors import RevisionConflict
from qmsr_ready.core.models import AuditEvent

_S = TypeVar("_S", bound=Select[Any])  # any select; SQLAlchemy 2.1 types rows as a TypeVarTuple


def locking(session: Session, stmt: _S) -> _S:
    """``stmt`` reading fresh, row-locked values on a server; unchanged on SQLite."""
    if session.get_bind().dialect.name == "sqlite":
        return stmt
    return stmt.with_for_update().execution_options(populate_existing=True)


def latest_change(
    session: Session, inspection_code: str | None, entity_id: str
) -> tuple[str, dt.datetime | None]:
    """Who last changed ``entity_id`` and when, from the audit trail (("", None) if never)."""
    stmt = select(AuditEvent.actor, AuditEvent.at).where(AuditEvent.entity_id == entity_id)
    if inspection_code is not None:  # narrows through the inspection_code index
        stmt = stmt.where(AuditEvent.inspection_code == inspection_code)
    row = session.execute(stmt.order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (str(row[0]), row[1]) if row else ("", None)


def check_revision(
    session: Session,
    *,
    what: str,
    inspection_code: str | None,
    entity_id: str,
    current: int,
    expected: int | None,
) -> None:
    """Raise ``RevisionConflict`` when ``expected`` is given and is not ``current``."""
    if expected is None or expected == current:
        return
    who, when = latest_change(session, inspection_code, entity_id)
    by = f" by {who}" if who else ""
    at = f" at {when.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC" if when else ""
    raise RevisionConflict(
        f"{what} was changed elsewhere{by}{at} (revision {current}, you had {expected}); "
        "reload it and try again.",
        who=who, when=when, current_revision=current,
    )
