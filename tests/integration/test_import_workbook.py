"""Returned workbooks edited with openpyxl plan every outcome, field by field (issue 8)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import exp_data
import imp_data
import pytest
from imp_data import ACTOR, INSPECTION, Pack

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.exchange.plan import Outcome, RowStatus
from qmsr_ready.core.export import ExportOptions
from qmsr_ready.core.services import (
    delete_finding,
    raise_finding,
    record_response,
    update_finding,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    return imp_data.build_pack(tmp_path_factory.mktemp("built"))


@pytest.fixture
def pack(built: Pack, tmp_path: Path) -> Pack:
    return imp_data.copy_pack(built, tmp_path / "p")


def test_unchanged_pack_plans_nothing(pack: Pack) -> None:
    plan = imp_data.plan(pack.workspace, pack.xlsx)
    counts = plan.counts()
    assert counts.pop("rows") == 9  # 6 questions of the planned elements + 3 findings
    assert set(counts.values()) == {0}
    assert not any(r.interesting for r in plan.rows)
    assert plan.notices == ()
    assert plan.source.base == "field hashes"
    assert plan.source.sha256 == imp_data.sha256(pack.xlsx)
    assert plan.source.name == "pack.xlsx"
    assert plan.source.workspace_id
    assert plan.source.exported_at.endswith("Z")


def _edit_both_sides(pack: Pack, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    refs: dict[str, str] = {}

    def change(wb: object) -> None:
        refs["clean"] = imp_data.set_cell(wb, "Checklist", "MO-05-Q01", "Notes", "Seen in DHR-9")
        imp_data.set_cell(wb, "Checklist", "MO-11-Q01", "Result", "Minor gap")
        imp_data.set_cell(wb, "Checklist", "DD-04-Q01", "Interviewees", "Workbook person")
        imp_data.set_cell(wb, "Checklist", "MO-05-Q02", "Sample size", 12)
        refs["owner"] = imp_data.set_cell(wb, "Findings", "F-001", "Owner", "New Owner")
        imp_data.set_cell(wb, "Findings", "F-001", "Due date", dt.datetime(2027, 3, 1))
        imp_data.set_cell(wb, "Findings", "F-002", "Likely 483", "Yes")

    edited = imp_data.edit(pack.xlsx, tmp_path / "edited.xlsx", change)
    with open_workspace(pack.workspace) as ws, ws.begin() as s:
        record_response(s, ACTOR, inspection_code=INSPECTION, question_id="MO-05-Q02",
                        notes="changed here")
        record_response(s, ACTOR, inspection_code=INSPECTION, question_id="MO-11-Q01",
                        result="minor_gap")
        record_response(s, ACTOR, inspection_code=INSPECTION, question_id="DD-04-Q01",
                        interviewees="Workspace person")
        update_finding(s, ACTOR, INSPECTION, "F-002", likely_483=True, owner="Here")
    return edited, refs


def test_every_field_outcome(pack: Pack, tmp_path: Path) -> None:
    edited, refs = _edit_both_sides(pack, tmp_path)
    plan = imp_data.plan(pack.workspace, edited)
    q01 = imp_data.row(plan, "response", "MO-05-Q01")
    assert imp_data.outcomes(q01) == {"notes": "clean_update"}
    notes = q01.field("notes")
    assert (notes.theirs, notes.mine, notes.cell) == ("Seen in DHR-9", exp_data.INJECTIONS[0],
                                                      refs["clean"])
    q02 = imp_data.row(plan, "response", "MO-05-Q02")
    assert imp_data.outcomes(q02) == {"notes": "workspace_only", "sample_size": "clean_update"}
    assert q02.field("sample_size").theirs == 12
    assert imp_data.outcomes(imp_data.row(plan, "response", "MO-11-Q01")) == {
        "result": "already_applied"}
    dd04 = imp_data.row(plan, "response", "DD-04-Q01")
    assert imp_data.outcomes(dd04) == {"interviewees": "conflict"}
    assert (dd04.field("interviewees").mine, dd04.field("interviewees").theirs) == (
        "Workspace person", "Workbook person")
    assert imp_data.outcomes(imp_data.row(plan, "response", "OA-01-Q01")) == {}
    f1 = imp_data.row(plan, "finding", "F-001")
    assert imp_data.outcomes(f1) == {"owner": "clean_update", "due_date": "clean_update"}
    assert f1.field("due_date").theirs == dt.date(2027, 3, 1)
    assert f1.field("owner").cell == refs["owner"]
    assert imp_data.outcomes(imp_data.row(plan, "finding", "F-002")) == {
        "likely_483": "already_applied", "owner": "workspace_only"}
    counts = plan.counts()
    assert (counts["updates"], counts["conflicts"], counts["already_applied"],
            counts["workspace_only"]) == (4, 1, 2, 2)
    assert [(r.key, f.name) for r, f in plan.conflicts] == [("DD-04-Q01", "interviewees")]


def test_labels_map_back_through_the_vocabulary(pack: Pack, tmp_path: Path) -> None:
    def change(wb: object) -> None:
        imp_data.set_cell(wb, "Checklist", "MO-05-Q01", "Result", "major GAP")
        imp_data.set_cell(wb, "Findings", "F-002", "Classification", "Major")
        imp_data.set_cell(wb, "Findings", "F-002", "Status", "Open")
        imp_data.set_cell(wb, "Findings", "F-002", "Question IDs", "MO-05-Q02; MO-11-Q01")

    plan = imp_data.plan(pack.workspace, imp_data.edit(pack.xlsx, tmp_path / "e.xlsx", change))
    assert imp_data.row(plan, "response", "MO-05-Q01").field("result").theirs == "major_gap"
    f2 = imp_data.row(plan, "finding", "F-002")
    assert f2.field("classification").theirs == "major"
    assert imp_data.outcomes(f2) == {"classification": "clean_update",
                                     "question_ids": "clean_update"}
    assert f2.field("question_ids").theirs == ("MO-05-Q02", "MO-11-Q01")


def test_new_unknown_missing_and_removed_rows(pack: Pack, tmp_path: Path) -> None:
    def change(wb: object) -> None:
        ws = wb["Findings"]  # type: ignore[index]
        cols = imp_data.header_map(ws)
        ws.delete_rows(imp_data.row_of(ws, "F-002"))
        new = ws.max_row + 1
        for header, value in {"Title": "Label printer not calibrated", "Classification": "Minor",
                              "Status": "Open", "Severity": 2, "Likelihood": 3,
                              "Question IDs": "MO-05-Q01"}.items():
            ws.cell(new, cols[header], value)
        ws.cell(new + 1, cols["Finding ID"], "F-999")
        ws.cell(new + 1, cols["Title"], "Typed by hand")
        ws.cell(new + 1, cols["Classification"], "Minor")
        ws.cell(new + 1, cols["Status"], "Open")
        ws.cell(new + 1, cols["Severity"], 1)
        ws.cell(new + 1, cols["Likelihood"], 1)
        checklist = wb["Checklist"]  # type: ignore[index]
        ccols = imp_data.header_map(checklist)
        last = checklist.max_row + 1
        checklist.cell(last, ccols["Question ID"], "ZZ-99-Q01")
        checklist.cell(last, ccols["Result"], "Conforms")
        checklist.cell(last + 1, ccols["Question ID"], "OA-03-Q01")  # element not selected
        checklist.cell(last + 1, ccols["Result"], "Conforms")
        checklist.delete_rows(imp_data.row_of(checklist, "OA-01-Q01"))

    edited = imp_data.edit(pack.xlsx, tmp_path / "rows.xlsx", change)
    with open_workspace(pack.workspace) as ws, ws.begin() as s:
        delete_finding(s, ACTOR, INSPECTION, "F-003")
    plan = imp_data.plan(pack.workspace, edited)
    (new,) = imp_data.only(plan, RowStatus.NEW)
    assert new.key == ""
    assert new.ref == f"Findings!row {new.row}"
    assert new.handle == new.ref
    values = {f.name: f.theirs for f in new.fields}
    assert values["title"] == "Label printer not calibrated"
    assert (values["classification"], values["status"], values["severity"]) == ("minor", "open", 2)
    assert values["question_ids"] == ("MO-05-Q01",)
    unknown = {r.key: r for r in imp_data.only(plan, RowStatus.UNKNOWN)}
    assert set(unknown) == {"F-999", "ZZ-99-Q01"}
    assert "F-999" in unknown["F-999"].note
    assert unknown["ZZ-99-Q01"].fields == ()
    missing = {r.key for r in imp_data.only(plan, RowStatus.MISSING)}
    assert missing == {"F-002", "OA-01-Q01"}
    (removed,) = imp_data.only(plan, RowStatus.REMOVED_HERE)
    assert removed.key == "F-003"
    oa03 = imp_data.row(plan, "response", "OA-03-Q01")  # comparable though not selected
    assert oa03.status is RowStatus.MATCHED
    assert imp_data.outcomes(oa03) == {"result": "clean_update"}
    counts = plan.counts()
    assert (counts["new_rows"], counts["unknown_rows"], counts["missing_rows"],
            counts["removed_here_rows"]) == (1, 2, 2, 1)
    assert {r.key for r in plan.reported} >= {"F-999", "F-002", "F-003"}


def test_reordered_and_deleted_columns(pack: Pack, tmp_path: Path) -> None:
    def change(wb: object) -> None:
        ws = wb["Checklist"]  # type: ignore[index]
        imp_data.set_cell(wb, "Checklist", "MO-05-Q01", "Sample size", 7)
        ws.delete_cols(imp_data.header_map(ws)["Notes"])
        ws.move_range("A1:A20", cols=30)  # Question ID moved to the far right
        ws.delete_cols(1)

    plan = imp_data.plan(pack.workspace, imp_data.edit(pack.xlsx, tmp_path / "c.xlsx", change))
    q01 = imp_data.row(plan, "response", "MO-05-Q01")
    assert imp_data.outcomes(q01) == {"sample_size": "clean_update"}
    assert "notes" not in {f.name for f in q01.fields}
    assert any("no column for Notes" in n for n in plan.notices)
    assert plan.counts()["missing_rows"] == 0


def test_formula_looking_notes_stay_text(pack: Pack, tmp_path: Path) -> None:
    texts = {"MO-05-Q01": '=HYPERLINK("http://x.example","go")', "MO-05-Q02": "+cmd|' /C calc'!A0",
             "MO-11-Q01": "@SUM(A1:A9)", "DD-04-Q01": "-1+2"}

    def change(wb: object) -> None:
        for qid, text in texts.items():
            imp_data.set_cell(wb, "Checklist", qid, "Notes", text, text=True)

    plan = imp_data.plan(pack.workspace, imp_data.edit(pack.xlsx, tmp_path / "t.xlsx", change))
    for qid, text in texts.items():
        notes = imp_data.row(plan, "response", qid).field("notes")
        assert notes.theirs == text
        assert notes.outcome is Outcome.CLEAN_UPDATE
    # and the exported injection-looking notes came back unchanged
    assert imp_data.row(plan, "response", "OA-01-Q01").field("notes").outcome is (
        Outcome.UNCHANGED)
    assert not any("formula" in n for n in plan.notices)


def test_gaps_only_pack(tmp_path: Path) -> None:
    built = imp_data.build_pack(tmp_path / "g", ExportOptions(gaps_only=True))
    plan = imp_data.plan(built.workspace, built.xlsx)
    assert {r.key for r in plan.rows_of("response")} == {"MO-05-Q02", "MO-11-Q01"}
    assert not any(r.interesting for r in plan.rows)
    assert any(n.startswith("Gaps-only pack: only the 2 gap questions") for n in plan.notices)


def test_sheet_not_exported_is_a_notice(tmp_path: Path) -> None:
    built = imp_data.build_pack(tmp_path / "s", ExportOptions(sections=frozenset({"checklist"})))
    plan = imp_data.plan(built.workspace, built.xlsx)
    assert plan.rows_of("finding") == ()
    assert any("no Findings sheet" in n for n in plan.notices)


def test_sheet_removed_from_workbook_is_a_notice(pack: Pack, tmp_path: Path) -> None:
    edited = imp_data.edit(pack.xlsx, tmp_path / "r.xlsx",
                           lambda wb: wb.remove(wb["Findings"]))
    plan = imp_data.plan(pack.workspace, edited)
    assert plan.rows_of("finding") == ()
    assert any("Findings sheet was removed" in n for n in plan.notices)


def test_new_row_names_a_finding_raised_since_with_the_same_title(pack: Pack,
                                                                  tmp_path: Path) -> None:
    def change(wb: object) -> None:
        ws = wb["Findings"]  # type: ignore[index]
        cols = imp_data.header_map(ws)
        new = ws.max_row + 1
        for header, value in {"Title": "Scale not calibrated", "Classification": "Minor",
                              "Status": "Open", "Severity": 2, "Likelihood": 2}.items():
            ws.cell(new, cols[header], value)

    edited = imp_data.edit(pack.xlsx, tmp_path / "n.xlsx", change)
    with open_workspace(pack.workspace) as ws, ws.begin() as s:
        raise_finding(s, ACTOR, inspection_code=INSPECTION, title="Scale NOT calibrated",
                      classification="minor")
    (new,) = imp_data.only(imp_data.plan(pack.workspace, edited), RowStatus.NEW)
    assert "F-004 with the same title was raised here since the export" in new.note
