"""Findings sheet: every field of every finding, editable and re-importable by finding ID.

The headers of the exchanged columns are the ``FINDING`` field labels of
``core.fields`` (a workbook import finds its columns by them).
"""

from __future__ import annotations

from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from qmsr_ready.core.export.xlsx.meta import field_hashes
from qmsr_ready.core.export.xlsx.styles import RED_FILL, RED_FONT
from qmsr_ready.core.export.xlsx.table import (
    Column,
    SheetContext,
    add_list_validation,
    column_index,
    write_table,
)
from qmsr_ready.core.fields import FINDING
from qmsr_ready.core.report.model import FindingRow

SHEET = "Findings"
_label = FINDING.label_of  # exchanged columns are headed by their spec labels
COLUMNS = (
    Column(FINDING.key_label, 10),
    Column(_label("title"), 36, "wrap"),
    Column(_label("classification"), 15),
    Column(_label("status"), 16),
    Column(_label("likely_483"), 9),
    Column(_label("severity"), 8, "int"),
    Column(_label("likelihood"), 9, "int"),
    Column("Risk score", 8, "int"),
    Column("Area", 7),
    Column(_label("question_ids"), 16, "wrap"),
    Column(_label("requirement"), 28, "wrap"),
    Column(_label("objective_evidence"), 50, "wrap"),
    Column(_label("owner"), 16),
    Column(_label("due_date"), 11, "date"),
    Column("Overdue", 8),
    Column(_label("correction"), 30, "wrap"),
    Column(_label("root_cause"), 30, "wrap"),
    Column(_label("corrective_action"), 36, "wrap"),
    Column(_label("capa_reference"), 14),
    Column(_label("effectiveness_check"), 30, "wrap"),
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
    for name in ("classification", "status"):  # drop-downs of the spec's vocabulary labels
        spec = FINDING.field(name)
        add_list_validation(ws, column_index(COLUMNS, spec.label), last,
                            list((spec.labels or {}).values()), spec.label)
    likely = _label("likely_483")
    add_list_validation(ws, column_index(COLUMNS, likely), last, ["Yes", "No"], likely)
    if last >= 2:
        overdue = get_column_letter(column_index(COLUMNS, "Overdue"))
        ws.conditional_formatting.add(
            f"A2:{get_column_letter(len(COLUMNS))}{last}",
            FormulaRule(formula=[f'${overdue}2="Yes"'], fill=RED_FILL, font=RED_FONT),
        )
