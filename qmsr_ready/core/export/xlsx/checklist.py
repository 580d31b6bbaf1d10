"""Checklist sheet: one row per question with its response; the sheet the team edits.

The headers of the exchanged columns are the ``RESPONSE`` field labels of
``core.fields`` (a workbook import finds its columns by them).
"""

from __future__ import annotations

from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from qmsr_ready.core.export.xlsx.meta import field_hashes
from qmsr_ready.core.export.xlsx.styles import AMBER_FILL, AMBER_FONT, RED_FILL, RED_FONT
from qmsr_ready.core.export.xlsx.table import (
    Column,
    SheetContext,
    add_list_validation,
    column_index,
    write_table,
)
from qmsr_ready.core.fields import RESPONSE
from qmsr_ready.core.report.model import QuestionRow
from qmsr_ready.core.vocab import RESULT_LABELS, Result

SHEET = "Checklist"
_label = RESPONSE.label_of  # exchanged columns are headed by their spec labels
COLUMNS = (
    Column(RESPONSE.key_label, 14),
    Column("Area", 8),
    Column("Element ID", 10),
    Column("Element", 24, "wrap"),
    Column("Question", 60, "wrap"),
    Column("Citations", 22, "wrap"),
    Column("Weight", 8, "int"),
    Column(_label("result"), 15),
    Column(_label("notes"), 50, "wrap"),
    Column(_label("sample_population"), 11, "int"),
    Column(_label("sample_size"), 9, "int"),
    Column(_label("records_reviewed"), 26, "wrap"),
    Column(_label("interviewees"), 22, "wrap"),
    Column("Assessed by", 16),
    Column("Assessed at (UTC)", 17, "datetime"),
    Column("Legacy QSR", 12, "wrap"),
    Column("Findings", 12, "wrap"),
    Column("Counts toward readiness", 11),
)


def row_values(q: QuestionRow) -> tuple[Any, ...]:
    """The row's report values in ``COLUMNS`` order (an import recomputes fingerprints with it)."""
    return (
        q.question_id, q.area_id, q.element_id, q.element_title, q.text, q.citations,
        q.weight, q.result_label, q.notes, q.sample_population, q.sample_size,
        q.records_reviewed, q.interviewees, q.assessed_by, q.assessed_at, q.legacy,
        q.finding_codes, q.counted,
    )


def base_hashes(q: QuestionRow) -> str:
    """The export-time hash of each exchanged response field (metadata format 2)."""
    return field_hashes(RESPONSE, {name: getattr(q, name) for name in RESPONSE.names})


def write(ctx: SheetContext) -> None:
    """One row per question of the planned elements (gaps only if asked)."""
    ws = ctx.wb.create_sheet(SHEET)
    questions = [
        q for q in ctx.report.questions if not ctx.options.gaps_only or q.is_gap
    ]
    rows = ((q.question_id, row_values(q), base_hashes(q)) for q in questions)
    last = write_table(ctx, ws, COLUMNS, rows, title="Checklist")
    result = RESPONSE.field("result")
    col = column_index(COLUMNS, result.label)
    add_list_validation(ws, col, last, list((result.labels or {}).values()), result.label)
    if last >= 2:
        letter = get_column_letter(col)
        span = f"A2:{get_column_letter(len(COLUMNS))}{last}"
        # The rules match the labels the cells hold, so they read the one label table.
        for gap, fill, font in ((Result.MAJOR_GAP, RED_FILL, RED_FONT),
                                (Result.MINOR_GAP, AMBER_FILL, AMBER_FONT)):
            ws.conditional_formatting.add(
                span,
                FormulaRule(formula=[f'${letter}2="{RESULT_LABELS[gap]}"'], fill=fill,
                            font=font),
            )
