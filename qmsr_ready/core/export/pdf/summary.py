"""Executive summary: verdict and why, conformance chart, area table, class × area, top risks."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from qmsr_ready.core.export.pdf.context import PdfContext, grid_table
from qmsr_ready.core.export.pdf.fonts import BOLD, REGULAR
from qmsr_ready.core.export.pdf.styles import (
    CLASS_FILL,
    CONTENT_WIDTH,
    GRID,
    LIGHT,
    MUTED,
    NAVY,
    Para,
    esc,
    fmt_date,
    score_colour,
)
from qmsr_ready.core.report.bands import BAND_LEGEND, band_of
from qmsr_ready.core.report.model import UNLINKED_AREA, AreaScore, ReadinessReport
from qmsr_ready.core.report.scoring import format_percent
from qmsr_ready.core.report.verdict import readiness_verdict

TITLE = "Executive summary"


def build(ctx: PdfContext) -> list[Flowable]:
    """The page a director reads first."""
    r, st = ctx.report, ctx.styles
    o = r.overall
    verdict = readiness_verdict(r)
    out: list[Flowable] = [
        ctx.heading(TITLE, "sec-summary"),
        Para(esc(_overview(r)), st.body),
        Para(esc(f"Readiness verdict: {verdict.label}") + ("." if not verdict.reasons else
                                                          ", because:"), st.body),
        *[Para(esc(f"• {reason}"), st.body) for reason in verdict.reasons],
        Spacer(1, 4 * mm),
        readiness_chart(r.areas, o),
        Para("Checklist conformance = weighted credit of assessed questions (conforms 1, minor "
             "gap 0.5, major gap 0) over their weights; not applicable excluded; not assessed "
             f"lowers coverage only. Bands: {esc(BAND_LEGEND)}.", st.muted),
        Para("Checklist conformance by area", st.h2),
        _area_table(ctx),
        Para("Findings by classification and area", st.h2),
        _matrix(ctx),
        Para("Top risks", st.h2),
        _top_risks(ctx),
        PageBreak(),
    ]
    return out


def _overview(r: ReadinessReport) -> str:
    """The opening sentence, worded for an inspection with and without assessed questions."""
    o = r.overall
    if o.score is None:
        opening = (f"Nothing has been assessed yet: 0 of {o.applicable} applicable questions "
                   "have a result.")
    else:
        risk = r.risk_focus
        opening = (
            f"Checklist conformance is {format_percent(o.score)} "
            f"({band_of(o.score).label.lower()}; risk-focus questions "
            f"{format_percent(risk.score)}) with {format_percent(o.coverage)} "
            f"of applicable questions assessed ({o.assessed} of {o.applicable}). "
            f"{_count(o.major_gaps, 'major gap')} and {_count(o.minor_gaps, 'minor gap')} "
            "were recorded."
        )
    return (f"{opening} {_n(o.open_findings, 'finding')} open and "
            f"{_n(len(r.overdue_actions), 'action')} overdue as of {r.today:%Y-%m-%d}.")


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun} is" if count == 1 else f"{count} {noun}s are"


def readiness_chart(areas: tuple[AreaScore, ...], overall: AreaScore) -> Drawing:
    """Horizontal bars per area plus overall, coloured by threshold, value at the bar end."""
    items = [*areas, overall]
    bar_h = 13
    height = len(items) * bar_h * 1.45 + 30
    d = Drawing(CONTENT_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 18
    plot_width, plot_height = CONTENT_WIDTH - 190, height - 26
    chart.width = plot_width  # type: ignore[assignment]  # float points; reportlab stubs say int
    chart.height = plot_height  # type: ignore[assignment]  # as above
    # Top-down reading order: reportlab draws the first category at the bottom.
    ordered = list(reversed(items))
    chart.data = [[a.score or 0 for a in ordered]]
    chart.categoryAxis.categoryNames = [
        (a.title if len(a.title) <= 36 else a.title[:35] + "…") for a in ordered
    ]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.strokeColor = GRID
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.strokeColor = GRID
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = LIGHT
    chart.bars.strokeColor = None
    chart.barWidth = bar_h
    for i, a in enumerate(ordered):
        chart.bars[(0, i)].fillColor = NAVY if a.area_id == "ALL" else score_colour(a.score)
    d.add(chart)
    step = chart.height / len(ordered)
    for i, a in enumerate(ordered):
        x = chart.x + chart.width * (a.score or 0) / 100 + 4
        y = chart.y + step * (i + 0.5) - 3
        d.add(String(x, y, format_percent(a.score), fontName=BOLD if a.area_id == "ALL"
                     else REGULAR, fontSize=7.5, fillColor=MUTED))
    return d


def _area_table(ctx: PdfContext) -> Flowable:
    st = ctx.styles
    head = ["Area", "Conformance", "Band", "Coverage (assessed)", "Minor", "Major",
            "Not applicable", "Findings"]
    rows: list[list[object]] = [[Para(h, st.cell_head) for h in head]]
    for a in (*ctx.report.areas, ctx.report.overall):
        style = st.cell_bold if a.area_id == "ALL" else st.cell
        rows.append([
            Para(esc(a.title if a.area_id == "ALL" else f"{a.area_id} — {a.title}"), style),
            Para(format_percent(a.score), style), Para(band_of(a.score).label, style),
            Para(f"{format_percent(a.coverage)} ({a.assessed}/{a.applicable})", style),
            Para(str(a.minor_gaps), style),
            Para(str(a.major_gaps), style), Para(str(a.not_applicable), style),
            Para(f"{a.open_findings} open / {a.findings}", style),
        ])
    w = CONTENT_WIDTH
    return grid_table(rows, [w * 0.2, w * 0.14, w * 0.12, w * 0.15, w * 0.07, w * 0.07,
                             w * 0.13, w * 0.12])


def _matrix(ctx: PdfContext) -> Flowable:
    m = ctx.report.findings_by_class_area
    if len(m.area_ids) > 8:  # many areas (e.g. 15 legacy subparts): one row per area instead
        return _matrix_by_area(ctx)
    st = ctx.styles
    names = [a if a != UNLINKED_AREA else "Unlinked" for a in m.area_ids]
    rows: list[list[Any]] = [[Para("Classification", st.cell_head)]
                                + [Para(h, st.head_right) for h in [*names, "Total"]]]
    extra: list[tuple[object, ...]] = []
    for i, (cls, label) in enumerate(zip(m.classifications, m.classification_labels,
                                         strict=True), start=1):
        rows.append([Para(esc(label), st.cell)]
                    + [Para(str(c) if c else "·", st.right) for c in m.counts[i - 1]]
                    + [Para(f"<b>{m.row_total(cls)}</b>", st.right)])
        if cls in CLASS_FILL:
            extra.append(("BACKGROUND", (0, i), (0, i), CLASS_FILL[cls]))
    first = 45 * mm
    rest = (CONTENT_WIDTH - first) / (len(names) + 1)
    return grid_table(rows, [first] + [rest] * (len(names) + 1), extra=extra, zebra=False)


def _matrix_by_area(ctx: PdfContext) -> Flowable:
    """The same counts transposed: areas down, classifications across, so nothing wraps."""
    st = ctx.styles
    m = ctx.report.findings_by_class_area
    rows: list[list[Any]] = [[Para("Area", st.cell_head)]
                                + [Para(esc(h), st.head_right)
                                   for h in [*m.classification_labels, "Total"]]]
    # Tint the class columns below the (navy) header, as the other layout tints the class rows.
    extra: list[tuple[object, ...]] = [
        ("BACKGROUND", (j, len(m.area_ids) + 1), (j, len(m.area_ids) + 1), CLASS_FILL[cls])
        for j, cls in enumerate(m.classifications, start=1) if cls in CLASS_FILL
    ]
    for j, area in enumerate(m.area_ids):
        counts = [row[j] for row in m.counts]
        rows.append([Para(esc(area if area != UNLINKED_AREA else "Unlinked"), st.cell)]
                    + [Para(str(c) if c else "·", st.right) for c in counts]
                    + [Para(f"<b>{m.column_total(area)}</b>", st.right)])
    rows.append([Para("<b>Total</b>", st.cell)]
                + [Para(f"<b>{m.row_total(cls)}</b>", st.right) for cls in m.classifications]
                + [Para(f"<b>{sum(m.row_total(c) for c in m.classifications)}</b>", st.right)])
    first, total = 28 * mm, 16 * mm
    rest = (CONTENT_WIDTH - first - total) / len(m.classifications)
    return grid_table(rows, [first] + [rest] * len(m.classifications) + [total], extra=extra,
                      zebra=False)


def _top_risks(ctx: PdfContext) -> Flowable:
    st = ctx.styles
    if not ctx.report.top_risks:
        return Para("No open findings.", st.body)
    head = ["ID", "Finding", "Class", "Risk", "Owner", "Due"]
    rows: list[list[object]] = [[Para(h, st.cell_head) for h in head]]
    for f in ctx.report.top_risks:
        due = fmt_date(f.due_date) + (" (overdue)" if f.overdue else "")
        rows.append([
            Para(esc(f.code), st.cell_bold), Para(esc(f.title), st.cell),
            Para(esc(f.classification_label), st.cell),
            Para(f"{f.risk_score}{' · 483' if f.likely_483 else ''}", st.cell),
            Para(esc(f.owner), st.cell), Para(esc(due), st.cell),
        ])
    w = CONTENT_WIDTH
    return grid_table(rows, [w * 0.08, w * 0.42, w * 0.13, w * 0.1, w * 0.15, w * 0.12])
