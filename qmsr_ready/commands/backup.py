"""``qmsr-ready backup WORKSPACE DEST``: a consistent copy, taken while the workspace is in use."""

from __future__ import annotations

import argparse

from qmsr_ready.commands._args import FILE_ONLY_HELP
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.backups import backup_workspace
from qmsr_ready.core.db import open_workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``backup``."""
    p = subparsers.add_parser(
        "backup",
        help="write a consistent copy of a workspace (safe while it is open)",
        description="Copies the workspace with SQLite's online backup API, so the copy is "
        "consistent even while the GUI or another program writes it, then verifies the copy. "
        "DEST is a new file name, or a folder (the copy is named <name>.bak-manual-<time>). "
        "An existing file is never overwritten (exit 2). Exit 1 when the copy does not verify.",
    )
    p.add_argument("workspace", metavar="WORKSPACE",
                   help=f"{FILE_ONLY_HELP} (back up a server with pg_dump)")
    p.add_argument("dest", metavar="DEST", help="new file name or existing folder")
    p.set_defaults(func=cmd_backup)


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy, then verify the copy."""
    dest = backup_workspace(args.workspace, args.dest, overwrite=False)
    with open_workspace(dest, read_only=True) as ws, ws.session() as s:
        report = verify_chain(s)
    if report.ok:
        print(f"Backed up to {dest} ({report.event_count} audit events, verified).")
        return 0
    print(f"Backed up to {dest}, but the copy does not verify: {report.problem}")
    return 1
