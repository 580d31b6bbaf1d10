"""One date range, in the field spec: entry refuses a due date outside it, the finding editor
cannot pick one, and the import refuses only a cell that changes a date to one outside it (a
date stored earlier, and exported unchanged, comes back without a word)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.exchange.errors import ImportRefused
from qmsr_ready.core.exchange.runner import nothing_to_change
from qmsr_ready.core.exchange.workbook import plan_workbook_import
from qmsr_ready.core.export.run import run_export
from qmsr_ready.core.fields import FINDING
from qmsr_ready.core.models import Finding
from qmsr_ready.core.services.findings import raise_finding

OUTSIDE = [dt.date(2206, 5, 31), dt.date(1900, 2, 28), dt.date(1899, 12, 31), dt.date(1, 1, 1),
           dt.date(1900, 1, 1)]


def test_the_spec_holds_one_sane_range() -> None:
    assert FINDING.field("due_date").date_limits == (dt.date(1990, 1, 1), dt.date(2099, 12, 31))


@pytest.mark.parametrize("due", OUTSIDE)
def test_entry_refuses_a_due_date_outside_the_range(fnd_inspection, due: dt.date) -> None:
    ws, code = fnd_inspection
    with pytest.raises(InvalidInput) as caught, ws.begin() as s:
        raise_finding(s, "Ann", inspection_code=code, title="t", classification="minor",
                      due_date=due)
    assert "1990-01-01" in caught.value.message
    assert "2099-12-31" in caught.value.message


def _pack_with_due(fnd_inspection, tmp_path: Path, due: dt.date) -> tuple[object, Path]:
    ws, code = fnd_inspection
    with ws.begin() as s:
        finding = raise_finding(s, "Ann", inspection_code=code, title="Late",
                                classification="minor", due_date=dt.date(2026, 5, 31))
        finding_id = finding.id
    with ws.begin() as s:  # stored by a version that still accepted it
        s.execute(update(Finding).where(Finding.id == finding_id).values(due_date=due))
    xlsx = tmp_path / "pack.xlsx"
    run_export(ws, code, xlsx=xlsx)
    return ws, xlsx


def _set_due(xlsx: Path, value: object) -> None:
    wb = load_workbook(xlsx)
    sheet = wb["Findings"]
    col = next(c.column for c in sheet[1] if c.value == "Due date")
    sheet.cell(2, col).value = value
    wb.save(xlsx)


@pytest.mark.parametrize("due", OUTSIDE)
def test_an_unchanged_out_of_range_date_imports_with_no_change(
    fnd_inspection, tmp_path: Path, due: dt.date
) -> None:
    ws, xlsx = _pack_with_due(fnd_inspection, tmp_path, due)
    load_workbook(xlsx).save(xlsx)  # opened and saved again, the date cell untouched
    with ws.session() as s:  # type: ignore[attr-defined]
        plan = plan_workbook_import(s, xlsx)
    assert nothing_to_change(plan), plan.counts()


def test_a_cell_changed_to_a_date_outside_the_range_is_refused(
    fnd_inspection, tmp_path: Path
) -> None:
    ws, xlsx = _pack_with_due(fnd_inspection, tmp_path, dt.date(2206, 5, 31))
    _set_due(xlsx, dt.datetime(2207, 1, 1))
    with pytest.raises(ImportRefused) as caught, ws.session() as s:  # type: ignore[attr-defined]
        plan_workbook_import(s, xlsx)
    assert "2207-01-01 is out of range (1990-01-01 to 2099-12-31)" in caught.value.message


def test_a_cell_changed_into_the_range_is_a_clean_update(fnd_inspection, tmp_path: Path) -> None:
    ws, xlsx = _pack_with_due(fnd_inspection, tmp_path, dt.date(2206, 5, 31))
    _set_due(xlsx, dt.datetime(2027, 1, 1))
    with ws.session() as s:  # type: ignore[attr-defined]
        plan = plan_workbook_import(s, xlsx)
    assert plan.counts()["updates"] == 1


def test_a_serial_zero_cell_read_back_as_a_time_is_a_problem_not_a_crash() -> None:
    spec = FINDING.field("due_date")
    assert spec.canonical(dt.time(0, 0)) == dt.date(1899, 12, 30)
