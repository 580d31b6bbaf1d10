"""``qmsr-ready export``: write the Excel and/or PDF readiness pack of one inspection headlessly."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from qmsr_ready.core.errors import InvalidInput


def _file_path(text: str) -> Path:
    """A file path argument; a trailing slash means a folder was given where a file is needed."""
    if text.endswith(("/", os.sep)):
        raise argparse.ArgumentTypeError(f"{text!r} is a folder; give a file name in it")
    return Path(text)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``export`` sub-command."""
    p = subparsers.add_parser(
        "export",
        help="export an inspection's readiness pack (Excel workbook and/or PDF)",
        description="Build the readiness report of one inspection and write the packs. The "
        "workspace is opened read-only, so this works while the GUI has it open.",
    )
    p.add_argument("workspace", metavar="WORKSPACE", help="the .qmsr workspace file")
    p.add_argument("--inspection", required=True, metavar="CODE", help="inspection code")
    p.add_argument("--xlsx", metavar="PATH", type=_file_path,
                   help="write the Excel workbook here")
    p.add_argument("--pdf", metavar="PATH", type=_file_path, help="write the PDF here")
    p.add_argument("--gaps-only", action="store_true",
                   help="list only questions with a gap (checklist sheet and PDF detail)")
    p.add_argument("--json", action="store_true", help="print paths, sizes and readiness as JSON")
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    """Open read-only, build the report once, render each requested pack."""
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.export import ExportOptions, export_pdf, export_xlsx
    from qmsr_ready.core.report import build_report
    from qmsr_ready.core.report.scoring import format_percent
    from qmsr_ready.core.report.verdict import readiness_verdict

    if args.xlsx is None and args.pdf is None:
        raise InvalidInput("Nothing to export: give --xlsx PATH, --pdf PATH or both.")
    if args.xlsx is not None and args.pdf is not None and \
            args.xlsx.expanduser().resolve() == args.pdf.expanduser().resolve():
        raise InvalidInput("--xlsx and --pdf name the same file; give each pack its own name.")
    options = ExportOptions(gaps_only=args.gaps_only)
    with open_workspace(args.workspace, read_only=True) as ws, ws.session() as session:
        report = build_report(session, args.inspection)
    written: list[dict[str, Any]] = []
    for kind, path, export in (("xlsx", args.xlsx, export_xlsx), ("pdf", args.pdf, export_pdf)):
        if path is None:
            continue
        target = export(report, path.expanduser(), options=options)
        written.append({"kind": kind, "path": str(target.resolve()),
                        "size": target.stat().st_size})
    overall = report.overall
    verdict = readiness_verdict(report)
    if args.json:
        json.dump(
            {
                "inspection": report.inspection.code,
                "site": report.site.name,
                "overall_readiness": None if overall.score is None else round(overall.score, 1),
                "coverage": None if overall.coverage is None else round(overall.coverage, 1),
                "verdict": verdict.level.value,
                "verdict_reasons": list(verdict.reasons),
                "files": written,
            },
            sys.stdout, indent=2, ensure_ascii=False,
        )
        sys.stdout.write("\n")
    else:
        for item in written:
            print(f"Wrote {item['path']} ({item['size']:,} bytes)")
        score = format_percent(overall.score)
        print(f"Overall readiness of {report.inspection.code}: {score} ({verdict.summary})")
    return 0
