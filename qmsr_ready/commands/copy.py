"""``qmsr-ready copy SOURCE DEST`` and ``qmsr-ready compare A B``: move a whole workspace between
a ``.qmsr`` file and a server database, and check that two workspaces hold the same content.

Exit codes: 0 copied and checked (or no differences), 1 the copy did not verify or differed from
its source (nothing kept), or the workspaces differ, 2 a user error (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qmsr_ready.commands._args import WORKSPACE_HELP

if TYPE_CHECKING:
    from qmsr_ready.core.transfer.compare import Difference

EXIT_DIFFERENT = 1
_SHOWN_DIFFERENCES = 10
_TARGET_HELP = WORKSPACE_HELP


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``copy`` and ``compare``."""
    p = subparsers.add_parser(
        "copy",
        help="copy a workspace file into an empty server database, or a server one into a file",
        description="Copies every table with its keys, the audit trail and the evidence files, "
        "then verifies the copy's audit chain and compares it with the source row by row. The "
        "copy is kept only if both checks pass. DEST must be a new file or an empty database "
        "(its schema is created); nothing is ever overwritten. Exit 0 when copied and checked, "
        "1 when the checks failed (nothing kept), 2 when refused.",
    )
    p.add_argument("source", metavar="SOURCE", help=f"the workspace to copy: {_TARGET_HELP}")
    p.add_argument("dest", metavar="DEST", help=f"where to copy it: {_TARGET_HELP}")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_copy, targets=("source", "dest"))

    p = subparsers.add_parser(
        "compare",
        help="compare two workspaces row by row (files or server databases)",
        description="Reads both workspaces (read-only) and names the rows and values that "
        "differ; evidence files are compared by SHA-256. Exit 0 when they hold the same "
        "content, 1 when they differ.",
    )
    p.add_argument("a", metavar="A", help=_TARGET_HELP)
    p.add_argument("b", metavar="B", help=_TARGET_HELP)
    p.add_argument("--json", action="store_true", help="print the differences as JSON")
    p.set_defaults(func=cmd_compare, targets=("a", "b"))


def cmd_copy(args: argparse.Namespace) -> int:
    """Copy, check, and say what happened."""
    from qmsr_ready.core.transfer.copy import copy_workspace

    report = copy_workspace(args.source, args.dest)
    if args.json:
        _dump({
            "source": report.source, "dest": report.dest, "kept": report.kept,
            "rows": report.rows, "tables": report.tables, "chain": report.chain.as_dict(),
            "differences": [str(d) for d in report.differences],
        })
    else:
        print(report.summary())
        _print_differences(report.differences)
    return 0 if report.kept else EXIT_DIFFERENT


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare two workspaces and name what differs."""
    from qmsr_ready.core.transfer import targets
    from qmsr_ready.core.transfer.compare import compare_workspaces

    with targets.open_read_only(args.a) as a, targets.open_read_only(args.b) as b, \
            a.engine.connect() as ca, b.engine.connect() as cb, ca.begin(), cb.begin():
        differences = compare_workspaces(ca, cb)
    if args.json:
        _dump({"a": targets.display(args.a), "b": targets.display(args.b),
               "differences": [str(d) for d in differences]})
    elif differences:
        print(f"{targets.display(args.a)} and {targets.display(args.b)} differ:")
        _print_differences(differences)
    else:
        print(f"No differences between {targets.display(args.a)} and "
              f"{targets.display(args.b)}.")
    return EXIT_DIFFERENT if differences else 0


def _print_differences(differences: Sequence[Difference]) -> None:
    for d in differences[:_SHOWN_DIFFERENCES]:
        print(f"  {d}")
    if len(differences) > _SHOWN_DIFFERENCES:
        print(f"  … and {len(differences) - _SHOWN_DIFFERENCES} more (use --json for all)")


def _dump(data: dict[str, object]) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
