"""``qmsr-ready requests``: the inspection-day request log from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from typing import Any

from qmsr_ready.commands._args import WORKSPACE_HELP
from qmsr_ready.core.vocab import RequestKind, RequestStatus

AT_HELP = "{what}, ISO-8601; without an offset, this computer's local time (default now)"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``requests list|add|move|predict``."""
    p = subparsers.add_parser(
        "requests", help="the inspection-day request log (list, add, move, predict)",
        description="Log the investigator's requests, move them along and read the timings.",
    )
    sub = p.add_subparsers(dest="requests_command", metavar="ACTION", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("workspace", metavar="WORKSPACE", help=WORKSPACE_HELP)
        q.add_argument("--inspection", required=True, metavar="CODE", help="inspection code")

    q = sub.add_parser("list", help="requests and statistics (times in seconds with --json)")
    common(q)
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(func=cmd_list)

    q = sub.add_parser("add", help="log a request and print its number")
    common(q)
    q.add_argument("text", metavar="TEXT", help="what was asked")
    q.add_argument("--kind", default=RequestKind.DOCUMENT.value,
                   choices=[k.value for k in RequestKind])
    q.add_argument("--owner", default="", metavar="NAME", help="back-room owner")
    q.add_argument("--by", default="", metavar="NAME", help="the investigator who asked")
    q.add_argument("--at", default=None, metavar="ISO-8601",
                   help=AT_HELP.format(what="when it was asked"))
    q.add_argument("--prepared", action="store_true", help="pre-stage it before the day")
    q.set_defaults(func=cmd_add)

    q = sub.add_parser("move", help="move a request to a status")
    common(q)
    q.add_argument("code", metavar="R-NNN")
    q.add_argument("status", metavar="STATUS", help=", ".join(s.value for s in RequestStatus))
    q.add_argument("--at", default=None, metavar="ISO-8601", help=AT_HELP.format(what="when"))
    q.add_argument("--document", default="", metavar="ID", help="document handed over")
    q.add_argument("--version", default="", metavar="V", help="its version")
    q.set_defaults(func=cmd_move)

    q = sub.add_parser("predict", help="records an investigator usually asks for first")
    common(q)
    q.add_argument("--stage", action="store_true", help="log them all as prepared")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(func=cmd_predict)


def _actor() -> str:
    from qmsr_ready.core.audit import default_actor

    return default_actor()


def cmd_add(args: argparse.Namespace) -> int:
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.services.requests import add_request

    with open_workspace(args.workspace) as ws, ws.begin() as s:
        req = add_request(s, _actor(), inspection_code=args.inspection, text=args.text,
                          kind=args.kind, owner=args.owner, requested_by=args.by,
                          requested_at=args.at, prepared=args.prepared)
        code = req.code
    print(code)
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.services.requests import move_request

    with open_workspace(args.workspace) as ws, ws.begin() as s:
        req = move_request(s, _actor(), args.inspection, args.code, args.status, at=args.at,
                           document_id=args.document, version=args.version)
        print(f"{req.code}: {RequestStatus(req.status).label}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.inspection_day.stats import format_duration, request_statistics
    from qmsr_ready.core.inspection_day.views import list_requests, request_target

    now = dt.datetime.now(dt.UTC)
    with open_workspace(args.workspace, read_only=True) as ws, ws.session() as s:
        requests = list_requests(s, args.inspection)
        target = request_target(s)
    stats = request_statistics(requests, now, target)
    if args.json:
        json.dump({"inspection": args.inspection, "requests": [_row(r, now, target)
                                                               for r in requests],
                   "statistics": stats.as_dict()}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not requests:
        print(f"No requests logged for {args.inspection}.")
        return 0
    for r in requests:
        elapsed = r.elapsed(now)
        is_late = r.is_late(now, target)
        shown = format_duration(None if elapsed is None else elapsed.total_seconds(),
                                late=is_late)
        late = " LATE" if is_late else ""
        print(f"{r.code}  {r.status_label:<13} {shown:>10}{late:<5}  "
              f"{_cell(r.owner or '—', 16)}  {_safe(r.text)}")
    o = stats.overall
    print(f"\n{o.count} requested, {o.presented} presented, {o.open} open, {o.late} late "
          f"(target {format_duration(stats.target_s)}), {stats.withdrawn} withdrawn. "
          f"Time to present: median {format_duration(o.median_s)}, "
          f"90th percentile {format_duration(o.p90_s)}, longest {format_duration(o.longest_s)}.")
    return 0


def _safe(text: str) -> str:
    """Text fit for a terminal: control characters (ESC, BEL, CR...) shown escaped, not obeyed."""
    return "".join(ch.encode("unicode_escape").decode("ascii")
                   if unicodedata.category(ch) == "Cc" else ch for ch in text)


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _cell(text: str, width: int) -> str:
    """``text`` cut (with …) or padded to ``width`` terminal columns, so columns line up."""
    text = _safe(text)
    if sum(_width(ch) for ch in text) <= width:
        return text + " " * (width - sum(_width(ch) for ch in text))
    out, used = "", 0
    for ch in text:
        if used + _width(ch) > width - 1:
            break
        out, used = out + ch, used + _width(ch)
    return out + "…" + " " * (width - 1 - used)


def _row(r: Any, now: dt.datetime, target: dt.timedelta) -> dict[str, Any]:
    elapsed = r.elapsed(now)
    return {
        "code": r.code, "status": r.status, "kind": r.kind, "text": r.text,
        "requested_by": r.requested_by, "owner": r.owner, "priority": r.priority,
        "area_id": r.area_id, "element_id": r.element_id,
        "requested_at": r.requested_at.isoformat() if r.requested_at else None,
        "presented_at": r.presented_at.isoformat() if r.presented_at else None,
        "elapsed_s": None if elapsed is None else elapsed.total_seconds(),
        "late": r.is_late(now, target),
        "presented_items": [{"document_id": i.document_id, "version": i.version,
                             "sha256": i.sha256} for i in r.items],
        "finding_codes": list(r.finding_codes), "notes": r.notes,
    }


def cmd_predict(args: argparse.Namespace) -> int:
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.inspection_day.predict import predicted_requests
    from qmsr_ready.core.services.requests import add_request

    with open_workspace(args.workspace, read_only=not args.stage) as ws:
        with ws.session() as s:
            predicted = predicted_requests(s, args.inspection)
        staged: list[str] = []
        if args.stage and predicted:
            with ws.begin() as s:
                for p in predicted:
                    staged.append(add_request(
                        s, _actor(), inspection_code=args.inspection, text=p.text, kind=p.kind,
                        element_id=p.element_id, area_id=p.area_id, prepared=True,
                        notes=p.reason).code)
    if args.json:
        json.dump({"predicted": [p.__dict__ for p in predicted], "staged": staged},
                  sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    for p in predicted:
        print(f"- {p.text}  [{p.element_id or 'general'}]  ({p.reason})")
    if staged:
        print(f"Staged as prepared: {', '.join(staged)}")
    elif not predicted:
        print("Nothing to predict: every usual first-day request is already logged.")
    return 0
