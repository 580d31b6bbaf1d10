"""Scribe notes sheet: every note with its time and links, editable and re-importable by note
ID (a row without one is a new note); written only when the inspection has notes."""

from __future__ import annotations

from typing import Any

from qmsr_ready.core.export.xlsx.meta import field_hashes
from qmsr_ready.core.export.xlsx.requests import log_of
from qmsr_ready.core.export.xlsx.table import Column, SheetContext, write_table
from qmsr_ready.core.fields import NOTE
from qmsr_ready.core.inspection_day.views import NoteView

SHEET = "Scribe notes"
_label = NOTE.label_of  # exchanged columns are headed by their spec labels
COLUMNS = (
    Column(NOTE.key_label, 9),
    Column(_label("at"), 17, "datetime"),
    Column(_label("topic"), 18, "wrap"),
    Column(_label("investigator"), 16),
    Column(_label("text"), 60, "wrap"),
    Column(_label("request_codes"), 14, "wrap"),
    Column(_label("finding_codes"), 12, "wrap"),
    Column("Taken by", 14),
)


def row_values(n: NoteView) -> tuple[Any, ...]:
    return (n.code, n.at, n.topic, n.investigator, n.text, n.request_codes, n.finding_codes,
            n.author)


def base_hashes(n: NoteView) -> str:
    """The export-time hash of each exchanged note field (metadata format 2)."""
    return field_hashes(NOTE, {name: getattr(n, name) for name in NOTE.names})


def write(ctx: SheetContext) -> None:
    log = log_of(ctx)
    if log is None or not log.notes:
        return
    ws = ctx.wb.create_sheet(SHEET)
    rows = ((n.code, row_values(n), base_hashes(n)) for n in log.notes)
    write_table(ctx, ws, COLUMNS, rows, title="Scribe notes")
