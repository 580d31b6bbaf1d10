"""Which pack of an inspection was last sent, and whether the inspection changed since.

An export that leaves the building is recorded in the audit trail (``export.xlsx`` /
``export.pdf``: file name, its SHA-256 and the audit head it was built from), so "last sent" and
"changed since" need no table of their own and cannot disagree with the trail.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import GENESIS_HASH, append_event
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.inspection_day.views import TARGET_KEY
from qmsr_ready.core.models import AuditEvent, Inspection, Site
from qmsr_ready.core.services._common import get_inspection

EXPORT_KINDS = ("xlsx", "pdf")
PACK_SETTINGS = (TARGET_KEY,)  # workspace settings a pack prints (audited as "workspace" rows)
_PREFIX = "export."


@dataclass(frozen=True)
class ExportRecord:
    """One recorded export: what was sent, when and by whom."""

    kind: str  # "xlsx" or "pdf"
    file_name: str
    sha256: str
    at: dt.datetime
    by: str
    audit_head: str  # hash of the last audit event the pack carries
    seq: int  # the export event's own seq


def _record(event: AuditEvent) -> ExportRecord:
    changes = event.changes if isinstance(event.changes, dict) else {}

    def new(name: str) -> str:
        pair = changes.get(name)
        return str(pair[1]) if isinstance(pair, list) and len(pair) == 2 else ""

    return ExportRecord(event.action[len(_PREFIX):], new("file"), new("sha256"), event.at,
                        event.actor, new("audit_head"), event.seq)


def record_export(
    session: Session, actor: str, inspection_code: str, kind: str,
    path: str | os.PathLike[str], sha256: str, built_from: str | None = None,
) -> ExportRecord:
    """Audit that a pack of ``inspection_code`` was written to ``path`` (works when signed off).

    ``built_from`` is the audit head the pack's report was built from: a change saved while
    the pack was being written, or the first pack's own export event, is not in the pack, so
    "changed since" must count from the report's head, not from the head at recording time.
    """
    if kind not in EXPORT_KINDS:
        raise InvalidInput(f"Unknown export kind {kind!r}; use one of: {', '.join(EXPORT_KINDS)}.")
    insp = get_inspection(session, inspection_code)
    head = built_from or session.scalars(
        select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    event = append_event(
        session, actor, f"{_PREFIX}{kind}", "inspection", insp.code,
        {"file": [None, Path(path).name], "sha256": [None, sha256],
         "audit_head": [None, head or GENESIS_HASH]},
        insp.code,
    )
    return _record(event)


def last_export(
    session: Session, inspection_code: str, kind: str | None = None
) -> ExportRecord | None:
    """The newest recorded export of the inspection (of ``kind`` when given), or None."""
    stmt = select(AuditEvent).where(AuditEvent.inspection_code == inspection_code)
    if kind is None:
        stmt = stmt.where(AuditEvent.action.in_([f"{_PREFIX}{k}" for k in EXPORT_KINDS]))
    else:
        stmt = stmt.where(AuditEvent.action == f"{_PREFIX}{kind}")
    event = session.scalars(stmt.order_by(AuditEvent.seq.desc()).limit(1)).first()
    return None if event is None else _record(event)


def changed_since_export(session: Session, inspection_code: str) -> bool:
    """Whether the inspection has changes the newest recorded pack (either kind) lacks.

    Counts every change a pack prints: the inspection's own events, its site's (name, FEI,
    address and the profile that decides which questions apply and the verdict) and the
    workspace settings the pack shows (the request-log target). False when it was never
    exported (nothing was sent, so nothing sent is stale; the GUI tells that case apart with
    ``last_export() is None``). Counted from the audit head the pack was built from; a head no
    longer in the trail (history rewritten) counts as changed.
    """
    last = last_export(session, inspection_code)
    if last is None:
        return False
    base = 0
    if last.audit_head and last.audit_head != GENESIS_HASH:
        found = session.scalars(
            select(AuditEvent.seq).where(AuditEvent.hash == last.audit_head).limit(1)).first()
        if found is None:
            return True
        base = found
    site_code = session.scalars(
        select(Site.code).join(Inspection, Inspection.site_id == Site.id)
        .where(Inspection.code == inspection_code)).first()
    printed = [AuditEvent.inspection_code == inspection_code,
               and_(AuditEvent.entity_type == "workspace",
                    AuditEvent.entity_id.in_(PACK_SETTINGS))]
    if site_code is not None:
        printed.append(and_(AuditEvent.entity_type == "site", AuditEvent.entity_id == site_code))
    later = session.scalars(
        select(AuditEvent.seq).where(
            or_(*printed),
            AuditEvent.seq > base,
            AuditEvent.action.not_in([f"{_PREFIX}{k}" for k in EXPORT_KINDS]),
        ).limit(1)
    ).first()
    return later is not None


def record_exports_in_file(
    workspace_path: str | os.PathLike[str], actor: str, inspection_code: str,
    files: list[tuple[str, Path]], built_from: str | None = None,
) -> str:
    """Record packs written from a workspace opened read-only (the CLI export).

    Returns "" when recorded, else one line saying why the packs were not recorded as sent
    (the GUI holds the workspace, the folder is read-only, the file needs an upgrade); the
    export itself has succeeded either way, so this never raises a ``QmsrError``.
    """
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.errors import QmsrError
    from qmsr_ready.core.exchange.merge import file_sha256
    from qmsr_ready.core.migrations import head_revision
    from qmsr_ready.core.server.url import is_server_url, mask_passwords
    from qmsr_ready.core.workspace_file import inspect_workspace_file

    names = ", ".join(p.name for _, p in files)
    try:  # a server refuses an older schema itself (ServerNotMigrated, password masked)
        if not is_server_url(workspace_path) and \
                inspect_workspace_file(Path(workspace_path)) != head_revision():
            return (f"{names} not recorded as sent: the workspace needs an upgrade; open it "
                    "in QMSR Ready once.")
        with open_workspace(workspace_path) as ws, ws.begin() as s:
            for kind, path in files:
                record_export(s, actor, inspection_code, kind, path, file_sha256(path),
                              built_from)
    except QmsrError as exc:
        return f"{names} not recorded as sent: {mask_passwords(exc.message)}"
    return ""
