"""``qmsr-ready export``: write the Excel and/or PDF readiness pack of one inspection headlessly."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qmsr_ready.commands._args import WORKSPACE_HELP
from qmsr_ready.core.errors import InvalidInput

if TYPE_CHECKING:  # the report package loads SQLAlchemy: import it only when exporting
    from qmsr_ready.core.report.model import AreaScore, ReadinessReport


def _file_path(text: str) -> Path:
    """A file path argument; a folder (or a trailing slash) is refused where a file is needed."""
    from qmsr_ready.core.export.run import pack_target

    try:
        return pack_target(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from exc


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` sub-command."""
    p = subparsers.add_parser(
        "export",
        help="export an inspection's readiness pack (Excel workbook and/or PDF)",
        description="Build the readiness report of one inspection and write the packs. The "
        "workspace is opened read-only, so this works while the GUI has it open.",
    )
    p.add_argument("workspace", metavar="WORKSPACE", help=WORKSPACE_HELP)
    p.add_argument("--inspection", required=True, metavar="CODE", help="inspection code")
    p.add_argument("--xlsx", metavar="PATH", type=_file_path,
                   help="write the Excel workbook here")
    p.add_argument("--pdf", metavar="PATH", type=_file_path, help="write the PDF here")
    p.add_argument("--gaps-only", action="store_true",
                   help="list only questions with a gap (checklist sheet and PDF detail)")
    p.add_argument("--json", action="store_true", help="print paths, sizes and readiness as JSON")
    p.set_defaults(func=cmd_export)


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
    """Open read-only, build the report once, render each requested pack, record them as sent."""
    from qmsr_ready.core.export import ExportOptions
    from qmsr_ready.core.export.chain_state import chain_json, chain_line
    from qmsr_ready.core.export.run import run_export
    from qmsr_ready.core.report.bands import band_of
    from qmsr_ready.core.report.scoring import format_percent

    outcome = run_export(args.workspace, args.inspection, xlsx=args.xlsx, pdf=args.pdf,
                         options=ExportOptions(gaps_only=args.gaps_only))
    if outcome.problem:
        print(f"qmsr-ready: {outcome.problem}", file=sys.stderr)
    report, verdict = outcome.report, outcome.verdict
    written: list[dict[str, Any]] = [
        {"kind": f.kind, "path": str(f.path), "size": f.size} for f in outcome.files
    ]
    if args.json:
        json.dump({**readiness_json(report), "audit_trail": chain_json(report.audit),
                   "files": written}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for item in written:
            print(f"Wrote {item['path']} ({item['size']:,} bytes)")
        overall = report.overall
        print(f"Readiness of {report.inspection.code}: {verdict.summary}")
        print(f"Checklist conformance: {format_percent(overall.score)} "
              f"({band_of(overall.score).label}); risk-focus "
              f"questions {format_percent(report.risk_focus.score)}")
        print(chain_line(report.audit))
    return 0
