"""Requests, scribe notes and the SME roster through the packs, the workbook import, the
workspace merge, undo and the audit-replay check (issue 11 item 7)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.demo import build_demo
from qmsr_ready.core.exchange.apply import ApplyRefused, revert_exchange
from qmsr_ready.core.exchange.fields import REQUEST
from qmsr_ready.core.exchange.plan import ConflictPolicy, Outcome, RowStatus
from qmsr_ready.core.exchange.runner import run_import, run_merge
from qmsr_ready.core.export.api import export_pdf, export_xlsx
from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.inspection_day.views import list_notes, list_requests, list_roster
from qmsr_ready.core.report import build_report
from qmsr_ready.core.services import day_notes
from qmsr_ready.core.services import requests as req_service

CODE = "MI-2026-002"
ACTOR = "Tester"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.qmsr"
    build_demo(path, today=dt.date(2026, 11, 25))
    return path


@pytest.fixture(scope="module")
def pack_file(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with open_workspace(demo_file, read_only=True) as ws, ws.session() as s:
        report = build_report(s, CODE)
    return export_xlsx(report, tmp_path_factory.mktemp("pack") / "pack.xlsx")


@pytest.fixture
def workspace(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ws.qmsr"
    shutil.copy(demo_file, path)
    return path


def _verify_ok(path: Path) -> None:
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        report = verify_chain(s)
    assert report.ok, report


def _edit(pack: Path, out: Path, change: Any) -> Path:
    wb = load_workbook(pack)
    change(wb)
    wb.save(out)
    return out


class Sheet:
    """Cells of one sheet addressed by row ID and header."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.col = {c.value: c.column for c in ws[1]}
        self.row = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}

    def get(self, key: str, header: str) -> Any:
        return self.ws.cell(self.row[key], self.col[header]).value

    def set(self, key: str, header: str, value: Any) -> None:
        self.ws.cell(self.row[key], self.col[header]).value = value

    def append(self, values: dict[str, Any]) -> None:
        r = self.ws.max_row + 1
        for header, value in values.items():
            self.ws.cell(r, self.col[header]).value = value


def _requests(path: Path) -> dict[str, Any]:
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return {r.code: r for r in list_requests(s, CODE)}


# -- the packs -------------------------------------------------------------------------------


def test_workbook_has_the_day_sheets_with_statistics_and_base_hashes(pack_file: Path) -> None:
    wb = load_workbook(pack_file)
    for name in ("Requests", "Request statistics", "Scribe notes", "SME roster"):
        assert name in wb.sheetnames
    req = Sheet(wb["Requests"])
    assert len(req.row) == 14
    assert req.get("R-009", "Status") == "Withdrawn"
    assert req.get("R-003", "Late") == "Yes"
    assert req.get("R-001", "Late") == "No"
    assert req.get("R-001", "Elapsed (min)") == 12
    validations = {dv.prompt.split(":")[0] for dv in wb["Requests"].data_validations.dataValidation}
    assert validations == {"Choose one of"}
    assert len(wb["Requests"].data_validations.dataValidation) == 3  # kind, priority, status
    stats = [row for row in wb["Request statistics"].iter_rows(values_only=True) if row[0]]
    overall = next(row for row in stats if row[0] == "Overall")
    assert overall[2:6] == (11, 9, 2, 4)  # asked, presented, open, late
    assert overall[6] == 12.0  # median in minutes
    assert {row[0] for row in stats} >= {"Owner", "Kind", "Area", "Day (UTC)"}
    meta = [r for r in wb["_meta"].iter_rows(values_only=True) if r[0] == "row"]
    by_sheet = {r[1] for r in meta if r[5] and "=" in r[5]}
    assert {"Requests", "Scribe notes", "SME roster"} <= by_sheet
    roster = Sheet(wb["SME roster"])
    assert roster.get("CC", "Gaps") == "no presenter; no backup; no storyboard; not prepared"


def test_day_sheets_only_when_there_are_records(workspace: Path, tmp_path: Path) -> None:
    with open_workspace(workspace, read_only=True) as ws, ws.session() as s:
        report = build_report(s, "MI-2026-001")
    wb = load_workbook(export_xlsx(report, tmp_path / "none.xlsx"))
    assert not {"Requests", "Request statistics", "Scribe notes", "SME roster"} & set(
        wb.sheetnames)
    pdf = export_pdf(report, tmp_path / "none.pdf")
    assert "Request log" not in "".join(p.extract_text() for p in PdfReader(pdf).pages)


