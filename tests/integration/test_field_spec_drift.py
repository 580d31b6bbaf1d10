"""The field specs are the one source: each limit, required flag and vocabulary in
``core.fields`` is what the service enforces (cases generated from the specs, so a limit changed
in one place only fails here), and the workbook headers and PDF captions read the spec labels."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.orm import Session

from qmsr_ready.core import services
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.export import export_pdf, export_xlsx
from qmsr_ready.core.fields import (
    FINDING,
    MAX_COUNT,
    NOTE,
    REQUEST,
    RESPONSE,
    ROSTER,
    SITE,
    VOCABULARIES,
    EntitySpec,
    FieldKind,
    FieldSpec,
    messages,
)
from qmsr_ready.core.report import build_report
from qmsr_ready.core.services.day_notes import add_note, set_roster_entry, update_note
from qmsr_ready.core.services.requests import add_request, update_request

Writer = Callable[[Session, str, dict[str, Any]], object]


def _writers() -> dict[str, Writer]:
    """How to write some fields of each entity through its service (an existing row)."""
    return {
        "response": lambda s, code, f: services.record_response(
            s, "A", inspection_code=code, question_id="MO-01-Q01", **f),
        "finding": lambda s, code, f: services.update_finding(s, "A", code, "F-001", **f),
        "request": lambda s, code, f: update_request(s, "A", code, "R-001", **f),
        "note": lambda s, code, f: update_note(s, "A", code, "N-001", **f),
        "roster": lambda s, code, f: set_roster_entry(s, "A", code, "MO", **f),
        "site": lambda s, code, f: services.update_site(s, "A", "SITE-001", **f),
    }


SPECS = (RESPONSE, FINDING, REQUEST, NOTE, ROSTER, SITE)
# Fields whose service adds a rule of its own beyond the spec (FEI: digits only).
DIGITS = {("site", "fei_number")}
# Fields whose value must also name something in the template: only the refusal is generic.
KNOWN_IDS = {("request", "area_id"), ("request", "element_id")}


def _sample(spec: EntitySpec, field: FieldSpec, length: int) -> str:
    return ("7" if (spec.entity, field.name) in DIGITS else "x") * length


def _cases() -> Iterator[Any]:
    for spec in SPECS:
        for field in spec.fields:
            if not field.editable or (spec.entity == "site" and field.name not in
                                      ("name", "fei_number", "address")):
                continue  # the profile goes in as a SiteProfile, checked in test_profile_*
            if field.kind is FieldKind.TEXT and field.max_len is not None:
                yield pytest.param(spec, field, "max_len", id=f"{spec.entity}.{field.name}.max")
            if field.kind is FieldKind.TEXT and field.required:
                yield pytest.param(spec, field, "required", id=f"{spec.entity}.{field.name}.req")
            if field.kind is FieldKind.INT:
                yield pytest.param(spec, field, "range", id=f"{spec.entity}.{field.name}.range")
            if field.kind is FieldKind.CHOICE:
                yield pytest.param(spec, field, "choice", id=f"{spec.entity}.{field.name}.choice")


@pytest.fixture
def rows(fnd_inspection: tuple[Any, str]) -> tuple[Any, str]:
    """One row of every entity, so each service has something to update."""
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.raise_finding(s, "A", inspection_code=code, title="Gap", classification="minor")
        add_request(s, "A", inspection_code=code, text="Training records", suggest=False)
        add_note(s, "A", inspection_code=code, text="Asked about CAPA-12")
    return ws, code


def _refused(ws: Any, write: Callable[[Session], object]) -> str:
    with pytest.raises(InvalidInput) as err, ws.begin() as s:
        write(s)
    return err.value.message


@pytest.mark.parametrize(("spec", "field", "rule"), list(_cases()))
def test_service_enforces_the_spec(rows: tuple[Any, str], spec: EntitySpec, field: FieldSpec,
                                   rule: str) -> None:
    ws, code = rows
    write = _writers()[spec.entity]

    def put(value: Any) -> Callable[[Session], object]:
        return lambda s: write(s, code, {field.name: value})

    if rule == "max_len":
        assert field.max_len is not None
        if (spec.entity, field.name) not in KNOWN_IDS:
            with ws.begin() as s:
                put(_sample(spec, field, field.max_len))(s)  # exactly at the limit: accepted
        message = _refused(ws, put(_sample(spec, field, field.max_len + 1)))
        assert message.startswith(f"{field.label} is too long")
        assert f"at most {field.max_len:,}" in message or spec.entity == "site"
    elif rule == "required":
        assert _refused(ws, put("   ")) == messages.empty(field.label) + "."
    elif rule == "range":
        low = field.low if field.low is not None else 0
        high = field.high if field.high is not None else MAX_COUNT
        for value in (low, high):
            with ws.begin() as s:
                put(value)(s)
        for value in (low - 1, high + 1):
            assert _refused(ws, put(value)) == messages.out_of_range(
                field.label, value, low, high) + "."
    else:
        message = _refused(ws, put("no-such-value"))
        assert f"not a valid {field.label.lower()}" in message
        assert all(stored in message for stored in field.labels or {})


def test_vocabularies_are_the_enums() -> None:
    for name, enum_cls in VOCABULARIES.items():
        spec = RESPONSE.field(name) if name == "result" else FINDING.field(name)
        assert list(spec.labels or {}) == [m.value for m in enum_cls]


def test_editable_fields_are_what_the_services_accept() -> None:
    from qmsr_ready.core.services import day_notes, findings, requests

    assert FINDING.editable_fields == findings.EDITABLE_FIELDS
    assert "status" not in FINDING.editable_fields
    assert REQUEST.editable_fields == requests.EDITABLE_FIELDS
    assert ROSTER.editable_fields == day_notes.ROSTER_FIELDS
    assert NOTE.editable_fields == day_notes.NOTE_FIELDS
    assert RESPONSE.defaults() == {"result": "not_assessed", "notes": "", "sample_population":
                                   None, "sample_size": None, "records_reviewed": "",
                                   "interviewees": ""}


def test_profile_fields_come_from_the_site_spec() -> None:
    from qmsr_ready.core.library.schema import PROFILE_BOOL_FIELDS
    from qmsr_ready.core.profile import BOOL_FIELDS, SiteProfile

    spec_bools = tuple(f.name for f in SITE.fields if f.kind is FieldKind.BOOL)
    assert BOOL_FIELDS == PROFILE_BOOL_FIELDS == spec_bools
    assert set(SiteProfile().as_dict()) == {"device_classes", *spec_bools}


def _headers(path: Path, sheet: str) -> list[str]:
    ws = load_workbook(path, read_only=True)[sheet]
    return [str(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1))]


def test_workbook_headers_and_pdf_captions_are_the_spec_labels(
        rows: tuple[Any, str], tmp_path: Path) -> None:
    ws, code = rows
    with ws.begin() as s:
        services.update_finding(s, "A", code, "F-001", likely_483=True, **{
            name: f"{name} text" for name in ("objective_evidence", "requirement", "correction",
                                              "root_cause", "corrective_action",
                                              "effectiveness_check")})
        set_roster_entry(s, "A", code, "MO", presenter="Ann")
    with ws.session() as s:
        report = build_report(s, code)
    book = export_xlsx(report, tmp_path / "pack.xlsx")
    for spec in (RESPONSE, FINDING, REQUEST, NOTE, ROSTER):
        headers = _headers(book, spec.sheet)
        assert headers[0] == spec.key_label
        missing = [f.label for f in spec.fields if f.label not in headers]
        assert not missing, f"{spec.sheet} lacks spec columns {missing}"
    text = " ".join(p.extract_text() for p in PdfReader(export_pdf(report, tmp_path / "p.pdf"))
                    .pages)
    text = " ".join(text.split())
    for name in ("objective_evidence", "requirement", "correction", "root_cause",
                 "corrective_action", "effectiveness_check", "likely_483"):
        assert FINDING.label_of(name) in text
    assert SITE.label_of("fei_number") in text
