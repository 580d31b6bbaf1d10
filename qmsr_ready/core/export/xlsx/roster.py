"""SME roster sheet: who presents each area on the day, editable and re-importable by area ID.

It lists every area with a roster entry and every area in scope without one (so a gap can be
filled in the workbook), with what each still lacks; written only when the inspection has a
roster.
"""

from __future__ import annotations

from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter

from qmsr_ready.core.export.xlsx.meta import field_hashes
from qmsr_ready.core.export.xlsx.requests import log_of
from qmsr_ready.core.export.xlsx.styles import AMBER_FILL, AMBER_FONT
from qmsr_ready.core.export.xlsx.table import (
    Column,
    SheetContext,
    add_list_validation,
    column_index,
    write_table,
)
from qmsr_ready.core.fields import ROSTER
from qmsr_ready.core.inspection_day.views import RosterView

SHEET = "SME roster"
_label = ROSTER.label_of  # exchanged columns are headed by their spec labels
COLUMNS = (
    Column(ROSTER.key_label, 9),
    Column("Area", 30, "wrap"),
    Column(_label("presenter"), 18),
    Column(_label("backup"), 18),
    Column(_label("storyboard"), 18),
    Column(_label("prepared"), 9),
    Column(_label("notes"), 40, "wrap"),
    Column("Gaps", 30, "wrap"),
)


def row_values(entry: RosterView, title: str) -> tuple[Any, ...]:
    return (entry.area_id, title, entry.presenter, entry.backup, entry.storyboard,
            entry.prepared, entry.notes, "; ".join(entry.gaps))


def base_hashes(entry: RosterView) -> str:
    """The export-time hash of each exchanged roster field (metadata format 2)."""
    return field_hashes(ROSTER, {name: getattr(entry, name) for name in ROSTER.names})


def write(ctx: SheetContext) -> None:
    log = log_of(ctx)
    if log is None or not log.roster:
        return
    titles = {a.area_id: a.title for a in ctx.report.areas}
    entries = {e.area_id: e for e in log.roster}
    for gap in log.preparation_gaps:
        titles.setdefault(gap.area_id, gap.area_title)
        entries.setdefault(gap.area_id, RosterView(gap.area_id, "", "", "", False, ""))
    ws = ctx.wb.create_sheet(SHEET)
    order = {a.area_id: i for i, a in enumerate(ctx.report.areas)}
    keys = sorted(entries, key=lambda k: (order.get(k, len(order)), k))  # template order
    rows = ((k, row_values(entries[k], titles.get(k, "")), base_hashes(entries[k])) for k in keys)
    last = write_table(ctx, ws, COLUMNS, rows, title="SME roster")
    prepared = _label("prepared")
    add_list_validation(ws, column_index(COLUMNS, prepared), last, ["Yes", "No"], prepared)
    if last >= 2:
        gaps = get_column_letter(column_index(COLUMNS, "Gaps"))
        ws.conditional_formatting.add(
            f"A2:{get_column_letter(len(COLUMNS))}{last}",
            FormulaRule(formula=[f'LEN(${gaps}2)>0'], fill=AMBER_FILL, font=AMBER_FONT),
        )
