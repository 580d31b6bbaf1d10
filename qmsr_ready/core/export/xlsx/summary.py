"""Summary sheet: the one-page picture — verdict and why, conformance by area, findings, risks.

Charts are native Excel charts over the tables on this sheet, so they stay live if the numbers
are edited and render in LibreOffice as well.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qmsr_ready.core.export.chain_state import chain_line
from qmsr_ready.core.export.safe_text import is_risky
from qmsr_ready.core.export.xlsx.table import SheetContext, excel_value, print_setup
from qmsr_ready.core.fields import SITE
from qmsr_ready.core.report.bands import BAND_LEGEND, band_of
from qmsr_ready.core.report.model import UNLINKED_AREA
from qmsr_ready.core.report.scoring import cell_percent, format_percent
from qmsr_ready.core.report.verdict import readiness_verdict

SHEET = "Summary"


def _put(ctx: SheetContext, ws: Worksheet, row: int, col: int, value: Any, style: str) -> None:
    value = excel_value(value)
    cell = ws.cell(row=row, column=col, value=value)
    risky = is_risky(value)
    if risky:
        cell.data_type = "s"
    ctx.styles.apply(cell, style, quoted=risky)


def write(ctx: SheetContext) -> None:
    """Facts block, area table with a bar chart, class × area table with a stacked chart."""
    r = ctx.report
    ws = ctx.wb.create_sheet(SHEET, 0)
    ws.sheet_view.showGridLines = False
    for col, width in zip("ABCDEFGHIJ", (34, 40, 16, 13, 18, 12, 10, 10, 10, 10), strict=True):
        ws.column_dimensions[col].width = width
    # Charts sit to the right of the widest table so they never cover a column.
    chart_col = get_column_letter(max(7, len(r.findings_by_class_area.area_ids) + 2) + 2)
    _put(ctx, ws, 1, 1, "Inspection readiness pack", "title")
    _put(ctx, ws, 2, 1, f"{r.template.title} — generated {r.generated_at:%Y-%m-%d %H:%M} UTC",
         "subtitle")
    facts = [
        ("Site", f"{r.site.name} ({r.site.code})"),
        (SITE.label_of("fei_number"), r.site.fei_number),
        ("Inspection", f"{r.inspection.code} {r.inspection.title}".strip()),
        ("Type / model", f"{r.inspection.inspection_type_label} / Model {r.inspection.model}"),
        ("Planned dates", _dates(r.inspection.planned_start, r.inspection.planned_end)),
        ("Lead / team", ", ".join(t for t in (r.inspection.lead, *r.inspection.team) if t)),
        ("Status", r.inspection.status_label),
        ("Audit trail", chain_line(r.audit)),
    ]
    row = 4
    for label, value in facts:
        _put(ctx, ws, row, 1, label, "label")
        _put(ctx, ws, row, 2, value, "plain")
        row += 1
    verdict = readiness_verdict(r)
    _put(ctx, ws, row, 1, "Readiness verdict", "label")
    _put(ctx, ws, row, 2, verdict.label, "kpi")
    ws.row_dimensions[row].height = 24  # the KPI font is larger than the default row
    why = "\n".join(f"• {reason}" for reason in verdict.reasons) or "No open issue."
    _put(ctx, ws, row + 1, 1, "Why", "label")
    _put(ctx, ws, row + 1, 2, why, "plain_wrap")
    ws.merge_cells(start_row=row + 1, start_column=2, end_row=row + 1, end_column=5)
    fit_row_height(ws, row + 1, [(why, _width(ws, "BCDE"))])
    o, risk = r.overall, r.risk_focus
    _put(ctx, ws, row + 2, 1, "Checklist conformance", "label")
    _put(ctx, ws, row + 2, 2, f"{format_percent(o.score)} ({band_of(o.score).label})", "plain")
    _put(ctx, ws, row + 3, 1, "Risk-focus questions", "label")
    _put(ctx, ws, row + 3, 2, f"{format_percent(risk.score)} ({band_of(risk.score).label}; "
         f"{risk.assessed} of {risk.applicable} assessed)", "plain")
    _put(ctx, ws, row + 4, 1, "Coverage (assessed / applicable)", "label")
    _put(ctx, ws, row + 4, 2, f"{format_percent(o.coverage)} ({o.assessed} of {o.applicable})",
         "plain")
    _put(ctx, ws, row + 5, 1, "Open findings / overdue actions", "label")
    _put(ctx, ws, row + 5, 2, f"{o.open_findings} / {len(r.overdue_actions)}", "plain")
    _put(ctx, ws, row + 6, 1, "Bands", "label")
    _put(ctx, ws, row + 6, 2, BAND_LEGEND, "plain_wrap")
    ws.merge_cells(start_row=row + 6, start_column=2, end_row=row + 6, end_column=5)
    fit_row_height(ws, row + 6, [(BAND_LEGEND, _width(ws, "BCDE"))])
    row += 9

    charts: list[BarChart] = []
    area_top = _area_table(ctx, ws, row)
    n_areas = len(r.areas)
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Checklist conformance by area (%)"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.title = "%"
    chart.legend = None
    chart.x_axis.scaling.orientation = "maxMin"  # first area on top, as in the table
    chart.height, chart.width = max(7.5, 0.6 * n_areas + 2), 15  # room for every area label
    if n_areas and r.overall.score is not None:  # an empty chart frame looks broken
        chart.add_data(Reference(ws, min_col=3, min_row=area_top, max_row=area_top + n_areas),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=area_top + 1,
                                       max_row=area_top + n_areas))
        charts.append(chart)

    row = area_top + n_areas + 3
    matrix_top = _matrix_table(ctx, ws, row)
    m = r.findings_by_class_area
    if m.area_ids and any(any(c) for c in m.counts):
        stacked = BarChart()
        stacked.type = "col"
        stacked.grouping = "stacked"
        stacked.overlap = 100
        stacked.title = "Findings by classification and area"
        stacked.height, stacked.width = 7.5, 15
        stacked.add_data(Reference(ws, min_col=2, max_col=1 + len(m.area_ids),
                                   min_row=matrix_top, max_row=matrix_top + len(m.classifications)),
                         titles_from_data=True, from_rows=False)
        stacked.set_categories(Reference(ws, min_col=1, min_row=matrix_top + 1,
                                         max_row=matrix_top + len(m.classifications)))
        charts.append(stacked)
    row = matrix_top + len(m.classifications) + 3
    last = _top_risks(ctx, ws, row)
    # Beside the tables while they are narrow; below them when many areas widen the matrix,
    # so the printed page (fit to width) does not shrink to half size.
    wide = len(m.area_ids) > 8
    for i, item in enumerate(charts):
        ws.add_chart(item, f"A{last + 3 + 16 * i}" if wide else f"{chart_col}{4 + 16 * i}")
    print_setup(ws, title="Summary", report=r)
    ws.page_setup.orientation = "portrait"


def fit_row_height(ws: Worksheet, row: int, texts: list[tuple[str, float]]) -> None:
    """Give a row of wrapped text the height it needs.

    Excel and LibreOffice do not grow a row for wrapped text written by openpyxl, so long titles
    would overlap the next row; estimate lines from the column width (about one character per
    width unit) instead.
    """
    lines = max((sum(math.ceil(max(len(line), 1) / max(width - 2, 1))
                     for line in text.splitlines())
                 for text, width in texts if text), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def _width(ws: Worksheet, columns: str) -> float:
    """Width of merged columns, in the character units ``fit_row_height`` uses."""
    return sum(ws.column_dimensions[c].width or 8.43 for c in columns)


def _dates(start: Any, end: Any) -> str:
    if start and end:
        return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
    return f"{start:%Y-%m-%d}" if start else "Not planned"


def _area_table(ctx: SheetContext, ws: Worksheet, row: int) -> int:
    _put(ctx, ws, row - 1, 1, "Checklist conformance by area", "section")
    for col, head in enumerate(("Area", "Title", "Conformance %", "Coverage %", "Band"),
                               start=1):
        _put(ctx, ws, row, col, head, "header")
    for i, a in enumerate(ctx.report.areas, start=1):
        _put(ctx, ws, row + i, 1, a.area_id, "text")
        _put(ctx, ws, row + i, 2, a.title, "wrap")
        fit_row_height(ws, row + i, [(a.title, ws.column_dimensions["B"].width)])
        _put(ctx, ws, row + i, 3, cell_percent(a.score), "pct")
        _put(ctx, ws, row + i, 4, cell_percent(a.coverage), "pct")
        band = band_of(a.score)
        _put(ctx, ws, row + i, 5, band.label, f"band_{band.value}")
    return row


def _matrix_table(ctx: SheetContext, ws: Worksheet, row: int) -> int:
    m = ctx.report.findings_by_class_area
    _put(ctx, ws, row - 1, 1, "Findings by classification and area", "section")
    _put(ctx, ws, row, 1, "Classification", "header")
    for j, area in enumerate(m.area_ids, start=2):
        _put(ctx, ws, row, j, area if area != UNLINKED_AREA else "Unlinked", "header")
    _put(ctx, ws, row, len(m.area_ids) + 2, "Total", "header")
    for i, (cls, label) in enumerate(zip(m.classifications, m.classification_labels,
                                         strict=True), start=1):
        _put(ctx, ws, row + i, 1, label, "text")
        for j, count in enumerate(m.counts[i - 1], start=2):
            _put(ctx, ws, row + i, j, count, "int")
        _put(ctx, ws, row + i, len(m.area_ids) + 2, m.row_total(cls), "int")
    return row


def _top_risks(ctx: SheetContext, ws: Worksheet, row: int) -> int:
    _put(ctx, ws, row - 1, 1, "Top risks (open findings, worst first)", "section")
    heads = ("Finding", "Title", "Classification", "Risk", "Owner", "Due", "Overdue")
    for col, head in enumerate(heads, start=1):
        _put(ctx, ws, row, col, head, "header")
    if not ctx.report.top_risks:
        _put(ctx, ws, row + 1, 1, "No open findings.", "plain")
    for i, f in enumerate(ctx.report.top_risks, start=1):
        values = (f.code, f.title, f.classification_label, f.risk_score, f.owner, f.due_date,
                  f.overdue)
        styles = ("text", "wrap", "wrap", "int", "wrap", "date", "text")
        for col, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
            _put(ctx, ws, row + i, col, value, style)
        fit_row_height(ws, row + i, [
            (f.title, ws.column_dimensions["B"].width),
            (f.classification_label, ws.column_dimensions["C"].width),
            (f.owner, ws.column_dimensions["E"].width),
        ])
    return row + max(len(ctx.report.top_risks), 1)
