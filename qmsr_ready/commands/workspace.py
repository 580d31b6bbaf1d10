"""Headless workspace command ``inspections`` (``verify`` lives in ``verify``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from qmsr_ready.commands._args import WORKSPACE_HELP
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.services.queries import InspectionSummary, list_inspections
from qmsr_ready.core.vocab import InspectionStatus, InspectionType

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``inspections``."""
    p = subparsers.add_parser("inspections", help="list the inspections in a workspace")
    p.add_argument("workspace", metavar="WORKSPACE", help=WORKSPACE_HELP)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_inspections)


def _label(enum_cls: Any, value: str) -> str:
    try:
        return str(enum_cls(value).label)
    except ValueError:
        return value


def cmd_inspections(args: argparse.Namespace) -> int:
    """Print every inspection with its status and progress."""
    with open_workspace(args.workspace, read_only=True) as ws, ws.session() as s:
        rows = list_inspections(s)
        _refuse_damaged(s, rows)
    if args.json:
        json.dump([r.as_dict() for r in rows], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("No inspections in this workspace.")
        return 0
    from qmsr_ready.commands.templates import printable  # the one terminal-safe escaper

    table: list[tuple[str, ...]] = [
        ("CODE", "SITE", "TYPE", "STATUS", "ANSWERED", "OPEN FINDINGS", "TITLE")
    ]
    for r in rows:
        table.append(tuple(printable(cell) for cell in (
            r.code, r.site_name, _label(InspectionType, r.inspection_type),
            _label(InspectionStatus, r.status), f"{r.questions_answered}/{r.questions_in_scope}",
            str(r.findings_open), r.title,
        )))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        cells = [cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)]
        print("  ".join([*cells, row[-1]]).rstrip())
    return 0


def _refuse_damaged(session: Session, rows: list[InspectionSummary]) -> None:
    """A summary value not of its kind (a BLOB title, text in a count) is a damaged stored
    value: one line naming it, like export, instead of a traceback while printing."""
    from qmsr_ready.core.damaged_rows import refuse_damaged_rows

    for row in rows:
        refuse_damaged_rows(session, [row], f"Inspection {row.code!s}")
