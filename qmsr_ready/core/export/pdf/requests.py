"""Request log: the day's requests with time to present and lateness, the statistics, the
register of what was shown (document, version, SHA-256 prefix) and the SME roster with its gaps.

Listed in the contents and written only when the inspection has inspection-day records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.platypus import Flowable, PageBreak, Spacer

from qmsr_ready.core.export.pdf.context import PdfContext, chunks, grid_table
from qmsr_ready.core.export.pdf.styles import CONTENT_WIDTH, Para, esc
from qmsr_ready.core.export.progress import check
from qmsr_ready.core.inspection_day.report import RequestLogReport
from qmsr_ready.core.inspection_day.stats import TimingStats, format_duration
from qmsr_ready.core.inspection_day.views import RequestView

TITLE = "Request log"
KEY = "sec-requests"
_W = CONTENT_WIDTH
REQ_WIDTHS = [_W * 0.08, _W * 0.12, _W * 0.38, _W * 0.15, _W * 0.13, _W * 0.14]
STAT_WIDTHS = [_W * 0.28, _W * 0.12, _W * 0.12, _W * 0.1, _W * 0.13, _W * 0.13, _W * 0.12]
SHOWN_WIDTHS = [_W * 0.1, _W * 0.3, _W * 0.16, _W * 0.2, _W * 0.24]
ROSTER_WIDTHS = [_W * 0.21, _W * 0.16, _W * 0.16, _W * 0.13, _W * 0.12, _W * 0.22]
LATE_FILL = "#F8D7DA"
GAP_FILL = "#FFF3CD"


def _log(ctx: PdfContext) -> RequestLogReport | None:
    log = ctx.report.request_log
    return log if isinstance(log, RequestLogReport) and not log.empty else None


def outline(ctx: PdfContext) -> list[tuple[int, str, str]]:
    return [(0, TITLE, KEY)] if _log(ctx) is not None else []


def _hm(value: dt.datetime | None) -> str:
    return "—" if value is None else f"{value:%Y-%m-%d %H:%M}"


def build(ctx: PdfContext) -> list[Flowable]:
    """The section, or nothing when the inspection has no requests, notes or roster."""
    log = _log(ctx)
    if log is None:
        return []
    st = ctx.styles
    s = log.stats.overall
    out: list[Flowable] = [ctx.heading(TITLE, KEY)]
    out.append(Para(esc(
        f"{len(log.requests)} requests logged; {s.presented} presented, {s.open} open, "
        f"{log.stats.withdrawn} withdrawn, {log.stats.prepared} pre-staged. Target "
        f"{format_duration(log.stats.target_s)} to present; {s.late} late. Times in UTC, as of "
        f"{_hm(log.now)}."), st.muted))
    if log.requests:
        out.append(Para("Requests", st.h2))
        for part in chunks(log.requests, 30):
            check(ctx.progress)
            out.append(_requests(ctx, log, part))
        out += [Spacer(1, 8), Para("Time to present", st.h2), _stats(ctx, log)]
        shown = [r for r in log.requests if r.items]
        if shown:
            out += [Spacer(1, 8), Para("What was shown", st.h2),
                    Para("Each item handed over, with the document version and, where a file "
                         "was stored, the first 12 characters of its SHA-256, so the exact "
                         "revision the investigator saw can be proved.", st.muted),
                    _shown(ctx, shown)]
    if log.roster or log.preparation_gaps:
        out += [Spacer(1, 8), Para("SME roster", st.h2), _roster(ctx, log)]
    if log.notes:
        out += [Spacer(1, 8), Para("Scribe notes", st.h2),
                Para(esc(f"{len(log.notes)} notes taken; they are listed in the workbook's "
                         "Scribe notes sheet."), st.muted)]
    out.append(PageBreak())
    return out


def _requests(ctx: PdfContext, log: RequestLogReport, part: Sequence[RequestView]) -> Flowable:
    st = ctx.styles
    rows: list[list[object]] = [[Para(h, st.cell_head) for h in (
        "ID", "Asked at", "What was asked", "Kind / owner", "Status", "Time to present")]]
    extra = []
    for i, r in enumerate(part, start=1):
        asked = esc(r.text)
        if r.requested_by:
            asked += f'<br/><font color="#5A6675">by {esc(r.requested_by)}</font>'
        where = " / ".join(p for p in (r.area_id, r.element_id) if p)
        if where:
            asked += f'<br/><font color="#5A6675">{esc(where)}</font>'
        elapsed = r.elapsed(log.now)
        late = r.is_late(log.now, log.target)
        timing = "—" if elapsed is None else format_duration(elapsed.total_seconds(), late=late)
        if elapsed is not None and r.is_open:
            timing += " so far"
        if late:
            timing = f"<b>{timing}<br/>LATE</b>"
            extra.append(("BACKGROUND", (0, i), (-1, i), LATE_FILL))
        status = esc(r.status_label)
        if r.presented_at is not None:
            status += f"<br/>{_hm(r.presented_at)[11:]}"
        kind = esc(r.kind_label) + (" · <b>High</b>" if r.priority == "high" else "")
        rows.append([
            Para(esc(r.code), st.cell_bold),
            Para(_hm(r.requested_at).replace(" ", "<br/>"), st.cell),
            Para(asked, st.cell), Para(f"{kind}<br/>{esc(r.owner or 'No owner')}", st.cell),
            Para(status, st.cell), Para(timing, st.cell),
        ])
    return grid_table(rows, REQ_WIDTHS, extra=extra, zebra=False)


def _stats(ctx: PdfContext, log: RequestLogReport) -> Flowable:
    st = ctx.styles
    rows: list[list[object]] = [[Para(h, st.cell_head) for h in (
        "Group", "Requests", "Presented", "Late", "Median", "90th pct", "Longest")]]
    groups: list[tuple[str, TimingStats]] = [("All requests", log.stats.overall)]
    for label, items in (("Owner", log.stats.by_owner), ("Kind", log.stats.by_kind),
                         ("Area", log.stats.by_area), ("Day (UTC)", log.stats.by_day)):
        groups.extend((f"{label}: {g.key}", g) for g in items)
    for name, g in groups:
        rows.append([Para(esc(name), st.cell_bold if name == "All requests" else st.cell),
                     *(Para(str(v), st.cell) for v in (g.count, g.presented, g.late)),
                     *(Para(format_duration(v), st.cell)
                       for v in (g.median_s, g.p90_s, g.longest_s))])
    return grid_table(rows, STAT_WIDTHS)


def _shown(ctx: PdfContext, requests: list[RequestView]) -> Flowable:
    st = ctx.styles
    rows: list[list[object]] = [[Para(h, st.cell_head) for h in (
        "Request", "Document", "Version", "SHA-256 (prefix)", "Shown")]]
    for r in requests:
        for item in r.items:
            rows.append([Para(esc(r.code), st.cell_bold), Para(esc(item.document_id), st.cell),
                         Para(esc(item.version or "—"), st.cell),
                         Para(esc(item.sha256[:12] or "no file stored"), st.cell),
                         Para(esc(f"{_hm(item.presented_at)} by {item.presented_by}"), st.cell)])
    return grid_table(rows, SHOWN_WIDTHS)


def _roster(ctx: PdfContext, log: RequestLogReport) -> Flowable:
    st = ctx.styles
    titles = {a.area_id: a.title for a in ctx.report.areas}
    gaps = {g.area_id: g for g in log.preparation_gaps}
    rows: list[list[object]] = [[Para(h, st.cell_head) for h in (
        "Area", "Presenter", "Backup", "Storyboard", "Prepared", "Gaps")]]
    extra = []
    entries = {e.area_id: e for e in log.roster}
    order = [a.area_id for a in ctx.report.areas if a.area_id in entries or a.area_id in gaps]
    order += sorted(k for k in {*entries, *gaps} if k not in order)
    for i, area_id in enumerate(order, start=1):
        e = entries.get(area_id)
        missing = gaps[area_id].missing if area_id in gaps else (e.gaps if e else ())
        if missing:
            extra.append(("BACKGROUND", (-1, i), (-1, i), GAP_FILL))
        title = titles.get(area_id) or (gaps[area_id].area_title if area_id in gaps else "")
        rows.append([
            Para(esc(f"{area_id} {title}".strip()), st.cell),
            Para(esc(e.presenter if e else "") or "—", st.cell),
            Para(esc(e.backup if e else "") or "—", st.cell),
            Para(esc(e.storyboard if e else "") or "—", st.cell),
            Para("Yes" if e and e.prepared else "No", st.cell),
            Para(esc(", ".join(missing)) or "ready", st.cell),
        ])
    return grid_table(rows, ROSTER_WIDTHS, extra=extra, zebra=False)
