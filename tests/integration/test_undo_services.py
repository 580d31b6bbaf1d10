"""Core halves of the GUI's undo of evidence attaches and of a new inspection (issue 9 item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.errors import InspectionLocked, InvalidInput
from qmsr_ready.core.services.evidence_purge import (
    purge_unreferenced_blobs,
    unreferenced_blobs,
)
from qmsr_ready.core.services.evidence_undo import (
    EvidenceTarget,
    attach_files,
    redo_attach,
    undo_attach,
)
from qmsr_ready.core.services.inspection_undo import delete_new_inspection, recorded_work


def test_undo_of_an_attach_refuses_while_the_file_is_linked_elsewhere(
    fnd_inspection, tmp_path: Path
) -> None:
    ws, code = fnd_inspection
    sample = tmp_path / "sop.pdf"
    sample.write_bytes(b"the SOP")
    target = EvidenceTarget(code, question_id="MO-01-Q01")
    with ws.begin() as s:
        (step,) = attach_files(s, "Alice", target, [sample])
        services.link_evidence(s, "Alice", code, step.code, question_id="MO-02-Q01")
    assert (step.code, step.created, step.linked) == ("E-001", True, True)
    with pytest.raises(InvalidInput, match="linked elsewhere"), ws.begin() as s:
        undo_attach(s, "Alice", target, step)
    with ws.begin() as s:
        services.detach_evidence(s, "Alice", code, step.code, question_id="MO-02-Q01")
        undo_attach(s, "Alice", target, step)
    with ws.begin() as s:
        redo_attach(s, "Alice", target, step)
    with ws.session() as s:
        assert services.evidence_bytes(s, code, "E-001") == b"the SOP"
        assert services.evidence_links(s, code, "E-001")["question_ids"] == ["MO-01-Q01"]
        assert verify_chain(s).ok


def test_a_new_inspection_is_deleted_only_while_empty(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.session() as s:
        assert recorded_work(s, code) == []
    with ws.begin() as s:
        services.sign_off(s, "Alice", code, name="Alice", meaning="Reviewed")
    with pytest.raises(InspectionLocked), ws.begin() as s:
        delete_new_inspection(s, "Alice", code)
    with ws.begin() as s:
        services.reopen_inspection(s, "Alice", code, reason="Signed too early")
    with pytest.raises(InvalidInput, match="it holds 1 sign-off"), ws.begin() as s:
        delete_new_inspection(s, "Alice", code)
    with ws.session() as s:
        assert [i.code for i in services.list_inspections(s)] == [code]
        assert verify_chain(s).ok


def test_what_holds_a_new_inspection_is_read_from_the_data(fnd_inspection) -> None:
    """Issue 9 QA: work recorded then taken back leaves events, not work; advice is truthful."""
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q01",
                                 result="conforms", notes="seen")
        services.update_inspection(s, "Alice", code, title="Renamed")
    with ws.session() as s:
        assert recorded_work(s, code) == ["1 answer", "changes to its title"]
    with pytest.raises(InvalidInput, match="it holds 1 answer and changes to its title"), \
            ws.begin() as s:
        delete_new_inspection(s, "Alice", code)
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q01",
                                 result="not_assessed", notes="")
        services.update_inspection(s, "Alice", code, title="Baseline readiness")
    with ws.session() as s:
        assert recorded_work(s, code) == []
    with ws.begin() as s:
        delete_new_inspection(s, "Alice", code)
    with ws.session() as s:
        assert services.list_inspections(s) == []
        report = verify_chain(s)
        assert report.ok, (report.problem, report.data_problems)  # its rows went with it


def test_purge_drops_only_bytes_no_evidence_uses(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    kept, undone = tmp_path / "sop.pdf", tmp_path / "wrong.pdf"
    kept.write_bytes(b"the SOP")
    undone.write_bytes(b"attached by mistake")
    target = EvidenceTarget(code, question_id="MO-01-Q01")
    with ws.begin() as s:
        attach_files(s, "Alice", target, [kept])
        (step,) = attach_files(s, "Alice", target, [undone])
        undo_attach(s, "Alice", target, step)
    with ws.begin() as s:
        purged = purge_unreferenced_blobs(s, "Alice")
    assert (purged.files, purged.size) == (1, len(b"attached by mistake"))
    assert purged.describe() == "1 unattached evidence file (19 bytes)"
    with ws.begin() as s:
        assert purge_unreferenced_blobs(s, "Alice").files == 0  # nothing left, no event
    with ws.session() as s:
        assert unreferenced_blobs(s) == {}
        assert services.evidence_bytes(s, code, "E-001") == b"the SOP"
        report = verify_chain(s)
        assert report.ok, (report.problem, report.data_problems)
