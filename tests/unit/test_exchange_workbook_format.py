"""Workbook exchange format: column labels are the field specs, base hashes round-trip, and
text written to a cell and read back keeps its canonical form."""

from __future__ import annotations

import io
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from qmsr_ready.core.exchange.fields import FINDING, RESPONSE, FieldKind, value_hash
from qmsr_ready.core.exchange.workbook_read import read_sheet
from qmsr_ready.core.exchange.workbook_safety import FormulaCell
from qmsr_ready.core.export.safe_text import is_risky
from qmsr_ready.core.export.xlsx import checklist, findings
from qmsr_ready.core.export.xlsx.meta import (
    FORMAT_VERSION,
    READABLE_FORMATS,
    field_hashes,
    parse_field_hashes,
)
from qmsr_ready.core.export.xlsx.table import excel_value


def test_exchanged_columns_are_headed_by_the_field_labels() -> None:
    for spec, columns in ((RESPONSE, checklist.COLUMNS), (FINDING, findings.COLUMNS)):
        headers = [c.header for c in columns]
        assert headers[0] == spec.key_label
        for fs in spec.fields:
            assert fs.label in headers, (spec.sheet, fs.label)


def test_format_2_base_hashes_round_trip() -> None:
    assert FORMAT_VERSION == "2"
    assert set(READABLE_FORMATS) == {"1", "2"}
    raw = {"result": "minor_gap", "notes": "a;b=c\r\nline", "sample_population": 40,
           "sample_size": None, "records_reviewed": "DHR-1", "interviewees": ""}
    hashes = parse_field_hashes(field_hashes(RESPONSE, raw))
    assert list(hashes) == list(RESPONSE.names)
    for fs in RESPONSE.fields:
        assert hashes[fs.name] == value_hash(fs.canonical(raw[fs.name]))
    assert hashes["notes"] == value_hash("a;b=c\nline")  # canonical, not raw
    assert parse_field_hashes(None) == {}
    assert parse_field_hashes("") == {}


def test_a_value_without_canonical_form_has_no_base() -> None:
    raw = {**{fs.name: fs.default for fs in FINDING.fields}, "title": "", "severity": 9}
    hashes = parse_field_hashes(field_hashes(FINDING, raw))
    assert "title" not in hashes  # required
    assert "severity" not in hashes  # out of range
    assert "owner" in hashes


def _rows(*rows: tuple[object, ...]) -> list[tuple[object, ...]]:
    return list(rows)


def test_read_sheet_by_header_with_problems_and_formulas() -> None:
    problems: list[str] = []
    rows = _rows(
        ("Notes", None, "question id", "RESULT", "Sample size"),
        ("n1", None, "Q-1", "Minor gap", 3),
        (None, None, None, None, None),  # blank row: skipped
        ("n3", None, "Q-3", "Maybe", "x"),
        ("n4", None, "Q-4", None, 9),
    )
    formulas = {"E5": FormulaCell("E5", cached=True), "A4": FormulaCell("A4", cached=False)}
    read = read_sheet(RESPONSE, rows, formulas, problems, allow_new=False)
    assert [r.key for r in read.rows] == ["Q-1", "Q-3", "Q-4"]
    assert read.rows[0].values == {"result": "minor_gap", "notes": "n1", "sample_size": 3}
    assert read.rows[0].cells["result"] == "Checklist!D2"
    assert read.rows[2].values["result"] == "not_assessed"  # an empty choice cell
    assert read.formula_values == ["Checklist!E5"]
    assert [fs.name for fs in read.missing] == ["sample_population", "records_reviewed",
                                                "interviewees"]
    assert problems == [  # in field order within a row
        "Checklist!D4: Result 'Maybe' is not in the list; choose one of: "
        + ", ".join(RESPONSE.field("result").labels.values()),  # type: ignore[union-attr]
        "Checklist!A4: Notes holds a formula with no saved value; type the value itself "
        "(formulas are never calculated)",
        "Checklist!E4: Sample size must be a whole number, not 'x'",
    ]


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(
        list("=+-@\t\r\n ;'\"") + list(string.ascii_letters)),
    max_size=60,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_TEXT, min_size=1, max_size=12))
def test_canonical_text_survives_an_openpyxl_round_trip(texts: list[str]) -> None:
    """What the export writes and an import reads back compares equal (no spurious change)."""
    notes = RESPONSE.field("notes")
    assert notes.kind is FieldKind.TEXT
    wb = Workbook()
    ws = wb.active
    for i, text in enumerate(texts, start=1):
        value = excel_value(text)
        cell = ws.cell(i, 1, value)
        if is_risky(value):
            cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    back = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True, data_only=True)
    read = [row[0] if row else None for row in back.active.iter_rows(values_only=True)]
    read += [None] * (len(texts) - len(read))
    for text, cell_value in zip(texts, read, strict=True):
        assert notes.canonical(cell_value) == notes.canonical(text), (text, cell_value)
