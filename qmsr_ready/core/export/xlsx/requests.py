"""Requests sheet (the front-room request log, editable and re-importable by request ID) and a
Request statistics sheet (time to present: count, median, 90th percentile, longest, late, by
owner, kind, area and day), written only when the inspection has requests.

The headers of the exchanged columns are the ``REQUEST`` field labels of
``core.fields``; the statistics live on their own sheet so a row added below the log is
always a new request, never a statistics line read back as one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from qmsr_ready.core.export.safe_text import is_risky
from qmsr_ready.core.export.xlsx.meta import field_hashes
from qmsr_ready.core.export.xlsx.styles import RED_FILL, RED_FONT
from qmsr_ready.core.export.xlsx.table import (
    Column,
    SheetContext,
    add_list_validation,
    column_index,
    excel_value,
    print_setup,
    write_table,
)
from qmsr_ready.core.fields import REQUEST
from qmsr_ready.core.inspection_day.report import RequestLogReport
from qmsr_ready.core.inspection_day.stats import TimingStats, format_duration
from qmsr_ready.core.inspection_day.views import RequestView

SHEET = "Requests"
STATS_SHEET = "Request statistics"
_label = REQUEST.label_of  # exchanged columns are headed by their spec labels
COLUMNS = (
    Column(REQUEST.key_label, 10),
    Column(_label("requested_at"), 17, "datetime"),
    Column(_label("requested_by"), 16),
    Column(_label("text"), 44, "wrap"),
    Column(_label("kind"), 11),
    Column(_label("area_id"), 8),
    Column(_label("element_id"), 10),
    Column(_label("priority"), 9),
    Column(_label("owner"), 16),
    Column(_label("status"), 14),
    Column(_label("presented_at"), 17, "datetime"),
    Column("Elapsed (min)", 9, "int"),
    Column("Late", 6),
    Column("Shown (document, version, SHA-256)", 34, "wrap"),
    Column(_label("notes"), 36, "wrap"),
    Column(_label("finding_codes"), 12, "wrap"),
)


def log_of(ctx: SheetContext) -> RequestLogReport | None:
    log = ctx.report.request_log
    return log if isinstance(log, RequestLogReport) else None


def minutes(seconds: float | None) -> float | None:
    """Seconds as minutes with one decimal, the unit people read a request's time in."""
    return None if seconds is None else round(seconds / 60, 1)


def shown(r: RequestView) -> str:
    """What was handed over, one line per item (SHA-256 prefix where a file was stored)."""
    return "\n".join(
        ", ".join(p for p in (i.document_id, i.version, i.sha256[:12]) if p) for i in r.items
    )


def _minutes(seconds: float, late: bool) -> int:
    """Whole minutes; a late time rounds up so it never equals the target (as on screen)."""
    return -(-round(seconds) // 60) if late else round(seconds / 60)


def row_values(r: RequestView, now: dt.datetime, target: dt.timedelta) -> tuple[Any, ...]:
    elapsed = r.elapsed(now)
    return (
        r.code, r.requested_at, r.requested_by, r.text, r.kind_label, r.area_id, r.element_id,
        r.priority_label, r.owner, r.status_label, r.presented_at,
        None if elapsed is None else _minutes(elapsed.total_seconds(), r.is_late(now, target)),
        "Yes" if r.is_late(now, target) else "No", shown(r), r.notes, r.finding_codes,
    )


def base_hashes(r: RequestView) -> str:
    """The export-time hash of each exchanged request field (metadata format 2)."""
    return field_hashes(REQUEST, {name: getattr(r, name) for name in REQUEST.names})


def write(ctx: SheetContext) -> None:
    """The log, one row per request, and its statistics; nothing when there are no requests."""
    log = log_of(ctx)
    if log is None or not log.requests:
        return
    ws = ctx.wb.create_sheet(SHEET)
    rows = ((r.code, row_values(r, log.now, log.target), base_hashes(r)) for r in log.requests)
    last = write_table(ctx, ws, COLUMNS, rows, title="Request log")
    for name in ("kind", "priority", "status"):  # drop-downs of the spec's vocabulary labels
        spec = REQUEST.field(name)
        add_list_validation(ws, column_index(COLUMNS, spec.label), last,
                            list((spec.labels or {}).values()), spec.label)
    if last >= 2:
        late = get_column_letter(column_index(COLUMNS, "Late"))
        ws.conditional_formatting.add(
            f"A2:{get_column_letter(len(COLUMNS))}{last}",
            FormulaRule(formula=[f'${late}2="Yes"'], fill=RED_FILL, font=RED_FONT),
        )
    _write_stats(ctx, log)


STATS_HEADER = ("Group", "Value", "Requests", "Presented", "Open", "Late", "Median (min)",
                "90th percentile (min)", "Longest (min)", "Median (as read)")
STATS_WIDTHS = (12, 24, 10, 10, 8, 8, 12, 14, 12, 16)


def _write_stats(ctx: SheetContext, log: RequestLogReport) -> None:
    stats = log.stats
    ws = ctx.wb.create_sheet(STATS_SHEET)
    put = ctx.styles.apply
    ws.append(["Request statistics"])
    put(ws.cell(row=1, column=1), "title")
    ws.append([f"Time to present (presented at − requested at) against a target of "
               f"{format_duration(stats.target_s)}; withdrawn ({stats.withdrawn}) and "
               f"pre-staged ({stats.prepared}) requests are not timed. Times in minutes; "
               f"open requests count as late once past the target. As of "
               f"{log.now:%Y-%m-%d %H:%M} UTC."])
    put(ws.cell(row=2, column=1), "subtitle")
    ws.append([])
    ws.append(list(STATS_HEADER))
    for cell in ws[4]:
        put(cell, "header")
    groups: list[tuple[str, TimingStats]] = [("Overall", stats.overall)]
    for label, items in (("Owner", stats.by_owner), ("Kind", stats.by_kind),
                         ("Area", stats.by_area), ("Day (UTC)", stats.by_day)):
        groups.extend((label, g) for g in items)
    for group, g in groups:
        key = excel_value("All requests" if g.key == "all" else g.key)  # owner: typed text
        ws.append([group, key, g.count, g.presented, g.open, g.late, minutes(g.median_s),
                   minutes(g.p90_s), minutes(g.longest_s), format_duration(g.median_s)])
        row = ws.max_row
        for col in range(1, len(STATS_HEADER) + 1):
            cell = ws.cell(row=row, column=col)
            if col == 2 and is_risky(key):
                cell.data_type = "s"
                put(cell, "text", quoted=True)
            else:
                put(cell, "int" if 3 <= col <= 6 else "text")
            if 7 <= col <= 9:
                cell.number_format = "0.0"
    for i, width in enumerate(STATS_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A5"
    print_setup(ws, title=STATS_SHEET, report=ctx.report)
