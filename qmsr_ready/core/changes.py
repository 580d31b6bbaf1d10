"""Noticing other people's changes: a cheap token of the audit head, and what changed since.

Every committed write appends an audit event and moves the head kept in ``workspace_info``
(``audit_head_seq``, ``audit_head_hash``), so one small SELECT tells a window whether anything
changed, on SQLite and PostgreSQL alike. When it did, ``changes_since`` reads just the new events
to say who changed what, so the window can refresh the views that show it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import HEAD_HASH_KEY, HEAD_SEQ_KEY
from qmsr_ready.core.errors import RevisionConflict
from qmsr_ready.core.models import AuditEvent, Inspection, Response, WorkspaceInfo
from qmsr_ready.core.services.revisions import latest_change

if TYPE_CHECKING:
    from qmsr_ready.core.db import Workspace

EMPTY_TOKEN = "0:"
MAX_EVENTS = 5000  # a summary reads at most this many new events (a merge can add thousands)


@dataclass(frozen=True)
class ChangeSummary:
    """What other sessions committed after a token: counts per actor and what they touched."""

    count: int
    actors: tuple[tuple[str, int], ...]  # (actor, events), most active first
    touched: tuple[tuple[str, str, str], ...]  # distinct (entity_type, action, inspection_code)
    last_seq: int

    @property
    def empty(self) -> bool:
        return self.count == 0

    def describe(self) -> str:
        """``"3 changes by Ana Ruiz"`` / ``"5 changes by Ana Ruiz and 2 others"``."""
        noun = "change" if self.count == 1 else "changes"
        if not self.actors:
            return f"{self.count} {noun}"
        first = self.actors[0][0] or "someone"
        others = len(self.actors) - 1
        tail = "" if not others else f" and {others} other{'s' if others > 1 else ''}"
        return f"{self.count} {noun} by {first}{tail}"


def read_token(session: Session) -> str:
    """The audit head as ``"SEQ:HASH"`` read in one SELECT (``EMPTY_TOKEN`` for no events)."""
    found = session.execute(
        select(WorkspaceInfo.key, WorkspaceInfo.value).where(
            WorkspaceInfo.key.in_((HEAD_SEQ_KEY, HEAD_HASH_KEY))
        )
    )
    rows = {str(key): str(value) for key, value in found}
    seq = rows.get(HEAD_SEQ_KEY, "0") or "0"
    return f"{seq}:{rows.get(HEAD_HASH_KEY, '')}"


def change_token(ws: Workspace) -> str:
    """The workspace's change token; it differs after any committed write by anyone."""
    with ws.session() as session:
        return read_token(session)


def token_seq(token: str) -> int:
    """The audit sequence number inside a token (0 when unreadable)."""
    head = token.partition(":")[0]
    return int(head) if head.isdigit() else 0


def changes_since(
    session: Session, token: str, *, exclude_actor: str | None = None
) -> ChangeSummary:
    """Summarise the audit events after ``token`` (optionally leaving out one actor's)."""
    after = token_seq(token)
    stmt = (
        select(AuditEvent.seq, AuditEvent.actor, AuditEvent.entity_type, AuditEvent.action,
               AuditEvent.inspection_code)
        .where(AuditEvent.seq > after)
        .order_by(AuditEvent.seq)
        .limit(MAX_EVENTS)
    )
    actors: Counter[str] = Counter()
    touched: dict[tuple[str, str, str], None] = {}
    last = after
    for seq, actor, entity_type, action, code in session.execute(stmt):
        last = max(last, seq)
        if exclude_actor is not None and actor == exclude_actor:
            continue
        actors[actor] += 1
        touched[(entity_type, action, code or "")] = None
    return ChangeSummary(
        count=sum(actors.values()),
        actors=tuple(actors.most_common()),
        touched=tuple(touched),
        last_seq=last,
    )


def stale_fields(
    current: Mapping[str, Any], base: Mapping[str, Any], fields: Iterable[str]
) -> list[str]:
    """The ``fields`` whose stored value (``current``) is no longer what an edit started from
    (``base``): someone else saved them in between. Fields missing from ``base`` never count."""
    return [name for name in fields if name in base and current.get(name) != base[name]]


def refuse_if_stale(
    session: Session,
    *,
    what: str,
    inspection_code: str,
    entity_id: str,
    current: Mapping[str, Any],
    base: Mapping[str, Any] | None,
    fields: Iterable[str],
    revision: int,
) -> None:
    """Raise ``RevisionConflict`` (naming who changed it and when) when an edit would overwrite
    a field someone else saved after the editor read it.

    Field by field, not by the row's revision: a colleague setting the result while you type
    the notes is not a conflict; both changes are kept.
    """
    if base is None:
        return
    stale = stale_fields(current, base, fields)
    if not stale:
        return
    who, when = latest_change(session, inspection_code, entity_id)
    by = f" by {who}" if who else ""
    at = f" at {when.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC" if when else ""
    names = ", ".join(name.replace("_", " ") for name in stale)
    raise RevisionConflict(
        f"{what} was changed elsewhere{by}{at} ({names}); reload it or keep yours.",
        who=who, when=when, current_revision=revision,
    )


def response_revision(session: Session, inspection_code: str, question_id: str) -> int:
    """The stored revision of one response (0 when the question was never answered)."""
    revision = session.scalar(
        select(Response.revision)
        .join(Inspection, Response.inspection_id == Inspection.id)
        .where(Inspection.code == inspection_code, Response.question_id == question_id)
    )
    return int(revision or 0)