def test_pdf_request_log_section(demo_file: Path, tmp_path: Path) -> None:
    with open_workspace(demo_file, read_only=True) as ws, ws.session() as s:
        report = build_report(s, CODE)
    pdf = export_pdf(report, tmp_path / "pack.pdf",
                     options=ExportOptions(sections=frozenset({"contents", "requests"})))
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    for expected in ("Request log", "Time to present", "What was shown", "SME roster",
                     "R-003", "LATE", "LOG-CAPA", "no SME assigned", "Owner: Declan Moran"):
        assert expected in text


# -- workbook import -------------------------------------------------------------------------


def test_request_note_roster_round_trip_every_outcome(
    workspace: Path, pack_file: Path, tmp_path: Path
) -> None:
    def change(wb: Any) -> None:
        req = Sheet(wb["Requests"])
        req.set("R-002", "Owner", "New Owner")  # clean update
        req.set("R-004", "Notes", "Same here")  # already applied (set here too)
        req.set("R-005", "Notes", "Theirs")  # conflict (set differently here)
        req.set("R-011", "Status", "Presented")  # a move at the row's time
        req.set("R-011", "Presented at (UTC)", dt.datetime(2026, 11, 23, 15, 0))
        req.set("R-012", "Status", "In QA review")  # a move at the import time
        req.append({"What was asked": "Training records of complaint handlers",
                    "Kind": "Record", "Owner": "Aoife Keane"})  # new request
        notes = Sheet(wb["Scribe notes"])
        notes.set("N-001", "Topic", "Opening meeting (edited)")
        notes.append({"Note": "Typed in Excel", "Request IDs": "R-001; R-002"})
        roster = Sheet(wb["SME roster"])
        roster.set("DD", "Storyboard", "SB-DD-01")
        roster.set("CC", "Presenter", "New Presenter")  # an area with no entry yet
        roster.set("PS", "Prepared", "Yes")

    edited = _edit(pack_file, tmp_path / "edited.xlsx", change)
    with open_workspace(workspace) as ws:
        with ws.begin() as s:
            req_service.update_request(s, "Here", CODE, "R-004", notes="Same here")
            req_service.update_request(s, "Here", CODE, "R-005", notes="Mine")
            req_service.update_request(s, "Here", CODE, "R-006", owner="Changed here")
        plan = run_import(ws, ACTOR, edited, dry_run=True).plan
        rows = {(r.entity, r.key): r for r in plan.rows if r.key}
        assert rows[("request", "R-002")].field("owner").outcome is Outcome.CLEAN_UPDATE
        assert rows[("request", "R-004")].field("notes").outcome is Outcome.ALREADY_APPLIED
        assert rows[("request", "R-005")].field("notes").outcome is Outcome.CONFLICT
        assert rows[("request", "R-006")].field("owner").outcome is Outcome.WORKSPACE_ONLY
        assert rows[("request", "R-011")].field("status").outcome is Outcome.CLEAN_UPDATE
        assert rows[("roster", "CC")].field("presenter").outcome is Outcome.CLEAN_UPDATE
        new = [r for r in plan.rows if r.status is RowStatus.NEW]
        assert {r.entity for r in new} == {"request", "note"}
        assert not any(f.outcome is not Outcome.UNCHANGED
                       for r in plan.rows if r.entity == "response" for f in r.fields)
        before = dt.datetime.now(dt.UTC).replace(microsecond=0)
        out = run_import(ws, ACTOR, edited, dry_run=False, policy=ConflictPolicy.TAKE_THEIRS)
        assert out.applied is not None
        assert set(out.applied.created) == {("request", "R-015"), ("note", "N-004")}
        with ws.session() as s:
            reqs = {r.code: r for r in list_requests(s, CODE)}
            notes = {n.code: n for n in list_notes(s, CODE)}
            roster = {e.area_id: e for e in list_roster(s, CODE)}
        assert reqs["R-002"].owner == "New Owner"
        assert reqs["R-005"].notes == "Theirs"
        assert reqs["R-006"].owner == "Changed here"
        assert reqs["R-011"].status == "presented"
        assert reqs["R-011"].presented_at == dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
        assert reqs["R-012"].status == "in_qa_review"
        assert reqs["R-012"].moves[-1].at >= before  # stamped at the import time
        assert reqs["R-015"].text == "Training records of complaint handlers"
        assert reqs["R-015"].kind == "record"
        assert reqs["R-015"].status == "requested"
        assert notes["N-001"].topic == "Opening meeting (edited)"
        assert notes["N-004"].request_codes == ("R-001", "R-002")
        assert roster["DD"].storyboard == "SB-DD-01"
        assert roster["PS"].prepared
        assert roster["CC"].presenter == "New Presenter"
        _verify_ok(workspace)
        # Undo puts everything back and deletes what the import created, audited.
        with ws.begin() as s:
            revert_exchange(s, ACTOR, out.applied)
        with ws.session() as s:
            reqs = {r.code: r for r in list_requests(s, CODE)}
            notes = {n.code: n for n in list_notes(s, CODE)}
            roster = {e.area_id: e for e in list_roster(s, CODE)}
        assert "R-015" not in reqs
        assert "N-004" not in notes
        assert reqs["R-011"].status == "in_qa_review"
        assert reqs["R-011"].presented_at is None
        assert reqs["R-012"].status == "in_retrieval"
        assert reqs["R-002"].owner == "Aoife Keane"
        assert reqs["R-005"].notes == "Mine"
        assert notes["N-001"].topic == "Opening meeting"
        assert roster["DD"].storyboard == ""
        assert not roster["PS"].prepared
    _verify_ok(workspace)


