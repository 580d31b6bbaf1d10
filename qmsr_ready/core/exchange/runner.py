"""Run an import or a merge the way the CLI and the GUI both do: plan, back up, apply once.

The plan is read in a plain session. A dry run stops there. Otherwise conflicts and a
signed-off inspection are refused before anything is written; then a workspace file is backed up
(named and thinned like every automatic backup; a server database has its own backups) and the
plan applied in ONE write transaction, so a refusal at any row leaves the workspace as it was
(and the now pointless backup is removed).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from qmsr_ready.core.backups import backup_name, prune_backups
from qmsr_ready.core.db import Workspace
from qmsr_ready.core.errors import WorkspaceReadOnly
from qmsr_ready.core.exchange.apply import (
    AppliedExchange,
    apply_plan,
    refuse_undecided,
)
from qmsr_ready.core.exchange.errors import refuse_old_schema, refuse_signed_off
from qmsr_ready.core.exchange.plan import Choice, ConflictPolicy, ExchangePlan, FieldKey
from qmsr_ready.core.export.progress import Progress
from qmsr_ready.core.services._common import get_inspection

Decisions = Mapping[FieldKey, Choice]


@dataclass(frozen=True)
class ImportOutcome:
    """The plan, and what was applied (None for a dry run, or when there was nothing to
    change) with the backup written before."""

    plan: ExchangePlan
    applied: AppliedExchange | None = None
    backup: Path | None = None


def run_import(
    workspace: Workspace, actor: str, path: str | os.PathLike[str], *, dry_run: bool,
    policy: ConflictPolicy = ConflictPolicy.FAIL, decisions: Decisions | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Plan the import of a returned workbook and, unless ``dry_run``, apply it."""
    from qmsr_ready.core.exchange.workbook import plan_workbook_import

    def plan(s: Session) -> ExchangePlan:
        return plan_workbook_import(s, Path(path), progress)

    return _run(workspace, actor, plan, "import", dry_run, policy, decisions)


def run_merge(
    workspace: Workspace, actor: str, other_path: str | os.PathLike[str], inspection_code: str,
    *, dry_run: bool, policy: ConflictPolicy = ConflictPolicy.FAIL,
    decisions: Decisions | None = None, progress: Progress | None = None,
) -> ImportOutcome:
    """Plan the merge of another workspace's inspection and, unless ``dry_run``, apply it."""
    from qmsr_ready.core.exchange.merge import plan_workspace_merge

    def plan(s: Session) -> ExchangePlan:
        return plan_workspace_merge(s, other_path, inspection_code, progress)

    return _run(workspace, actor, plan, "merge", dry_run, policy, decisions)


def _run(
    workspace: Workspace, actor: str, make_plan: Callable[[Session], ExchangePlan], reason: str,
    dry_run: bool, policy: ConflictPolicy, decisions: Decisions | None,
) -> ImportOutcome:
    refuse_old_schema(workspace)
    with workspace.session() as s:
        plan = make_plan(s)
    if dry_run:
        return ImportOutcome(plan)
    return apply_with_backup(workspace, actor, plan, policy=policy, decisions=decisions)


def nothing_to_change(plan: ExchangePlan) -> bool:
    """True when applying ``plan`` would write nothing: no update, no conflict to decide, no
    new row, no evidence or link to copy (reported rows are never applied)."""
    counts = plan.counts()
    return not (counts["updates"] or counts["conflicts"] or counts["new_rows"]
                or any(plan.extras.get(k) for k in ("evidence", "links")))


def apply_with_backup(
    workspace: Workspace, actor: str, plan: ExchangePlan, *,
    policy: ConflictPolicy = ConflictPolicy.FAIL, decisions: Decisions | None = None,
) -> ImportOutcome:
    """Apply a plan already shown to the user: refuse early, back up, one write transaction.

    The GUI calls this with the previewed plan and the user's decisions; a workspace changed
    since the preview is refused by ``apply_plan`` (make the preview again).
    """
    reason = "merge" if plan.source.kind == "workspace" else "import"
    name = workspace.location if workspace.is_server else workspace.path.name
    if workspace.read_only:
        raise WorkspaceReadOnly(f"{name} is open read-only; open it for writing to {reason}.")
    with workspace.session() as s:
        # signed off: refuse before any backup, saying how to reopen
        refuse_signed_off(get_inspection(s, plan.inspection_code), f"{reason} into it")
    refuse_undecided(plan, decisions, policy)
    if nothing_to_change(plan):
        return ImportOutcome(plan)  # no backup, no audit event: the workspace is untouched
    # A server database has no file to copy: the one transaction below is the safety net (and
    # the IT admin's pg_dump backups); a file is backed up first, as before every import.
    backup = None if workspace.is_server else workspace.backup_to(
        backup_name(workspace.path, reason))
    try:
        with workspace.begin() as s:
            applied = apply_plan(s, actor, plan, decisions=decisions, policy=policy)
    except BaseException:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()  # nothing changed, so the copy would only be clutter
        raise
    if backup is not None:
        prune_backups(workspace.path)
    return ImportOutcome(plan, applied, backup)
