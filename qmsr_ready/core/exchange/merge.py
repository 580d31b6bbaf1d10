"""Plan the merge of another auditor's workspace: same inspection, compared field by field.

The base is what both files share: the longest common prefix of their hash-chained audit trails
(same seq, same hash). Replaying that prefix's events for the inspection gives every row's
values when the copies parted, so each field is compared three ways exactly like a returned
workbook. Findings only the other side raised become new findings (renumbered when both sides
used the same code for different findings); evidence this side lacks is copied with its links.
Sign-offs are never merged, and a signed-off inspection here refuses the merge.

This module checks the inputs and assembles the plan; the shared history lives in
``merge_base``, the row plans in ``merge_rows``, the evidence plans in ``merge_evidence``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import GENESIS_HASH
from qmsr_ready.core.errors import NotFound
from qmsr_ready.core.exchange.errors import ImportRefused, refuse_signed_off
from qmsr_ready.core.exchange.fields import (
    FINDING,
)
from qmsr_ready.core.exchange.merge_base import (
    SOURCE_CODES,
    audit_chain,
    base_links,
    merged_before,
    replay_base,
    shared_prefix,
)
from qmsr_ready.core.exchange.merge_evidence import evidence_of, evidence_rows, link_rows
from qmsr_ready.core.exchange.merge_rows import day_rows, finding_rows, response_rows, source_codes
from qmsr_ready.core.exchange.plan import (
    ExchangePlan,
    SourceInfo,
)
from qmsr_ready.core.exchange.snapshot import read_mine
from qmsr_ready.core.export.progress import NullProgress, Progress
from qmsr_ready.core.models import Evidence, Inspection
from qmsr_ready.core.services._common import get_inspection
from qmsr_ready.core.transfer import targets

__all__ = ["SOURCE_CODES", "file_sha256", "plan_workspace_merge"]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks (workspaces with evidence can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _main_file(session: Session) -> str:
    if session.get_bind().dialect.name != "sqlite":
        return ""
    rows = session.connection().exec_driver_sql("PRAGMA database_list").fetchall()
    return next((str(r[2]) for r in rows if r[1] == "main"), "")


def _is_this_workspace(session: Session, other: str) -> bool:
    """Whether ``other`` (a path or a server URL) is the workspace ``session`` works in."""
    if targets.is_server(other):
        engine = session.connection().engine
        return engine.dialect.name == "postgresql" and targets.same_server_database(
            engine.url.render_as_string(hide_password=False), other)
    here = _main_file(session)
    return bool(here) and os.path.exists(here) and os.path.samefile(here, other)


def _refuse_input(session: Session, other: str, code: str) -> Inspection:
    if not targets.is_server(other) and not Path(other).exists():
        raise ImportRefused(f"No workspace at {other}.")
    if _is_this_workspace(session, other):
        raise ImportRefused(
            f"{targets.short_name(other)} is this workspace itself; choose a colleague's copy "
            "to merge."
        )
    insp = get_inspection(session, code)
    refuse_signed_off(insp, "merge into it")  # signed off here: refuse, say how to reopen
    return insp


def _their_inspection(their: Session, name: str, code: str, ours: Inspection) -> Inspection:
    try:
        insp = get_inspection(their, code)
    except NotFound:
        held = ", ".join(their.scalars(select(Inspection.code).order_by(Inspection.code))) \
            or "no inspections"
        raise ImportRefused(
            f"{name} has no inspection {code} (it holds: {held}); a merge needs the same "
            "inspection in both workspaces."
        ) from None
    mine_t, their_t = ours.template, insp.template
    if mine_t.sha256 != their_t.sha256:
        raise ImportRefused(
            f"Inspection {code} uses template {mine_t.key} {mine_t.version} (SHA-256 "
            f"{mine_t.sha256[:12]}) here but {their_t.key} {their_t.version} (SHA-256 "
            f"{their_t.sha256[:12]}) in {name}; a merge needs the same template version."
        )
    return insp


def _refuse_nul(their: Session, name: str, inspection_id: int) -> None:
    """Old text holding a NUL (refused since; a server cannot store it) is named, not dropped."""
    from qmsr_ready.core.transfer.rows import find_nul

    where = find_nul(their.connection(), inspection_id)
    if where is not None:
        raise ImportRefused(
            f"In {name}, {where} holds a NUL character, which cannot be stored; retype that "
            "value there in QMSR Ready and merge again."
        )


def plan_workspace_merge(
    session: Session,
    other_path: str | os.PathLike[str],
    inspection_code: str,
    progress: Progress | None = None,
) -> ExchangePlan:
    """Compare inspection ``inspection_code`` here with the same one in ``other_path`` (a
    workspace file or a server URL: an auditor's laptop file merges into the team database and
    back).

    Raises ``ImportRefused`` when the other file lacks the inspection, uses another template
    version or is this file, and ``InspectionLocked`` when the inspection is signed off here.
    """
    progress = progress or NullProgress()
    other = targets.normalised(other_path)
    name = targets.short_name(other)
    ours = _refuse_input(session, other, inspection_code)
    progress.report(0, 4, f"Reading {name}")
    with targets.open_read_only(other) as ws, ws.session() as their:
        their_insp = _their_inspection(their, name, inspection_code, ours)
        _refuse_nul(their, name, their_insp.id)
        theirs = read_mine(their, inspection_code)
        their_chain = audit_chain(their)
        their_evidence = evidence_of(their, their_insp.id)
        signed_there = any(s.superseded_at is None for s in their_insp.signoffs)
        workspace_id = ws.workspace_id
    progress.report(1, 4, "Finding the shared history")
    prefix = shared_prefix(audit_chain(session), their_chain)
    base, base_shas = replay_base(session, inspection_code, prefix)
    mine = read_mine(session, inspection_code)
    progress.report(2, 4, "Comparing responses and findings")
    known = merged_before(session, inspection_code, workspace_id)
    rows = response_rows(mine, theirs, base)
    finding_plans, finding_map, removed = finding_rows(mine, theirs, base, known)
    rows += finding_plans
    day_maps: dict[str, dict[str, str]] = {}
    rows += day_rows(mine, theirs, base, finding_map, bool(prefix), known, day_maps)
    progress.report(3, 4, "Comparing evidence")
    here_shas = set(session.scalars(
        select(Evidence.sha256).where(Evidence.inspection_id == ours.id)))
    copies, ev_rows = evidence_rows(session, their_evidence, here_shas, base_shas, finding_map,
                                     removed)
    rows += ev_rows
    links, link_plans = link_rows(session, ours.id, their_evidence,
                                  base_links(session, inspection_code, prefix), finding_map,
                                  removed)
    rows += link_plans
    notices = []
    if signed_there:
        notices.append(f"{inspection_code} is signed off in {name}; sign-offs are never "
                       "merged.")
    if not prefix:
        notices.append(f"{name} shares no audit history with this workspace; every "
                       "difference is compared without a base.")
    head = their_chain[-1][1] if their_chain else GENESIS_HASH
    # a server database has no file bytes to hash: its audit head names its content
    sha = head if targets.is_server(other) else file_sha256(Path(other))
    source = SourceInfo(
        kind="workspace", name=name, sha256=sha, workspace_id=workspace_id,
        audit_head=head,
        base=f"audit history ({prefix} shared events)" if prefix else "none",
    )
    progress.report(4, 4, "Merge plan ready")
    return ExchangePlan(
        inspection_code=inspection_code, template_sha256=ours.template.sha256, source=source,
        rows=tuple(rows), notices=tuple(notices),
        extras={"evidence": [c.as_dict() for c in copies], "finding_codes": finding_map,
                "evidence_links": links, "source_codes": source_codes(rows, {
                    FINDING.entity: finding_map, **day_maps}),
                "source_path": other},
    )
