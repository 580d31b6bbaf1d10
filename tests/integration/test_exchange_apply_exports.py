"""Exports recorded in the audit trail: last pack sent, and changed since then."""

from __future__ import annotations

from pathlib import Path

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.exchange.exports import (
    changed_since_export,
    last_export,
    record_exports_in_file,
)


def test_last_export_and_changed_since(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    with ws.session() as s:
        assert last_export(s, code) is None
        assert not changed_since_export(s, code)  # never sent: nothing sent is stale
    pack = tmp_path / "pack.xlsx"
    pack.write_bytes(b"pack bytes")
    with ws.begin() as s:
        from qmsr_ready.core.exchange.exports import record_export

        record_export(s, "Ann", code, "xlsx", pack, "aa" * 32)
    with ws.session() as s:
        last = last_export(s, code)
        assert (last.kind, last.file_name, last.by, last.sha256) == (
            "xlsx", "pack.xlsx", "Ann", "aa" * 32)
        assert not changed_since_export(s, code)
    with ws.begin() as s:
        services.record_response(s, "Ann", inspection_code=code, question_id="MO-01-Q01",
                                 notes="after the export")
    with ws.session() as s:
        assert changed_since_export(s, code)
        assert verify_chain(s).ok


def test_a_locked_workspace_is_reported_not_raised(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection  # the fixture holds the writer lock, like the GUI would
    pack = tmp_path / "p.pdf"
    pack.write_bytes(b"%PDF")
    problem = record_exports_in_file(ws.path, "Ann", code, [("pdf", pack)])
    assert problem.startswith("p.pdf not recorded as sent:")
    assert "\n" not in problem
