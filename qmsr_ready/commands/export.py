"""``qmsr-ready export``: write the Excel and/or PDF readiness pack of one inspection headlessly."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qmsr_ready.core.errors import InvalidInput

if TYPE_CHECKING:  # the report package loads SQLAlchemy: import it only when exporting
    from qmsr_ready.core.report.model import AreaScore, ReadinessReport


def _file_path(text: str) -> Path:
    """A file path argument; a trailing slash means a folder was given where a file is needed."""
    if text.endswith(("/", os.sep)):
        raise argparse.ArgumentTypeError(f"{text!r} is a folder; give a file name in it")
    return Path(text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def _record_sent(workspace: str, code: str, written: list[dict[str, Any]]) -> None:
    """Record the packs as sent (issue 8: "changed since last export"); never fails the export."""
    from qmsr_ready.core.audit import default_actor
    from qmsr_ready.core.exchange.exports import record_exports_in_file

    files = [(item["kind"], Path(item["path"])) for item in written]
    problem = record_exports_in_file(workspace, default_actor(), code, files)
    if problem:
        print(f"qmsr-ready: {problem}", file=sys.stderr)


def _percent_json(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _score_json(score: AreaScore) -> dict[str, Any]:
    from qmsr_ready.core.report.bands import band_of
    from qmsr_ready.core.report.scoring import format_percent

    band = band_of(score.score)
    return {
        "checklist_conformance": _percent_json(score.score),
        "shown_as": format_percent(score.score),  # as the dashboard and the packs print it
        "band": band.value,
        "band_label": band.label,
        "coverage": _percent_json(score.coverage),
        "assessed": score.assessed,
        "applicable": score.applicable,
    }


def readiness_json(report: ReadinessReport) -> dict[str, Any]:
    """What ``--json`` prints about readiness: the verdict and why, conformance and bands.

    ``overall_readiness`` is the former name of ``checklist_conformance``, kept for scripts.
    """
    from qmsr_ready.core.report.verdict import readiness_verdict

    verdict = readiness_verdict(report)
    overall = _score_json(report.overall)
    return {
        "inspection": report.inspection.code,
        "site": report.site.name,
        "verdict": verdict.level.value,
        "verdict_label": verdict.label,
        "verdict_reasons": list(verdict.reasons),
        **overall,
        "overall_readiness": overall["checklist_conformance"],
        "risk_focus": _score_json(report.risk_focus),
        "areas": [{"area_id": a.area_id, "title": a.title, **_score_json(a)}
                  for a in report.areas],
    }


def cmd_export(args: argparse.Namespace) -> int:
    """Open read-only, build the report once, render each requested pack."""
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.export import ExportOptions, export_pdf, export_xlsx
    from qmsr_ready.core.export.chain_state import chain_json, chain_line
    from qmsr_ready.core.report import build_report
    from qmsr_ready.core.report.bands import band_of
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
    _record_sent(args.workspace, report.inspection.code, written)
    overall = report.overall
    verdict = readiness_verdict(report)
    if args.json:
        json.dump({**readiness_json(report), "audit_trail": chain_json(report.audit),
                   "files": written}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for item in written:
            print(f"Wrote {item['path']} ({item['size']:,} bytes)")
        score = format_percent(overall.score)
        print(f"Readiness of {report.inspection.code}: {verdict.summary}")
        print(f"Checklist conformance: {score} ({band_of(overall.score).label}); risk-focus "
              f"questions {format_percent(report.risk_focus.score)}")
        print(chain_line(report.audit))
    return 0
