"""Every bad returned workbook is refused with one clear line, and the workspace stays
byte-identical (issue 8 item 6)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import imp_data
import pytest
from imp_data import INSPECTION, Pack
from openpyxl import Workbook, load_workbook

from qmsr_ready.core.exchange.errors import ImportRefused
from qmsr_ready.core.exchange.workbook_safety import MAX_FILE_BYTES


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    return imp_data.build_pack(tmp_path_factory.mktemp("built"))


@pytest.fixture
def pack(built: Pack, tmp_path: Path) -> Pack:
    return imp_data.copy_pack(built, tmp_path / "p")


def refused(pack: Pack, xlsx: Path) -> ImportRefused:
    """Plan ``xlsx``; it must be refused and the workspace file must not change."""
    before = imp_data.sha256(pack.workspace)
    with pytest.raises(ImportRefused) as info:
        imp_data.plan(pack.workspace, xlsx)
    assert imp_data.sha256(pack.workspace) == before
    message = info.value.message
    assert "\n" not in message
    assert len(message) < 600
    return info.value


def edited(pack: Pack, tmp_path: Path, change: Callable[[Any], None]) -> Path:
    return imp_data.edit(pack.xlsx, tmp_path / "bad.xlsx", change)


def set_meta(wb: Any, key: str, value: str) -> None:
    for row in wb["_meta"].iter_rows(min_row=2):
        if row[0].value == "info" and row[3].value == key:
            row[4].value = value
            return
    raise KeyError(key)


# -- cells ----------------------------------------------------------------------------------


def test_invalid_drop_down_values_list_every_cell(pack: Pack, tmp_path: Path) -> None:
    refs: list[str] = []

    def change(wb: Any) -> None:
        refs.append(imp_data.set_cell(wb, "Checklist", "MO-05-Q01", "Result", "Maybe"))
        refs.append(imp_data.set_cell(wb, "Checklist", "MO-11-Q01", "Result", "Sort of"))
        refs.append(imp_data.set_cell(wb, "Findings", "F-001", "Classification", "Huge"))
        refs.append(imp_data.set_cell(wb, "Findings", "F-002", "Status", "Done-ish"))
        refs.append(imp_data.set_cell(wb, "Findings", "F-002", "Likely 483", "Perhaps"))

    err = refused(pack, edited(pack, tmp_path, change))
    assert len(err.problems) == 5
    for ref, problem in zip(refs, err.problems, strict=True):
        assert problem.startswith(f"{ref}: ")
    assert err.problems[0].startswith(
        f"{refs[0]}: Result 'Maybe' is not in the list; choose one of: ")
    assert "Minor gap" in err.problems[0]
    assert err.problems[2].startswith(f"{refs[2]}: Classification 'Huge' is not in the list")
    assert err.message.startswith("bad.xlsx was not imported: 5 problems in its cells (")
    assert refs[0] in err.message
    assert "and 2 more" in err.message


def test_out_of_range_numbers_dates_and_long_text(pack: Pack, tmp_path: Path) -> None:
    def change(wb: Any) -> None:
        imp_data.set_cell(wb, "Findings", "F-001", "Severity", 9)
        imp_data.set_cell(wb, "Findings", "F-001", "Likelihood", 2.5)
        imp_data.set_cell(wb, "Findings", "F-001", "Due date", dt.datetime(1900, 1, 5))
        imp_data.set_cell(wb, "Findings", "F-002", "Title", "T" * 300)
        imp_data.set_cell(wb, "Findings", "F-002", "Due date", "next week")
        imp_data.set_cell(wb, "Checklist", "MO-05-Q01", "Sample size", -1)
        imp_data.set_cell(wb, "Checklist", "MO-05-Q02", "Sample population", 2_000_000_000)
        imp_data.set_cell(wb, "Checklist", "MO-11-Q01", "Sample size", 41)  # population is 40

    err = refused(pack, edited(pack, tmp_path, change))
    text = "\n".join(err.problems)
    assert "Severity must be between 1 and 5, not 9" in text
    assert "Likelihood must be a whole number" in text
    assert "Due date 1900-01-05 is out of range" in text
    assert "Title is too long (300 characters; at most 255)" in text
    assert "Due date must be a date like 2026-05-31, not 'next week'" in text
    assert "Sample size must be between 0 and" in text
    assert "Sample population must be between 0 and 1,000,000,000" in text
    assert "Sample size 41 is larger than the population 40" in text
    assert all(p.startswith(("Findings!", "Checklist!")) for p in err.problems)
    assert len(err.problems) == 8


def test_formula_without_saved_value_is_named(pack: Pack, tmp_path: Path) -> None:
    refs: list[str] = []

    def change(wb: Any) -> None:
        refs.append(imp_data.set_cell(wb, "Checklist", "MO-05-Q01", "Sample size", "=2+3"))
        refs.append(imp_data.set_cell(wb, "Findings", "F-001", "Owner", '=CONCAT("a","b")'))

    err = refused(pack, edited(pack, tmp_path, change))
    assert [p.split(": ")[0] for p in err.problems] == refs
    assert all("formula with no saved value" in p for p in err.problems)


def test_duplicate_ids_and_missing_key_column(pack: Pack, tmp_path: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["Checklist"]
        ws.cell(ws.max_row + 1, 1, "MO-05-Q01")
        findings = wb["Findings"]
        findings.delete_cols(imp_data.header_map(findings)["Finding ID"])

    err = refused(pack, edited(pack, tmp_path, change))
    assert any("Question ID MO-05-Q01 appears again (first in row 2)" in p for p in err.problems)
    assert any("'Finding ID' column is missing" in p for p in err.problems)


def test_new_finding_without_required_values(pack: Pack, tmp_path: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["Findings"]
        ws.cell(ws.max_row + 1, imp_data.header_map(ws)["Owner"], "Somebody")

    err = refused(pack, edited(pack, tmp_path, change))
    text = "\n".join(err.problems)
    assert "Title must not be empty" in text
    assert "Classification must not be empty" in text


# -- identity -------------------------------------------------------------------------------


def test_pack_of_another_workspace_points_to_merge(pack: Pack, tmp_path: Path) -> None:
    err = refused(pack, edited(pack, tmp_path, lambda wb: set_meta(wb, "workspace_id", "x" * 36)))
    assert "exported from another workspace" in err.message
    assert f"qmsr-ready merge WORKSPACE OTHER.qmsr --inspection {INSPECTION}" in err.message


def test_pack_of_another_inspection(pack: Pack, tmp_path: Path) -> None:
    err = refused(pack, edited(pack, tmp_path,
                               lambda wb: set_meta(wb, "inspection_code", "MI-2030-001")))
    assert "inspection MI-2030-001, which this workspace no longer holds" in err.message


def test_pack_of_another_template_version(pack: Pack, tmp_path: Path) -> None:
    def change(wb: Any) -> None:
        set_meta(wb, "template_version", "2.0")
        set_meta(wb, "template_sha256", "f" * 64)

    err = refused(pack, edited(pack, tmp_path, change))
    assert "exported with checklist template exp-test 2.0" in err.message
    assert f"inspection {INSPECTION} here uses exp-test 1.0" in err.message


def test_newer_pack_format(pack: Pack, tmp_path: Path) -> None:
    err = refused(pack, edited(pack, tmp_path, lambda wb: set_meta(wb, "format", "9")))
    assert "newer QMSR Ready (pack format 9" in err.message


def test_workbook_that_is_not_our_pack(pack: Pack, tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    wb = Workbook()
    wb.active.append(["Question ID", "Result"])
    wb.save(plain)
    assert "plain.xlsx is not a QMSR Ready pack" in refused(pack, plain).message
    no_meta = edited(pack, tmp_path, lambda wb: wb.remove(wb["_meta"]))
    assert "is not a QMSR Ready pack" in refused(pack, no_meta).message


# -- files ----------------------------------------------------------------------------------


def test_not_a_file(pack: Pack, tmp_path: Path) -> None:
    assert "is not a file" in refused(pack, tmp_path).message
    assert "does not exist" in refused(pack, tmp_path / "nope.xlsx").message
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "is empty" in refused(pack, empty).message


def test_not_an_xlsx(pack: Pack, tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("Question ID,Result\nMO-05-Q01,Conforms\n")
    assert "is not an Excel workbook (.xlsx)" in refused(pack, text).message
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "old .xls workbook or a password-protected one" in refused(pack, old).message
    other_zip = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    assert "not an Excel workbook" in refused(pack, other_zip).message
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(pack.xlsx.read_bytes()[:4000])
    assert "damaged" in refused(pack, truncated).message


def test_file_over_the_size_limit(pack: Pack, tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written to disk
    assert "a returned pack is at most 25 MB" in refused(pack, big).message


def test_zip_bomb_is_refused_from_its_directory(pack: Pack, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"<row/>" * 100_000
            for _ in range(100):  # 60 MB of XML, ~60 kB compressed
                member.write(chunk)
    assert bomb.stat().st_size < 1_000_000
    message = refused(pack, bomb).message
    assert "would unpack to 57 MB" in message
    assert "not opened" in message


def _rewrite_member(src: Path, dst: Path, member: str, edit: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, edit(data) if info.filename == member else data)
    return dst


ENTITY_PROLOG = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                 b'<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n')


def _with_entities(data: bytes) -> bytes:
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return ENTITY_PROLOG + body.replace(b'name="Summary"', b'name="&b;"', 1)


def test_xml_entity_tricks_are_refused(pack: Pack, tmp_path: Path) -> None:
    bad = _rewrite_member(pack.xlsx, tmp_path / "entities.xlsx", "xl/workbook.xml",
                          _with_entities)
    message = refused(pack, bad).message
    assert "DOCTYPE/ENTITY declarations (xl/workbook.xml)" in message


def test_openpyxl_itself_parses_through_defusedxml(pack: Pack, tmp_path: Path) -> None:
    """Second line of defence: even past our scan, openpyxl refuses entity declarations."""
    import openpyxl.xml
    from defusedxml import DefusedXmlException

    assert openpyxl.xml.DEFUSEDXML is True
    bad = _rewrite_member(pack.xlsx, tmp_path / "entities.xlsx", "xl/workbook.xml",
                          _with_entities)
    with pytest.raises(ValueError, match="Unable to read workbook") as info:
        load_workbook(bad)
    assert isinstance(info.value.__cause__ or info.value.__context__, DefusedXmlException)


def test_plan_refuses_what_the_services_would_every_row_listed(pack: Pack, tmp_path: Path
                                                                ) -> None:
    """QA: a dry run said OK to N/A without a reason and to several samples larger than their
    population, which the real run refused; now planning lists every such row."""
    def change(wb: Any) -> None:
        imp_data.set_cell(wb, "Checklist", "OA-01-Q01", "Result", "Not applicable")
        imp_data.set_cell(wb, "Checklist", "OA-01-Q01", "Notes", None)
        for qid in ("MO-05-Q01", "MO-05-Q02"):
            imp_data.set_cell(wb, "Checklist", qid, "Sample population", 3)
            imp_data.set_cell(wb, "Checklist", qid, "Sample size", 5)

    err = refused(pack, imp_data.edit(pack.xlsx, tmp_path / "r.xlsx", change))
    text = " | ".join(err.problems)
    assert len(err.problems) == 3, text
    for expected in ("Not applicable needs a reason", "OA-01-Q01", "MO-05-Q01", "MO-05-Q02",
                     "larger than the population"):
        assert expected in text


def test_signed_off_inspection_is_refused_at_planning_with_how_to_reopen(
        pack: Pack, tmp_path: Path) -> None:
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.errors import InspectionLocked
    from qmsr_ready.core.services import sign_off

    xlsx = imp_data.edit(pack.xlsx, tmp_path / "s.xlsx", lambda wb: imp_data.set_cell(
        wb, "Checklist", "MO-05-Q01", "Notes", "edited"))
    with open_workspace(pack.workspace) as ws, ws.begin() as s:
        sign_off(s, "Boss", INSPECTION, name="Boss", meaning="Approved")
    with pytest.raises(InspectionLocked, match=r"Inspection ▸ Reopen…"):
        imp_data.plan(pack.workspace, xlsx)
