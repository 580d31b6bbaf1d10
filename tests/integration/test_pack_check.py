"""``qmsr-ready verify WORKSPACE --against PACK.xlsx``: does an exported pack still match?

Each outcome: a fresh pack matches (exit 0); a cell edited or a row deleted in the workbook, a
row changed in the workspace since the export, a pack of another workspace, and a trail that no
longer holds the head the pack pinned are each named (exit 1); a file that is not a workbook is
bad input (exit 2).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import exp_data
import imp_data
import pytest
from imp_data import ACTOR, INSPECTION, Pack

from qmsr_ready.cli import main
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.exchange.errors import ImportRefused
from qmsr_ready.core.exchange.pack_check import PackCheck, check_pack
from qmsr_ready.core.services import record_response


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    return imp_data.build_pack(tmp_path_factory.mktemp("built"))


@pytest.fixture
def pack(built: Pack, tmp_path: Path) -> Pack:
    return Pack(Path(shutil.copy2(built.workspace, tmp_path / "w.qmsr")),
                Path(shutil.copy2(built.xlsx, tmp_path / "pack.xlsx")))


def _check(pack: Pack, xlsx: Path | None = None) -> PackCheck:
    with open_workspace(pack.workspace, read_only=True) as ws, ws.session() as s:
        return check_pack(s, xlsx or pack.xlsx)


def _verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["verify", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_fresh_pack_matches(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(pack).matches
    code, out, _err = _verify(capsys, str(pack.workspace), "--against", str(pack.xlsx))
    assert code == 0
    assert f"Pack matches: pack.xlsx (inspection {INSPECTION}" in out
    assert out.startswith("OK: ")


def test_a_cell_edited_in_the_workbook_is_named(pack: Pack, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    refs: list[str] = []
    edited = imp_data.edit(pack.xlsx, tmp_path / "edited.xlsx", lambda wb: refs.append(
        imp_data.set_cell(wb, "Findings", "F-001", "Title", "Retitled in Excel")))
    check = _check(pack, edited)
    assert not check.matches
    [diff] = check.differences
    assert (diff.kind, diff.where) == ("edited_in_pack", refs[0])
    assert "Title edited in the workbook: 'Retitled in Excel' in the pack" in diff.text
    code, out, _err = _verify(capsys, str(pack.workspace), "--against", str(edited))
    assert code == 1
    assert "PACK DIFFERS: edited.xlsx" in out
    assert refs[0] in out


def test_a_row_deleted_from_the_workbook_is_named(pack: Pack, tmp_path: Path) -> None:
    def delete_row(wb) -> None:  # type: ignore[no-untyped-def]
        sheet = wb["Findings"]
        sheet.delete_rows(imp_data.row_of(sheet, "F-002"))

    check = _check(pack, imp_data.edit(pack.xlsx, tmp_path / "short.xlsx", delete_row))
    assert [(d.kind, d.text) for d in check.differences] == [
        ("rows", "row deleted from the workbook: F-002 =1+2 index drift")]


def test_a_row_changed_in_the_workspace_since_the_export_is_named(pack: Pack) -> None:
    with open_workspace(pack.workspace) as ws, ws.begin() as s:
        record_response(s, ACTOR, inspection_code=INSPECTION, question_id="MO-05-Q01",
                        result="major_gap")
    check = _check(pack)
    assert [(d.kind, d.text.split(":")[0]) for d in check.differences] == [
        ("changed_here", "MO-05-Q01 Result changed in the workspace")]
    assert any("audit event recorded on inspection" in n for n in check.notes)


def test_a_pack_of_another_workspace_differs(pack: Pack, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    other = exp_data.build_workspace(tmp_path / "other.qmsr", signed=False)
    code, out, _err = _verify(capsys, str(other), "--against", str(pack.xlsx), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is True  # the other workspace itself is intact
    [diff] = report["pack"]["differences"]
    assert diff["kind"] == "identity"
    assert "exported from another workspace" in diff["text"]


def test_a_trail_without_the_pinned_head_was_rewritten(pack: Pack) -> None:
    """Deleting the last events (and pointing the stored head back) is what a rewrite looks
    like to anyone holding only the file; the pack kept elsewhere still knows the head."""
    conn = sqlite3.connect(pack.workspace)
    last = conn.execute("SELECT max(seq) FROM audit_events").fetchone()[0]
    conn.execute("DELETE FROM audit_events WHERE seq = ?", (last,))
    prev = conn.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    conn.execute("UPDATE workspace_info SET value = ? WHERE key = 'audit_head_seq'",
                 (str(prev[0]),))
    conn.execute("UPDATE workspace_info SET value = ? WHERE key = 'audit_head_hash'", (prev[1],))
    conn.commit()
    conn.close()
    kinds = [d.kind for d in _check(pack).differences]
    assert kinds[0] == "chain"
    assert "rewritten or shortened after the export" in str(_check(pack).differences[0])


@pytest.mark.parametrize("content", [b"not a workbook at all", b"PK\x03\x04 broken zip"])
def test_a_file_that_is_not_a_workbook_is_bad_input(
        pack: Pack, tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_bytes(content)
    with pytest.raises(ImportRefused):
        _check(pack, bogus)
    code, out, err = _verify(capsys, str(pack.workspace), "--against", str(bogus))
    assert code == 2
    assert err.count("\n") == 1
    assert "bogus.xlsx" in err
    assert out == ""


def _set_meta(values: dict[str, str | None]):  # type: ignore[no-untyped-def]
    """An edit setting ``_meta`` info values (``None`` clears one)."""
    def change(wb) -> None:  # type: ignore[no-untyped-def]
        for row in wb["_meta"].iter_rows(min_row=2):
            if row[0].value == "info" and row[3].value in values:
                row[4].value = values[row[3].value]
    return change


def _record_the_export(pack: Pack) -> None:
    """Record the pack as sent, as an export does (its own event, after the pinned head)."""
    from openpyxl import load_workbook

    from qmsr_ready.core.exchange.exports import record_export

    wb = load_workbook(pack.xlsx, read_only=True)
    info = {r[3]: r[4] for r in wb["_meta"].iter_rows(min_row=2, values_only=True)
            if r[0] == "info"}
    wb.close()
    with open_workspace(pack.workspace) as ws, ws.begin() as s:
        record_export(s, ACTOR, INSPECTION, "xlsx", pack.xlsx, imp_data.sha256(pack.xlsx),
                      built_from=str(info["audit_head"]))


def test_the_exports_own_event_is_not_counted_and_one_event_is_singular(
        pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    _record_the_export(pack)
    check = _check(pack)
    assert check.matches
    assert not [n for n in check.notes if "since the export" in n]
    with open_workspace(pack.workspace) as ws, ws.begin() as s:
        record_response(s, ACTOR, inspection_code=INSPECTION, question_id="MO-05-Q01",
                        notes="a note added later")
    notes = [n for n in _check(pack).notes if "since the export" in n]
    assert notes == [f"1 audit event recorded on inspection {INSPECTION} since the export"]


def test_a_sign_off_since_the_export_is_a_difference(
        pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    """A pack of an inspection still in progress does not match it signed off: the status and
    the signature are what a reader of the pack relies on, though no sheet row changed."""
    from qmsr_ready.core.services.inspections import reopen_inspection, sign_off

    _record_the_export(pack)
    with open_workspace(pack.workspace) as ws, ws.begin() as s:
        sign_off(s, ACTOR, INSPECTION, name="QA Lead", meaning="Approved")
    check = _check(pack)
    [diff] = check.differences
    assert diff.kind == "changed_here"
    assert diff.where == INSPECTION
    assert "signed off by QA Lead (Approved) in the workspace since the export" in diff.text
    assert "status 'in_progress' → 'signed_off'" in diff.text
    code, out, _err = _verify(capsys, str(pack.workspace), "--against", str(pack.xlsx))
    assert code == 1
    assert "PACK DIFFERS" in out
    assert "signed off by QA Lead" in out
    with open_workspace(pack.workspace) as ws, ws.begin() as s:
        reopen_inspection(s, ACTOR, INSPECTION, reason="one more answer")
    texts = [d.text for d in _check(pack).differences]  # back in progress, yet signed meanwhile
    assert len(texts) == 2
    assert "reopened (one more answer) in the workspace since the export" in texts[1]


@pytest.mark.parametrize("cleared", [
    {"audit_head": None, "audit_event_count": None}, {"audit_head": None},
    {"audit_event_count": "0"}])
def test_a_current_pack_without_its_pin_was_edited(
        pack: Pack, tmp_path: Path, cleared: dict[str, str | None],
        capsys: pytest.CaptureFixture[str]) -> None:
    edited = imp_data.edit(pack.xlsx, tmp_path / "nohead.xlsx", _set_meta(cleared))
    check = _check(pack, edited)
    [diff] = check.differences
    assert diff.kind == "chain"
    assert "does not pin the audit trail's state" in diff.text
    assert "edited" in diff.text
    assert not [n for n in check.notes if "older QMSR Ready" in n]
    code, _out, _err = _verify(capsys, str(pack.workspace), "--against", str(edited))
    assert code == 1


def test_a_pack_from_before_head_pinning_may_lack_the_pin(pack: Pack, tmp_path: Path) -> None:
    edited = imp_data.edit(pack.xlsx, tmp_path / "old.xlsx", _set_meta(
        {"audit_head": None, "audit_event_count": None, "app_version": "0.0.9"}))
    check = _check(pack, edited)
    assert check.matches
    assert any("exported by an older QMSR Ready" in n for n in check.notes)
