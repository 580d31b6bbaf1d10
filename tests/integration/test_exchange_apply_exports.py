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


def _head(s) -> str:
    return verify_chain(s).head_hash or ""


def test_a_change_saved_while_the_pack_was_written_is_not_counted_as_sent(
        fnd_inspection, tmp_path: Path) -> None:
    from qmsr_ready.core.exchange.exports import record_export

    ws, code = fnd_inspection
    with ws.session() as s:
        built_from = _head(s)  # the report of the pack was built here
    with ws.begin() as s:  # ...and this answer was saved while the pack was being written
        services.record_response(s, "Bo", inspection_code=code, question_id="MO-01-Q01",
                                 notes="saved during the export")
    pack = tmp_path / "pack.xlsx"
    pack.write_bytes(b"pack bytes")
    with ws.begin() as s:
        record_export(s, "Ann", code, "xlsx", pack, "aa" * 32, built_from)
    with ws.session() as s:
        assert last_export(s, code).audit_head == built_from
        assert changed_since_export(s, code)  # the pack does not carry Bo's answer


def test_both_packs_carry_the_head_their_report_was_built_from(
        fnd_inspection, tmp_path: Path) -> None:
    from qmsr_ready.core.export.run import run_export

    ws, code = fnd_inspection
    outcome = run_export(ws, code, xlsx=tmp_path / "p.xlsx", pdf=tmp_path / "p.pdf")
    assert outcome.problem == ""
    with ws.session() as s:
        heads = {k: last_export(s, code, k).audit_head for k in ("xlsx", "pdf")}
        assert heads == {"xlsx": outcome.report.audit.head_hash,
                         "pdf": outcome.report.audit.head_hash}
        assert not changed_since_export(s, code)


def test_a_pack_whose_head_left_the_trail_counts_as_changed(
        fnd_inspection, tmp_path: Path) -> None:
    from qmsr_ready.core.exchange.exports import record_export

    ws, code = fnd_inspection
    pack = tmp_path / "pack.pdf"
    pack.write_bytes(b"%PDF")
    with ws.begin() as s:
        record_export(s, "Ann", code, "pdf", pack, "bb" * 32, "f" * 64)
    with ws.session() as s:
        assert changed_since_export(s, code)
