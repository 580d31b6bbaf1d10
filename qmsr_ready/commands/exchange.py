"""``qmsr-ready import`` and ``qmsr-ready merge``: bring a returned workbook or a colleague's
workspace back, field by field, after showing the plan.

Exit codes: 0 applied (or a dry run without conflicts), 3 the plan has conflicts that nobody
decided (nothing applied), 2 a user error (one line on stderr, the workspace untouched).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from qmsr_ready.commands._args import SERVER_URL_FORM, WORKSPACE_HELP

EXIT_CONFLICTS = 3
POLICIES = ("fail", "keep-mine", "take-theirs")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``import`` and ``merge``."""
    p = subparsers.add_parser(
        "import",
        help="bring a returned Excel pack back into the workspace",
        description="Compare each field of the workbook with its value at export time and "
        "in the workspace now, print the plan, and apply it in one step (after a backup). "
        "Exit 0 when applied, 3 when conflicts were left undecided (nothing applied), "
        "2 on a bad file.",
    )
    p.add_argument("workspace", metavar="WORKSPACE", help=WORKSPACE_HELP)
    p.add_argument("file", metavar="FILE", help="the returned .xlsx pack")
    _common(p)
    p.set_defaults(func=cmd_import)

    p = subparsers.add_parser(
        "merge",
        help="merge the same inspection from a colleague's workspace",
        description="Compare the inspection in OTHER with this workspace from their shared "
        "audit history, print the plan, and apply it in one step (after a backup of a file). "
        f"Either side may be a server URL ({SERVER_URL_FORM}), e.g. an "
        "auditor's laptop file into the team database. Evidence is copied once; sign-offs "
        "are never merged. Exit codes as for import.",
    )
    p.add_argument("workspace", metavar="WORKSPACE",
                   help=f"the workspace to merge into: {WORKSPACE_HELP}")
    p.add_argument("other", metavar="OTHER",
                   help=f"the colleague's workspace, read only: {WORKSPACE_HELP}")
    p.add_argument("--inspection", required=True, metavar="CODE", help="inspection code")
    _common(p)
    p.set_defaults(func=cmd_merge, targets=("workspace", "other"))


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true",
                   help="print the plan and change nothing (exit 3 when it has conflicts)")
    p.add_argument("--on-conflict", choices=POLICIES, default="fail",
                   help="what to do with fields both sides changed differently (default: fail)")
    p.add_argument("--json", action="store_true", help="print the plan and result as JSON")


def cmd_import(args: argparse.Namespace) -> int:
    """Plan the workbook import, print it, apply it unless --dry-run."""
    from qmsr_ready.core.exchange.workbook import plan_workbook_import

    return _run(args, lambda s: plan_workbook_import(s, args.file))


def cmd_merge(args: argparse.Namespace) -> int:
    """Plan the merge, print it, apply it unless --dry-run."""
    from qmsr_ready.core.exchange.merge import plan_workspace_merge

    return _run(args, lambda s: plan_workspace_merge(s, args.other, args.inspection))


def _run(args: argparse.Namespace, make_plan: Any) -> int:
    from qmsr_ready.core.audit import default_actor
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.exchange.errors import refuse_old_schema
    from qmsr_ready.core.exchange.plan import ConflictPolicy
    from qmsr_ready.core.exchange.runner import apply_with_backup

    policy = ConflictPolicy(args.on_conflict)
    # A dry run only reads, so it works while the GUI has the workspace open.
    with open_workspace(args.workspace, read_only=args.dry_run) as ws:
        refuse_old_schema(ws)
        with ws.session() as s:
            plan = make_plan(s)
        undecided = plan.undecided(policy=policy)
        outcome = None
        if not args.dry_run and not undecided:
            outcome = apply_with_backup(ws, default_actor(), plan, policy=policy)
    applied = outcome.applied if outcome else None
    if args.json:
        data = plan.as_dict()
        data["dry_run"] = bool(args.dry_run)
        data["applied"] = None if applied is None else {
            "fields_written": len(applied.writes),
            "created": [f"{e}:{k}" for e, k in applied.created],
            "audit_seq": applied.audit_seq,
            "backup": str(outcome.backup) if outcome and outcome.backup else None,
        }
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_plan(plan)
        if applied is not None:
            backup = outcome.backup if outcome else None
            print(f"Applied: {applied.summary}. Backup: "
                  f"{backup or 'none (a server database: one transaction; pg_dump backups)'}")
        elif args.dry_run:
            print("Dry run: nothing was changed.")
        elif not undecided:
            print("Nothing to change: the workspace was not touched (no backup, no audit "
                  "event).")
    if undecided and (args.dry_run or policy is ConflictPolicy.FAIL):
        if not args.dry_run:
            print(
                f"qmsr-ready: {len(undecided)} conflict(s) need a decision; nothing was "
                "applied. Re-run with --on-conflict keep-mine or take-theirs, or decide them "
                "one by one in the app.",
                file=sys.stderr,
            )
        return EXIT_CONFLICTS
    return 0


def print_plan(plan: Any) -> None:
    """The plan by sheet, row and field: mine → theirs, and what happens to it."""
    from qmsr_ready.core.exchange.plan import Outcome, RowStatus

    src = plan.source
    print(f"{src.kind.capitalize()} {src.name} into {plan.inspection_code} "
          f"(base: {src.base or 'none'})")
    for notice in plan.notices:
        print(f"Note: {notice}")
    sheet = None
    for row in plan.rows:
        if not row.interesting:
            continue
        if row.sheet != sheet:
            sheet = row.sheet
            print(f"\n{sheet or row.entity}")
        where = f"row {row.row} " if row.row is not None else ""
        head = f"  {where}{row.handle}"
        if row.status is not RowStatus.MATCHED:
            note = f" ({row.note})" if row.note else ""
            print(f"{head}: {row.status.label}{note} — {row.title[:60]}")
            continue
        print(f"{head} — {row.title[:60]}")
        for f in row.fields:
            if f.outcome in (Outcome.UNCHANGED, Outcome.ALREADY_APPLIED):
                continue
            print(f"      {f.spec.label}: {_show(f.spec.display(f.mine))} → "
                  f"{_show(f.spec.display(f.theirs))}  [{f.outcome.label}]")
    counts = plan.counts()
    print(
        f"\n{counts['updates']} update(s), {counts['conflicts']} conflict(s), "
        f"{counts['new_rows']} new row(s), {counts['workspace_only']} kept here, "
        f"{counts['already_applied']} already applied; not applied: "
        f"{counts['unknown_rows']} unknown, {counts['missing_rows']} deleted there, "
        f"{counts['removed_here_rows']} deleted here."
    )


def _show(text: str, limit: int = 60) -> str:
    one = " ".join(text.split())
    return repr(one if len(one) <= limit else one[: limit - 1] + "…")