def test_unchanged_pack_plans_nothing_for_the_day_sheets(workspace: Path,
                                                         pack_file: Path) -> None:
    with open_workspace(workspace) as ws:
        plan = run_import(ws, ACTOR, pack_file, dry_run=True).plan
    day = [r for r in plan.rows if r.entity in ("request", "note", "roster")]
    assert day
    assert not [r for r in day if r.interesting]


def test_move_back_from_presented_is_refused_with_the_row(workspace: Path, pack_file: Path,
                                                          tmp_path: Path) -> None:
    edited = _edit(pack_file, tmp_path / "back.xlsx",
                   lambda wb: Sheet(wb["Requests"]).set("R-001", "Status", "In retrieval"))
    before = workspace.read_bytes()
    with open_workspace(workspace) as ws, pytest.raises(ApplyRefused) as err:
        run_import(ws, ACTOR, edited, dry_run=False)
    assert "Requests row 2 (R-001)" in str(err.value)
    assert "cannot move back" in str(err.value)
    assert workspace.read_bytes() == before


def test_unknown_and_deleted_rows_are_reported(workspace: Path, pack_file: Path,
                                               tmp_path: Path) -> None:
    def change(wb: Any) -> None:
        Sheet(wb["Requests"]).set("R-003", "Request ID", "R-999")
        Sheet(wb["SME roster"]).set("DD", "Area ID", "ZZ")

    edited = _edit(pack_file, tmp_path / "unknown.xlsx", change)
    with open_workspace(workspace) as ws:
        plan = run_import(ws, ACTOR, edited, dry_run=True).plan
    status = {(r.entity, r.key): r.status for r in plan.rows}
    assert status[("request", "R-999")] is RowStatus.UNKNOWN
    assert status[("request", "R-003")] is RowStatus.MISSING
    assert status[("roster", "ZZ")] is RowStatus.UNKNOWN
    assert status[("roster", "DD")] is RowStatus.MISSING


def test_bad_values_are_listed_by_cell(workspace: Path, pack_file: Path, tmp_path: Path) -> None:
    from qmsr_ready.core.exchange.errors import ImportRefused

    def change(wb: Any) -> None:
        req = Sheet(wb["Requests"])
        req.set("R-002", "Kind", "Telepathy")
        req.set("R-003", "Requested at (UTC)", "yesterday-ish")

    edited = _edit(pack_file, tmp_path / "bad.xlsx", change)
    with open_workspace(workspace) as ws, pytest.raises(ImportRefused) as err:
        run_import(ws, ACTOR, edited, dry_run=True)
    assert "Requests!E3" in str(err.value)
    assert "Requests!B4" in str(err.value)


