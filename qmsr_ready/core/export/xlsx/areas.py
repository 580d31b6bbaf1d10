"""Areas sheet: checklist conformance, its band, coverage and answer counts per area, overall
last."""

from __future__ import annotations

from openpyxl.formatting.rule import DataBarRule
from openpyxl.styles import Font

from qmsr_ready.core.export.xlsx.table import Column, SheetContext, write_table
from qmsr_ready.core.report.bands import band_of
from qmsr_ready.core.report.model import AreaScore
from qmsr_ready.core.report.scoring import cell_percent

SHEET = "Areas"
COLUMNS = (
    Column("Area", 8),
    Column("Title", 36, "wrap"),
    Column("Conformance %", 13, "pct"),
    Column("Band", 12),
    Column("Coverage %", 11, "pct"),
    Column("Applicable", 10, "int"),
    Column("Assessed", 10, "int"),
    Column("Conforms", 10, "int"),
    Column("Minor gaps", 10, "int"),
    Column("Major gaps", 10, "int"),
    Column("Not applicable", 11, "int"),
    Column("Not assessed", 11, "int"),
    Column("Findings", 10, "int"),
    Column("Open findings", 10, "int"),
)


def _values(a: AreaScore) -> tuple[object, ...]:
    return (
        a.area_id, a.title, _round(a.score), band_of(a.score).label, _round(a.coverage),
        a.applicable, a.assessed,
        a.conforms, a.minor_gaps, a.major_gaps, a.not_applicable, a.not_assessed, a.findings,
        a.open_findings,
    )


def _round(value: float | None) -> float | None:
    return cell_percent(value)


def write(ctx: SheetContext) -> None:
    """One row per area plus the overall row."""
    ws = ctx.wb.create_sheet(SHEET)
    report = ctx.report
    rows = [(a.area_id, _values(a)) for a in (*report.areas, report.overall)]
    last = write_table(ctx, ws, COLUMNS, rows, title="Checklist conformance by area")
    for cell in ws[last]:
        cell.font = Font(bold=True)
    if last >= 2:
        ws.conditional_formatting.add(
            f"C2:C{last}",
            DataBarRule(start_type="num", start_value=0, end_type="num", end_value=100,
                        color="5B8DB8"),
        )
