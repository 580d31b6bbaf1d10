"""The autosave on a file finds its inspection's template without reading the template's row
each time: the row's sha256 lies after its content (tens of KB of overflow pages SQLite walks
through), so a WriteConnection reads it once per template and the open workspace remembers it.
Another workspace whose template row has the same ID keeps its own template."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from conftest import fnd_template_content

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.services.responses import save_response
from qmsr_ready.core.template_content import TemplateSnapshot


def _save(ws, code: str, qid: str, result: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Save one answer on a WriteConnection; the SQL it ran."""
    ran: list[str] = []
    with ws.write_connection() as w:
        w.lean.raw.set_trace_callback(ran.append)
        try:
            save_response(w, "Bob", inspection_code=code, question_id=qid,
                          values={"result": result})
        finally:
            w.lean.raw.set_trace_callback(None)
    return ran


def _workspace(path: Path, content: dict):  # type: ignore[no-untyped-def]
    ws = open_workspace(path, create=True)
    with ws.begin() as s:
        services.create_site(s, "Alice", name="Acme Devices", fei_number="3001234567")
        code = services.start_inspection(
            s, "Alice", site_code="SITE-001", template=TemplateSnapshot.from_content(content),
            inspection_type="baseline_surveillance", title="Baseline readiness").code
        services.record_response(s, "Alice", inspection_code=code, question_id="MA-03-Q01",
                                 result="conforms")  # in progress: no ORM step in the saves
    return ws, code


def test_later_saves_read_no_template_row(tmp_path: Path) -> None:
    ws, code = _workspace(tmp_path / "a.qmsr", fnd_template_content())
    try:
        first = _save(ws, code, "MO-01-Q01", "conforms")
        later = _save(ws, code, "MO-01-Q02", "minor_gap") + _save(ws, code, "MO-01-Q01",
                                                                   "major_gap")
    finally:
        ws.close()
    assert any("checklist_templates" in sql for sql in first)
    assert later
    assert not any("checklist_templates" in sql for sql in later)


def test_a_template_row_with_the_same_id_elsewhere_keeps_its_own_template(
        tmp_path: Path) -> None:
    other = copy.deepcopy(fnd_template_content())
    other["areas"][0]["elements"][0]["questions"][0]["id"] = "MO-01-Q77"
    plain, plain_code = _workspace(tmp_path / "a.qmsr", fnd_template_content())
    renamed, renamed_code = _workspace(tmp_path / "b.qmsr", other)
    try:
        _save(plain, plain_code, "MO-01-Q01", "conforms")  # remembers its template row 1
        _save(renamed, renamed_code, "MO-01-Q77", "conforms")  # its own row 1
        with pytest.raises(InvalidInput, match="MO-01-Q77"):
            _save(plain, plain_code, "MO-01-Q77", "conforms")
        with pytest.raises(InvalidInput, match="MO-01-Q01"):
            _save(renamed, renamed_code, "MO-01-Q01", "conforms")
    finally:
        plain.close()
        renamed.close()
