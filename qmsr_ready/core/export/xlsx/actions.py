"""Actions sheet: the action plan (open findings by due date) with overdue ones highlighted."""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from qmsr_ready.core.export.xlsx.styles import RED_FILL, RED_FONT
from qmsr_ready.core.export.xlsx.table import (
    Column,
    SheetContext,
    add_list_validation,
    column_index,
    write_table,
)
from qmsr_ready.core.vocab import FINDING_STATUS_LABELS

SHEET = "Actions"
COLUMNS = (
    Column("Finding ID", 10),
    Column("Title", 40, "wrap"),
    Column("Classification", 15),
    Column("Owner", 18),
    Column("Due date", 11, "date"),
    Column("Status", 18),
    Column("Overdue", 8),
    Column("Days overdue", 9, "int"),
    Column("Corrective action", 50, "wrap"),
    Column("CAPA reference", 14),
)


def write(ctx: SheetContext) -> None:
    """One row per open finding, earliest due date first."""
    ws = ctx.wb.create_sheet(SHEET)
    rows = (
        (
            a.finding_code,
            (
                a.finding_code, a.title, a.classification_label, a.owner, a.due_date,
                a.status_label, a.overdue, a.days_overdue or None, a.corrective_action,
                a.capa_reference,
            ),
        )
        for a in ctx.report.actions
    )
    last = write_table(ctx, ws, COLUMNS, rows, title="Action plan")
    add_list_validation(
        ws, column_index(COLUMNS, "Status"), last, list(FINDING_STATUS_LABELS.values()), "Status"
    )
    if last >= 2:
        overdue = get_column_letter(column_index(COLUMNS, "Overdue"))
        ws.conditional_formatting.add(
            f"A2:{get_column_letter(len(COLUMNS))}{last}",
            FormulaRule(formula=[f'${overdue}2="Yes"'], fill=RED_FILL, font=RED_FONT),
        )
