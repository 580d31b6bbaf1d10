"""Crosswalk sheet: each element against ISO 13485:2016 clauses, QMSR hooks and old QSR sections."""

from __future__ import annotations

from qmsr_ready.core.export.xlsx.table import Column, SheetContext, write_table

SHEET = "Crosswalk"
COLUMNS = (
    Column("Element ID", 10),
    Column("Area", 7),
    Column("Element", 36, "wrap"),
    Column("ISO 13485:2016 clauses", 24, "wrap"),
    Column("21 CFR 820 (QMSR)", 20, "wrap"),
    Column("Legacy QSR sections", 22, "wrap"),
    Column("Model 2 minimum", 10),
    Column("In this inspection", 10),
)


def write(ctx: SheetContext) -> None:
    """One row per template element with its cross-references."""
    ws = ctx.wb.create_sheet(SHEET)
    rows = (
        (
            e.element_id,
            (
                e.element_id, e.area_id, e.title, e.iso_clauses, e.qmsr_hooks,
                e.legacy_sections, e.model2_minimum, e.counted,
            ),
        )
        for e in ctx.report.planned_elements
    )
    write_table(ctx, ws, COLUMNS, rows, title="Crosswalk")
