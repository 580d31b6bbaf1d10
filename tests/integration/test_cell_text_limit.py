"""A long text's limit counts what a spreadsheet counts (UTF-16 units: an emoji is two), and a
cell a spreadsheet program cut at its limit never cuts the workspace's text on import."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.exchange.plan import Outcome
from qmsr_ready.core.exchange.workbook import plan_workbook_import
from qmsr_ready.core.export.run import run_export
from qmsr_ready.core.fields import LONG_TEXT, RESPONSE, CellValueError
from qmsr_ready.core.models import Response
from qmsr_ready.core.services.responses import record_response

QID = "MO-01-Q01"
EMOJI = "\U0001f600"  # two UTF-16 units, as Excel and LibreOffice count


def test_entry_counts_utf16_units(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:  # exactly at the limit: 16,383 emoji and one letter
        record_response(s, "Ann", inspection_code=code, question_id=QID,
                        notes=EMOJI * 16_383 + "a")
    with pytest.raises(InvalidInput) as caught, ws.begin() as s:
        record_response(s, "Ann", inspection_code=code, question_id=QID, notes=EMOJI * 16_384)
    assert "32,768" in caught.value.message
    assert "32,767" in caught.value.message
    assert "spreadsheet" in caught.value.message


def test_a_workbook_cell_over_the_limit_is_a_problem() -> None:
    with pytest.raises(CellValueError, match="spreadsheet"):
        RESPONSE.field("notes").canonical(EMOJI * 16_384)


@pytest.mark.parametrize("lead", ["", "a"])  # cut at 32,767 units, or 32,766 (half an emoji)
def test_a_cell_cut_by_the_spreadsheet_keeps_the_full_text(
    fnd_inspection, tmp_path: Path, lead: str
) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        record_response(s, "Ann", inspection_code=code, question_id=QID, notes="short")
    full = lead + EMOJI * 32_767  # stored by a version that counted code points
    with ws.begin() as s:
        s.execute(update(Response).where(Response.question_id == QID).values(notes=full))
    xlsx = tmp_path / "pack.xlsx"
    run_export(ws, code, xlsx=xlsx)
    wb = load_workbook(xlsx)  # what LibreOffice leaves after a save: the first 32,767 units
    sheet = wb["Checklist"]
    col = next(c.column for c in sheet[1] if c.value == "Notes")
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == QID)
    sheet.cell(row, col).value = lead + EMOJI * (LONG_TEXT // 2)
    wb.save(xlsx)
    with ws.session() as s:
        plan = plan_workbook_import(s, xlsx)
    response = next(r for r in plan.rows if r.entity == "response" and r.key == QID)
    notes = response.field("notes")
    assert notes.outcome is Outcome.WORKSPACE_ONLY
    assert notes.mine == full
    assert "cut by the spreadsheet program" in response.note
    assert "the workspace keeps the full text" in response.note
    assert not response.changes
