"""Elements sheet: the inspection plan — which elements are covered, applicable, and why."""

from __future__ import annotations

from qmsr_ready.core.export.xlsx.table import Column, SheetContext, write_table

SHEET = "Elements"
COLUMNS = (
    Column("Element ID", 10),
    Column("Area", 7),
    Column("Element", 36, "wrap"),
    Column("Selected", 9),
    Column("Applicable", 10),
    Column("Model 2 minimum", 10),
    Column("Why", 60, "wrap"),
    Column("Questions", 10, "int"),
    Column("Assessed", 10, "int"),
    Column("Gaps", 8, "int"),
)


def write(ctx: SheetContext) -> None:
    """One row per template element."""
    ws = ctx.wb.create_sheet(SHEET)
    rows = (
        (
            e.element_id,
            (
                e.element_id, e.area_id, e.title, e.selected, e.applicable, e.model2_minimum,
                e.reason, e.question_count, e.assessed_count, e.gap_count,
            ),
        )
        for e in ctx.report.planned_elements
    )
    write_table(ctx, ws, COLUMNS, rows, title="Inspection plan")
