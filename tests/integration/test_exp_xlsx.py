"""Excel pack read back with openpyxl: cells, validations, panes, filters, metadata, injection."""

from __future__ import annotations

from pathlib import Path

import exp_data
import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.export import ExportOptions, export_xlsx
from qmsr_ready.core.export.xlsx.meta import fingerprint
from qmsr_ready.core.report import ReadinessReport, build_report


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReadinessReport:
    path = exp_data.build_target(tmp_path_factory.mktemp("x") / "w.qmsr")
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return build_report(s, exp_data.INSPECTION, today=exp_data.TODAY)


@pytest.fixture(scope="module")
def pack(report: ReadinessReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("out") / "pack.xlsx"
    assert export_xlsx(report, target) == target
    return target


@pytest.fixture(scope="module")
def book(pack: Path) -> Workbook:
    return load_workbook(pack)


def sheet_chart_titles(pack: Path, sheet: str) -> list[str]:
    """Titles of the native charts drawn on ``sheet``, read from the package's own parts."""
    import posixpath
    import re
    import zipfile
    from xml.etree import ElementTree

    def rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
        folder, name = posixpath.split(part)
        root = ElementTree.fromstring(z.read(f"{folder}/_rels/{name}.rels"))
        return {r.get("Id", ""): (r.get("Target", "").lstrip("/") if r.get("Target", "")
                                  .startswith("/") else posixpath.normpath(
                                      posixpath.join(folder, r.get("Target", ""))))
                for r in root}

    with zipfile.ZipFile(pack) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="([^"]+)"', workbook)
        assert rid is not None
        sheet_part = rels(z, "xl/workbook.xml")[rid[1]]
        drawings = [t for t in rels(z, sheet_part).values() if "/drawings/" in t]
        charts = [t for d in drawings for t in rels(z, d).values() if "/charts/" in t]
        return [" ".join(re.findall(r"<a:t>([^<]*)</a:t>", z.read(c).decode())) for c in charts]


def rows_by_id(ws) -> dict[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    header = [c.value for c in ws[1]]
    return {str(r[0]): dict(zip(header, r, strict=True))
            for r in ws.iter_rows(min_row=2, values_only=True)}


def test_sheets_in_order_with_hidden_metadata(book: Workbook) -> None:
    assert book.sheetnames == ["Summary", "Areas", "Elements", "Checklist", "Findings",
                               "Actions", "Crosswalk", "About", "_meta"]
    assert book["_meta"].sheet_state == "hidden"
    assert book.active.title == "Summary"


def test_checklist_rows_values_and_injection_stay_text(book: Workbook) -> None:
    ws = book["Checklist"]
    rows = rows_by_id(ws)
    assert list(rows) == ["MO-05-Q01", "MO-05-Q02", "MO-11-Q01", "DD-04-Q01", "DD-08-Q01",
                          "OA-01-Q01"]
    q = rows["MO-05-Q01"]
    assert q["Result"] == "Conforms"
    assert q["Notes"] == exp_data.INJECTIONS[0]
    assert q["Assessed by"] == exp_data.UNICODE_NAME
    assert q["Citations"] == "ISO 13485:2016 4.2.3"
    assert rows["MO-11-Q01"]["Notes"] == exp_data.LONG_NOTE
    notes_col = [c.value for c in ws[1]].index("Notes") + 1
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row=row, column=notes_col)
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
            assert cell.data_type == "s", cell.value
            assert cell.quotePrefix
    assert rows["MO-05-Q02"]["Notes"] == "+1"
    assert rows["DD-04-Q01"]["Notes"] == "-2"
    assert rows["OA-01-Q01"]["Notes"] == "@SUM(A1)"


def test_findings_every_field_and_injection(book: Workbook) -> None:
    rows = rows_by_id(book["Findings"])
    f1, f2 = rows["F-001"], rows["F-002"]
    assert f1["Objective evidence"] == exp_data.FINDING_TEXT
    assert f1["Owner"] == exp_data.CYRILLIC_NAME
    assert (f1["Classification"], f1["Status"], f1["Overdue"], f1["Risk score"]) == (
        "Major", "Open", "Yes", 16)
    assert f1["Due date"].date().isoformat() == "2026-11-01"
    assert f2["Title"] == "=1+2 index drift"
    assert f2["Corrective action"] == "-update index"
    assert rows["F-003"]["Status"] == "Closed"
    (title,) = [c for row in book["Findings"].iter_rows() for c in row
                if c.value == "=1+2 index drift"]
    assert title.data_type == "s"  # kept as text, never a formula


