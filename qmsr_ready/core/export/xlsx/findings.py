"""Findings sheet: every field of every finding, editable and re-importable by finding ID.

The headers of the exchanged columns are the ``FINDING`` field labels of
``core.exchange.fields`` (a workbook import finds its columns by them).
"""

from __future__ import annotations

from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from qmsr_ready.core.exchange.fields import FINDING
from qmsr_ready.core.export.xlsx.meta import field_hashes
from qmsr_ready.core.export.xlsx.styles import RED_FILL, RED_FONT
from qmsr_ready.core.export.xlsx.table import (
    Column,
    SheetContext,
    add_list_validation,
    column_index,
    write_table,
)
from qmsr_ready.core.report.model import FindingRow
from qmsr_ready.core.vocab import CLASSIFICATION_LABELS, FINDING_STATUS_LABELS

SHEET = "Findings"
COLUMNS = (
    Column("Finding ID", 10),
    Column("Title", 36, "wrap"),
    Column("Classification", 15),
    Column("Status", 16),
    Column("Likely 483", 9),
    Column("Severity", 8, "int"),
    Column("Likelihood", 9, "int"),
    Column("Risk score", 8, "int"),
    Column("Area", 7),
    Column("Question IDs", 16, "wrap"),
    Column("Requirement", 28, "wrap"),
    Column("Objective evidence", 50, "wrap"),
    Column("Owner", 16),
    Column("Due date", 11, "date"),
    Column("Overdue", 8),
    Column("Correction", 30, "wrap"),
    Column("Root cause", 30, "wrap"),
    Column("Corrective action", 36, "wrap"),
    Column("CAPA reference", 14),
    Column("Effectiveness check", 30, "wrap"),
    Column("Created (UTC)", 17, "datetime"),
    Column("Updated (UTC)", 17, "datetime"),
    Column("Closed (UTC)", 17, "datetime"),
    Column("Revision", 8, "int"),
)


def row_values(f: FindingRow) -> tuple[Any, ...]:
    """The row's report values in ``COLUMNS`` order (an import recomputes fingerprints with it)."""
    return (
        f.code, f.title, f.classification_label, f.status_label, f.likely_483,
        f.severity, f.likelihood, f.risk_score, f.area_id, f.question_ids,
        f.requirement, f.objective_evidence, f.owner, f.due_date, f.overdue,
        f.correction, f.root_cause, f.corrective_action, f.capa_reference,
        f.effectiveness_check, f.created_at, f.updated_at, f.closed_at, f.revision,
    )


def base_hashes(f: FindingRow) -> str:
    """The export-time hash of each exchanged finding field (metadata format 2)."""
    return field_hashes(FINDING, {name: getattr(f, name) for name in FINDING.names})


def write(ctx: SheetContext) -> None:
    """One row per finding, all fields."""
    ws = ctx.wb.create_sheet(SHEET)
    rows = ((f.code, row_values(f), base_hashes(f)) for f in ctx.report.findings)
    last = write_table(ctx, ws, COLUMNS, rows, title="Findings")
    add_list_validation(
        ws, column_index(COLUMNS, "Classification"), last,
        list(CLASSIFICATION_LABELS.values()), "Classification",
    )
    add_list_validation(
        ws, column_index(COLUMNS, "Status"), last, list(FINDING_STATUS_LABELS.values()), "Status"
    )
    add_list_validation(ws, column_index(COLUMNS, "Likely 483"), last, ["Yes", "No"], "Likely 483")
    if last >= 2:
        overdue = get_column_letter(column_index(COLUMNS, "Overdue"))
        ws.conditional_formatting.add(
            f"A2:{get_column_letter(len(COLUMNS))}{last}",
            FormulaRule(formula=[f'${overdue}2="Yes"'], fill=RED_FILL, font=RED_FONT),
        )