def test_datetime_canonical_form_survives_a_spreadsheet() -> None:
    spec = REQUEST.field("requested_at")
    stored = dt.datetime(2026, 11, 23, 9, 15, 42, tzinfo=dt.UTC)
    read_back = dt.datetime(2026, 11, 23, 9, 15, 41, 999_990)  # a day fraction, naive
    assert spec.canonical(stored) == spec.canonical(read_back)
    assert spec.canonical("2026-11-23T10:15+01:00") == spec.canonical("2026-11-23 09:15")
    assert spec.display(spec.canonical(stored)) == "2026-11-23 09:15 UTC"


# -- merge -----------------------------------------------------------------------------------


def test_merge_two_copies_that_both_logged_requests(demo_file: Path, tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.qmsr", tmp_path / "theirs.qmsr"
    shutil.copy(demo_file, mine)
    shutil.copy(demo_file, theirs)
    with open_workspace(mine) as ws, ws.begin() as s:
        req_service.add_request(s, "Ann", inspection_code=CODE, text="Ann's request")
        req_service.update_request(s, "Ann", CODE, "R-001", owner="Ann")
        day_notes.set_roster_entry(s, "Ann", CODE, "PS", backup="Ann Backup")
    with open_workspace(theirs) as ws, ws.begin() as s:
        req_service.add_request(s, "Bo", inspection_code=CODE, text="Bo's request", owner="Bo")
        req_service.move_request(s, "Bo", CODE, "R-012", "in_qa_review")
        req_service.update_request(s, "Bo", CODE, "R-001", owner="Bo")
        day_notes.add_note(s, "Bo", inspection_code=CODE, text="Bo's note",
                           request_codes=["R-015"])
        day_notes.set_roster_entry(s, "Bo", CODE, "DD", storyboard="SB-DD-9")
    with open_workspace(mine) as ws:
        plan = run_merge(ws, "Ann", theirs, CODE, dry_run=True).plan
        rows = {(r.entity, r.key): r for r in plan.rows if r.interesting}
        assert rows[("request", "R-001")].field("owner").outcome is Outcome.CONFLICT
        assert rows[("request", "R-012")].field("status").outcome is Outcome.CLEAN_UPDATE
        assert rows[("request", "R-016")].status is RowStatus.NEW
        assert rows[("request", "R-016")].note == "renumbered from R-015"
        assert rows[("note", "N-004")].field("request_codes").theirs == ("R-016",)
        assert rows[("roster", "DD")].field("storyboard").outcome is Outcome.CLEAN_UPDATE
        assert rows[("roster", "PS")].field("backup").outcome is Outcome.WORKSPACE_ONLY
        out = run_merge(ws, "Ann", theirs, CODE, dry_run=False,
                        policy=ConflictPolicy.KEEP_MINE)
        assert out.applied is not None
    reqs = _requests(mine)
    assert reqs["R-015"].text == "Ann's request"
    assert reqs["R-016"].text == "Bo's request"
    assert reqs["R-001"].owner == "Ann"
    assert reqs["R-012"].status == "in_qa_review"
    _verify_ok(mine)
    with open_workspace(mine) as ws:
        with ws.begin() as s:
            revert_exchange(s, "Ann", out.applied)
        with ws.session() as s:
            assert "R-016" not in {r.code for r in list_requests(s, CODE)}
            assert "N-004" not in {n.code for n in list_notes(s, CODE)}
    _verify_ok(mine)


# -- verify ----------------------------------------------------------------------------------


def test_verify_names_an_sql_edit_of_a_request_note_or_roster(workspace: Path) -> None:
    _verify_ok(workspace)
    db = sqlite3.connect(workspace)
    db.execute("UPDATE document_requests SET owner = 'Sneaky' WHERE code = 'R-003'")
    db.execute("UPDATE sme_roster SET prepared = 1 WHERE area_id = 'DD'")
    db.commit()
    db.close()
    with open_workspace(workspace, read_only=True) as ws, ws.session() as s:
        report = verify_chain(s)
    assert not report.ok
    text = " ".join(report.data_problems)
    assert "request MI-2026-002/R-003: owner" in text
    assert "roster MI-2026-002/DD: prepared" in text
