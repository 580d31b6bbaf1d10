"""``qmsr-ready verify WORKSPACE [--against PACK.xlsx]``: is the workspace intact, and does an
exported pack still match it?"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from qmsr_ready.commands._args import WORKSPACE_HELP
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace

SHOWN_PROBLEMS = 10
SHOWN_DIFFERENCES = 20


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``verify``."""
    p = subparsers.add_parser(
        "verify",
        help="check the audit trail and database integrity (and a pack against the workspace)",
        description="Runs PRAGMA integrity_check, walks the hash-chained audit trail and "
        "replays it against the data. With --against, also compares an exported Excel pack "
        "with the workspace: whether the audit head it pinned is still in the trail, and every "
        "row and field edited in the workbook or changed in the workspace since the export. "
        "Exit 0 when intact (and the pack matches); 1 when an event or a data row was "
        "edited, inserted or deleted behind the application's back, the file is damaged, or "
        "the pack differs (or belongs to another workspace); 2 when the workspace or the pack "
        "cannot be read at all.",
    )
    p.add_argument("workspace", metavar="WORKSPACE", help=WORKSPACE_HELP)
    p.add_argument("--against", metavar="PACK.xlsx", type=Path,
                   help="an Excel pack exported from this workspace, to compare with it")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify the chain read-only (works while the GUI has the workspace open)."""
    from qmsr_ready.commands.templates import printable  # the one terminal-safe escaper

    check = None
    with open_workspace(args.workspace, read_only=True) as ws, ws.session() as s:
        report = verify_chain(s)
        path = str(ws.path)
        if args.against is not None:
            from qmsr_ready.core.exchange.pack_check import check_pack

            check = check_pack(s, args.against.expanduser())
    if args.json:
        out: dict[str, Any] = {"workspace": path, **report.as_dict()}
        if check is not None:
            out["pack"] = check.as_dict()
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_chain(report, path, printable)
        if check is not None:
            _print_pack(check, printable)
    ok = report.ok and (check is None or check.matches)
    return 0 if ok else 1


def _print_chain(report: Any, path: str, printable: Any) -> None:
    if report.ok:
        print(
            f"OK: {path}: {report.event_count} audit events intact, database integrity ok "
            f"(head {report.head_hash[:12]})."
        )
        for line in report.notes:
            print(f"  note: {printable(line)}")
        return
    where = (
        f"first broken event: {report.first_broken_seq}: "
        if report.first_broken_seq is not None else ""
    )
    print(f"FAILED: {path}: {where}{printable(report.problem)}")
    more = report.data_problems[1:]
    for line in more[:SHOWN_PROBLEMS]:
        print(f"  also: {printable(line)}")
    if len(more) > SHOWN_PROBLEMS:
        print(f"  ... and {len(more) - SHOWN_PROBLEMS} more (--json lists up to 50)")


def _print_pack(check: Any, printable: Any) -> None:
    exported = f", exported {check.exported_at}" if check.exported_at else ""
    what = f"{printable(check.pack)} (inspection {printable(check.inspection_code)}{exported})"
    if check.matches:
        print(f"Pack matches: {what}.")
    else:
        n = len(check.differences)
        print(f"PACK DIFFERS: {what}: {n} difference{'s' if n != 1 else ''}.")
        for diff in check.differences[:SHOWN_DIFFERENCES]:
            print(f"  {printable(str(diff))}")
        if n > SHOWN_DIFFERENCES:
            print(f"  ... and {n - SHOWN_DIFFERENCES} more (--json lists them all)")
    for line in check.notes:
        print(f"  note: {printable(line)}")
