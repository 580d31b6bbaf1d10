"""``qmsr-ready demo WORKSPACE``: write a realistic demonstration workspace to a new file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from qmsr_ready.core.demo import build_demo
from qmsr_ready.core.vocab import InspectionStatus, InspectionType


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo``."""
    p = subparsers.add_parser(
        "demo",
        help="create a demonstration workspace (refuses to overwrite a file)",
        description="Creates a new workspace holding a realistic demonstration built with the "
        "shipped FDA QMSR library: two sites, a signed-off QSR to QMSR gap assessment, a "
        "Model 2 baseline surveillance mock inspection under way (answers, findings in every "
        "status and class, evidence files) and two planned inspections. An existing file is "
        "never overwritten (exit 2).",
    )
    p.add_argument("workspace", metavar="WORKSPACE", help="path of the new .qmsr file")
    p.add_argument("--json", action="store_true", help="print a summary as JSON")
    p.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="date the demonstration is built around (default: today); same date, same content",
    )
    p.set_defaults(func=cmd_demo)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-11-25: {value!r}") from None


def _label(enum_cls: type[InspectionType] | type[InspectionStatus], value: str) -> str:
    try:
        return str(enum_cls(value).label)
    except ValueError:
        return value


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demonstration and say what it holds."""
    summary = build_demo(args.workspace, today=args.today)
    if args.json:
        json.dump(summary.as_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"Created demonstration workspace {summary.path}")
    for insp in summary.inspections:
        kind = _label(InspectionType, insp.inspection_type)
        status = _label(InspectionStatus, insp.status)
        print(
            f"  {insp.code}  {status:<11}  {kind} (Model {insp.model})  {insp.title}  "
            f"[{insp.responses} responses, {insp.findings} findings]"
        )
    print(
        f"  {len(summary.sites)} sites, {summary.evidence_files} evidence files, "
        f"{summary.audit_events} audit events."
    )
    print(f"Open it with: qmsr-ready gui {summary.path}")
    return 0
