"""Packs of metadata format 1 (row fingerprints only) still import, with the fingerprints as
base (issue 8: keep reading format 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import imp_data
import pytest
from imp_data import ACTOR, INSPECTION, Pack

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.services import record_response


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    return imp_data.build_pack(tmp_path / "p")


def as_format_1(wb: Any) -> None:
    """What QMSR Ready wrote before format 2: no base column, format 1."""
    meta = wb["_meta"]
    for row in meta.iter_rows(min_row=2):
        if row[0].value == "info" and row[3].value == "format":
            row[4].value = "1"
    meta.delete_cols(6)


def test_untouched_format_1_pack_plans_nothing(pack: Pack, tmp_path: Path) -> None:
    old = imp_data.edit(pack.xlsx, tmp_path / "old.xlsx", as_format_1)
    plan = imp_data.plan(pack.workspace, old)
    assert plan.source.base == "row fingerprints"
    assert not any(r.interesting for r in plan.rows)
    assert any("metadata format 1" in n for n in plan.notices)


def test_format_1_fingerprints_decide_each_row(pack: Pack, tmp_path: Path) -> None:
    def change(wb: Any) -> None:
        as_format_1(wb)
        imp_data.set_cell(wb, "Checklist", "MO-05-Q01", "Notes", "edited in the workbook")
        imp_data.set_cell(wb, "Checklist", "DD-04-Q01", "Interviewees", "Workbook person")
        imp_data.set_cell(wb, "Checklist", "MO-11-Q01", "Result", "Minor gap")
        imp_data.set_cell(wb, "Findings", "F-001", "Owner", "New Owner")

    old = imp_data.edit(pack.xlsx, tmp_path / "old.xlsx", change)
    with open_workspace(pack.workspace) as ws, ws.begin() as s:
        record_response(s, ACTOR, inspection_code=INSPECTION, question_id="MO-05-Q02",
                        notes="changed here")
        record_response(s, ACTOR, inspection_code=INSPECTION, question_id="DD-04-Q01",
                        notes="changed here too")
        record_response(s, ACTOR, inspection_code=INSPECTION, question_id="MO-11-Q01",
                        result="minor_gap")
    plan = imp_data.plan(pack.workspace, old)
    # edited only in the workbook: a clean update
    assert imp_data.outcomes(imp_data.row(plan, "response", "MO-05-Q01")) == {
        "notes": "clean_update"}
    assert imp_data.outcomes(imp_data.row(plan, "finding", "F-001")) == {"owner": "clean_update"}
    # untouched in the workbook: whatever differs was changed here, and is kept
    assert imp_data.outcomes(imp_data.row(plan, "response", "MO-05-Q02")) == {
        "notes": "workspace_only"}
    # edited on both sides: every field they now disagree on is a conflict
    assert imp_data.outcomes(imp_data.row(plan, "response", "DD-04-Q01")) == {
        "notes": "conflict", "interviewees": "conflict"}
    # edited on both sides to the same value: nothing to decide
    assert imp_data.row(plan, "response", "MO-11-Q01").conflicts == ()


def test_format_1_pack_listing_other_sheets_is_read_not_crashed(pack: Pack, tmp_path: Path) -> None:
    """QA: a format 1 _meta listing Requests (no such sheet then) gave KeyError 'Requests'."""
    def change(wb: Any) -> None:
        as_format_1(wb)
        meta = wb["_meta"]
        for row in meta.iter_rows(min_row=2):
            if row[0].value == "info" and row[3].value == "sheets":
                row[4].value = "Checklist;Findings;Requests;Scribe notes"
        wb.create_sheet("Requests").append(["Request ID", "What was asked"])
        wb["Requests"].append(["R-001", "Batch record 42"])
        meta.append(["row", "Requests", 2, "R-001", "0" * 16])

    old = imp_data.edit(pack.xlsx, tmp_path / "old.xlsx", change)
    plan = imp_data.plan(pack.workspace, old)
    assert not plan.rows_of("request")
    assert any("Requests sheet of a format 1 pack cannot be compared" in n for n in plan.notices)