def test_validations_frozen_panes_filters_print(book: Workbook) -> None:
    ws = book["Checklist"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    result = next(c.column_letter for c in ws[1] if c.value == "Result")
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    # The result list covers the Result column on every checklist row, whatever the layout.
    assert lists == {
        f"{result}2:{result}{ws.max_row}":
            '"Conforms,Minor gap,Major gap,Not applicable,Not assessed"'
    }
    findings = book["Findings"]
    formulas = [dv.formula1 for dv in findings.data_validations.dataValidation]
    assert '"Open,Action planned,Awaiting verification,Closed"' in formulas
    assert any("Opportunity for improvement" in f for f in formulas)
    assert book["Actions"].data_validations.dataValidation
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in ws.oddFooter.center.text
    assert ws.conditional_formatting  # gap highlighting
    assert ws.column_dimensions["E"].width == 60


def test_summary_has_native_charts_and_overall(book: Workbook, pack: Path) -> None:
    ws = book["Summary"]
    assert len(sheet_chart_titles(pack, "Summary")) == 2
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "58% (Off target)" in values
    assert exp_data.UNICODE_NAME in " ".join(str(v) for v in values)


def test_summary_gives_the_verdict_with_each_reason(book: Workbook,
                                                    report: ReadinessReport) -> None:
    from qmsr_ready.core.report.verdict import readiness_verdict

    verdict = readiness_verdict(report)
    ws = book["Summary"]
    labels = {row[0].value: row[1].value for row in ws.iter_rows(max_col=2) if row[0].value}
    assert labels["Readiness verdict"] == verdict.label
    assert labels["Why"].splitlines() == [f"• {r}" for r in verdict.reasons]
    # weight-3 questions are risk-focus in the test data: MO-05-Q01 conforms, OA-01-Q01 open
    assert labels["Risk-focus questions"] == "100% (On target; 1 of 2 assessed)"
    assert "Overall readiness" not in labels


def test_metadata_fingerprints_match_visible_rows(book: Workbook, report: ReadinessReport) -> None:
    meta = list(book["_meta"].iter_rows(min_row=2, values_only=True))
    info = {r[3]: r[4] for r in meta if r[0] == "info"}
    assert info["inspection_code"] == exp_data.INSPECTION
    assert info["template_sha256"] == report.template.sha256
    assert info["workspace_id"] == report.workspace_id
    assert info["gaps_only"] == "no"
    assert info["sheets"].split(";") == [s for s in book.sheetnames if s != "_meta"]
    rows = {(r[1], r[3]): (r[2], r[4]) for r in meta if r[0] == "row"}
    ws = book["Checklist"]
    row_no, fp = rows[("Checklist", "MO-05-Q01")]
    values = [c.value for c in ws[row_no]]
    assert values[0] == "MO-05-Q01"
    assert fingerprint(values) == fp
    values[8] = "edited note"
    assert fingerprint(values) != fp
    for (sheet, row_id), (row_no, fp) in rows.items():
        read = [c.value for c in book[sheet][row_no]]
        assert str(read[0]) == row_id
        assert fingerprint(read) == fp, (sheet, row_id)


def test_sections_and_gaps_only(report: ReadinessReport, tmp_path: Path) -> None:
    target = tmp_path / "gaps.xlsx"
    export_xlsx(report, target, options=ExportOptions(sections=frozenset({"checklist"}),
                                                      gaps_only=True))
    wb = load_workbook(target)
    assert wb.sheetnames == ["Checklist", "_meta"]
    assert list(rows_by_id(wb["Checklist"])) == ["MO-05-Q02", "MO-11-Q01"]
    info = {r[3]: r[4] for r in wb["_meta"].iter_rows(min_row=2, values_only=True)
            if r[0] == "info"}
    assert (info["gaps_only"], info["sheets"]) == ("yes", "Checklist")
