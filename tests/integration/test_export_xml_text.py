"""Text XML 1.0 cannot carry (U+FFFE, U+FFFF, lone surrogates, control characters) never makes a
workbook nothing can open: it is refused where it is typed, and what is already stored is dropped
from every cell the same way the import reads it, so a round trip plans no change."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.exchange.runner import nothing_to_change
from qmsr_ready.core.exchange.workbook import plan_workbook_import
from qmsr_ready.core.export.run import run_export
from qmsr_ready.core.export.safe_text import clean_for_cell
from qmsr_ready.core.fields import RESPONSE
from qmsr_ready.core.models import Response
from qmsr_ready.core.services.responses import record_response

QID = "MO-01-Q01"


@pytest.mark.parametrize("bad", ["\uffff", "\ufffe"])
def test_a_non_xml_character_is_refused_where_it_is_typed(fnd_inspection, bad: str) -> None:
    ws, code = fnd_inspection
    with pytest.raises(InvalidInput) as caught, ws.begin() as s:
        record_response(s, "Ann", inspection_code=code, question_id=QID, notes=f"before {bad} x")
    assert f"U+{ord(bad):04X}" in caught.value.message
    assert "position 8" in caught.value.message


@pytest.mark.parametrize("value", ["a\uffffb", "a\ufffeb", "a\x0bb", "a\ud800b"])
def test_every_cell_is_cleaned_of_what_xml_cannot_carry(value: str) -> None:
    assert clean_for_cell(value) == "ab"
    assert RESPONSE.field("notes").canonical(value) == "ab"


def test_a_stored_non_xml_note_exports_to_a_workbook_that_opens_and_plans_no_change(
    fnd_inspection, tmp_path: Path
) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        record_response(s, "Ann", inspection_code=code, question_id=QID, notes="before after")
    with ws.begin() as s:  # stored by an older version, before entry refused it
        s.execute(update(Response).where(Response.question_id == QID)
                  .values(notes="before \uffff\ufffe after"))
    xlsx = tmp_path / "pack.xlsx"
    run_export(ws, code, xlsx=xlsx)
    sheet = load_workbook(xlsx)["Checklist"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("before ") and t.endswith(" after") for t in texts)
    with ws.session() as s:
        plan = plan_workbook_import(s, xlsx)
    assert nothing_to_change(plan), plan.counts()
