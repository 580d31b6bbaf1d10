"""Merging two copies of the demo workspace edited differently: three-way, evidence, refusals."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from server import pg_backend
from sqlalchemy import func, select

from qmsr_ready.core import services
from qmsr_ready.core.audit import events_for, verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.demo import build_demo
from qmsr_ready.core.errors import InspectionLocked
from qmsr_ready.core.exchange.apply import UnresolvedConflicts
from qmsr_ready.core.exchange.errors import ImportRefused
from qmsr_ready.core.exchange.merge import plan_workspace_merge
from qmsr_ready.core.exchange.plan import ConflictPolicy, Outcome, RowStatus
from qmsr_ready.core.exchange.runner import run_merge
from qmsr_ready.core.exchange.snapshot import read_mine
from qmsr_ready.core.models import Evidence, EvidenceBlob

CODE = "MI-2026-002"
SHARED_BYTES = b"calibration certificate, shared by two inspections\n"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.qmsr"
    build_demo(path, today=dt.date(2026, 11, 25))
    return path


def _questions(path: Path) -> list[str]:
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return sorted(read_mine(s, CODE).of("response"))


@pytest.fixture
def pair(demo_file: Path, tmp_path: Path, place_workspace):
    """Two copies: mine.qmsr (a server database in the PostgreSQL pass: a laptop file merges
    into it) and theirs.qmsr, each edited by its own auditor."""
    mine, theirs = place_workspace(demo_file, "mine.qmsr"), tmp_path / "theirs.qmsr"
    shutil.copy(demo_file, theirs)
    q = _questions(mine)
    with open_workspace(mine) as ws, ws.begin() as s:
        services.record_response(s, "Ann", inspection_code=CODE, question_id=q[0],
                                 notes="Ann looked again")
        services.update_finding(s, "Ann", CODE, "F-001", owner="Ann Owner")
        services.raise_finding(s, "Ann", inspection_code=CODE, title="Ann's new finding",
                               classification="minor")
        services.attach_evidence(s, "Ann", inspection_code="MI-2026-003", filename="cert.txt",
                                 data=SHARED_BYTES)
        services.delete_finding(s, "Ann", CODE, "F-009")  # no evidence: can be deleted
    with open_workspace(theirs) as ws, ws.begin() as s:
        services.record_response(s, "Bo", inspection_code=CODE, question_id=q[1],
                                 result="major_gap", notes="Bo found a gap")
        services.update_finding(s, "Bo", CODE, "F-001", owner="Bo Owner")
        services.update_finding(s, "Bo", CODE, "F-002", title="Retitled by Bo")
        services.delete_finding(s, "Bo", CODE, "F-007")
        new = services.raise_finding(s, "Bo", inspection_code=CODE, title="Bo's new finding",
                                     classification="major", question_ids=[q[1]])
        services.attach_evidence(s, "Bo", inspection_code=CODE, filename="bo.txt",
                                 data=b"Bo's interview notes\n", question_id=q[1])
        ev = services.attach_evidence(s, "Bo", inspection_code=CODE, filename="cert.txt",
                                      data=SHARED_BYTES, finding_code=new.code)
        services.link_evidence(s, "Bo", CODE, ev.code, question_id=q[1])
    return mine, theirs, q


def _plan(mine: Path, theirs: Path, code: str = CODE):
    with open_workspace(mine, read_only=True) as ws, ws.session() as s:
        return plan_workspace_merge(s, theirs, code)


def test_plan_compares_three_ways_from_the_shared_history(pair) -> None:
    mine, theirs, q = pair
    plan = _plan(mine, theirs)
    outcome = {(r.entity, r.key, f.name): f.outcome for r in plan.rows for f in r.fields
               if r.status is RowStatus.MATCHED}
    assert outcome[("response", q[0], "notes")] is Outcome.WORKSPACE_ONLY
    assert outcome[("response", q[1], "result")] is Outcome.CLEAN_UPDATE
    assert outcome[("finding", "F-001", "owner")] is Outcome.CONFLICT
    assert outcome[("finding", "F-002", "title")] is Outcome.CLEAN_UPDATE
    status = {(r.entity, r.key): (r.status, r.note) for r in plan.rows}
    assert status[("finding", "F-011")] == (RowStatus.NEW, "renumbered from F-010")
    assert status[("finding", "F-009")][0] is RowStatus.REMOVED_HERE
    assert status[("finding", "F-007")][0] is RowStatus.MISSING
    evidence = [r for r in plan.rows if r.entity == "evidence"]
    assert {r.title for r in evidence} == {"bo.txt", "cert.txt"}
    assert all(r.status is RowStatus.NEW for r in evidence)
    cert = next(r for r in evidence if r.title == "cert.txt")
    assert "already stored here, not duplicated" in cert.note
    assert "F-011" in cert.note
    assert plan.source.kind == "workspace"
    assert plan.source.base.startswith("audit history")
    assert plan.counts()["conflicts"] == 1


def test_merge_applies_once_with_evidence_and_a_valid_chain(pair) -> None:
    mine, theirs, q = pair
    with open_workspace(theirs, read_only=True) as ws, ws.session() as s:
        their_head = events_for(s)[-1].hash
    with open_workspace(mine) as ws:
        with ws.session() as s:
            blobs = s.execute(select(func.count()).select_from(EvidenceBlob)).scalar_one()
        outcome = run_merge(ws, "Ann", theirs, CODE, dry_run=False,
                            policy=ConflictPolicy.TAKE_THEIRS)
        if pg_backend.on_postgresql():
            assert outcome.backup is None  # a server keeps no file backup: one transaction
        else:
            assert outcome.backup is not None
            assert outcome.backup.exists()
        with ws.session() as s:
            side = read_mine(s, CODE)
            assert side.of("response")[q[0]]["notes"] == "Ann looked again"
            assert side.of("response")[q[1]]["result"] == "major_gap"
            assert side.of("finding")["F-001"]["owner"] == "Bo Owner"
            assert side.of("finding")["F-002"]["title"] == "Retitled by Bo"
            assert side.of("finding")["F-010"]["title"] == "Ann's new finding"
            assert side.of("finding")["F-011"]["title"] == "Bo's new finding"
            # one new blob (bo.txt); cert.txt reuses the one another inspection already stored
            assert s.execute(select(func.count()).select_from(EvidenceBlob)).scalar_one() == \
                blobs + 1
            assert "F-009" not in side.of("finding")  # deleted here: not restored
            assert "F-007" in side.of("finding")  # deleted there: kept here
            event = events_for(s, inspection_code=CODE)[-1]
            assert event.action == "exchange.merge"
            assert event.changes["source_audit_head"] == [None, their_head]
            assert event.changes["source"] == [None, "theirs.qmsr"]
            assert verify_chain(s).ok


def test_copied_evidence_keeps_its_links(pair) -> None:
    mine, theirs, q = pair
    with open_workspace(mine) as ws:
        applied = run_merge(ws, "Ann", theirs, CODE, dry_run=False,
                            policy=ConflictPolicy.KEEP_MINE).applied
        assert applied is not None
        created = [k for e, k in applied.created if e == "evidence"]
        with ws.session() as s:
            by_name = {_filename(s, c): services.evidence_links(s, CODE, c) for c in created}
    assert by_name["bo.txt"] == {"question_ids": [q[1]], "finding_codes": []}
    assert by_name["cert.txt"] == {"question_ids": [q[1]], "finding_codes": ["F-011"]}


def _filename(s, code: str) -> str:
    insp_id = services.get_inspection(s, CODE).id
    return s.execute(select(Evidence.filename).where(
        Evidence.code == code, Evidence.inspection_id == insp_id)).scalar_one()


def test_merge_refuses_a_missing_inspection(pair, tmp_path: Path) -> None:
    mine, _, _ = pair
    empty = tmp_path / "empty.qmsr"
    open_workspace(empty, create=True).close()
    with pytest.raises(ImportRefused, match=r"empty\.qmsr has no inspection MI-2026-002"):
        _plan(mine, empty)


def test_merge_refuses_another_template_version(pair) -> None:
    mine, theirs, _ = pair
    con = sqlite3.connect(theirs)
    con.execute("UPDATE checklist_templates SET sha256 = 'f' || substr(sha256, 2)")
    con.commit()
    con.close()
    with pytest.raises(ImportRefused, match=r"SHA-256 .* in theirs.qmsr; a merge needs the same"):
        _plan(mine, theirs)


def test_merge_refuses_the_same_file_and_a_signed_off_inspection(pair) -> None:
    mine, theirs, _ = pair
    with pytest.raises(ImportRefused, match="is this workspace itself"):
        _plan(mine, mine)
    with pytest.raises(InspectionLocked, match="MI-2026-001 is signed off"):
        _plan(mine, theirs, "MI-2026-001")


def test_dry_run_and_refusals_leave_the_file_byte_identical(pair) -> None:
    mine, theirs, _ = pair
    before = mine.read_bytes()
    with open_workspace(mine) as ws:
        outcome = run_merge(ws, "Ann", theirs, CODE, dry_run=True)
        assert outcome.applied is None
        assert outcome.plan.has_conflicts
        with pytest.raises(UnresolvedConflicts, match="1 conflict"):
            run_merge(ws, "Ann", theirs, CODE, dry_run=False)
    assert mine.read_bytes() == before
    assert not list(mine.parent.glob("mine.qmsr.bak-*"))


def test_undo_of_a_merge_removes_copied_evidence_and_restores_fields(pair) -> None:
    from qmsr_ready.core.exchange.apply import revert_exchange

    mine, theirs, _ = pair
    with open_workspace(mine) as ws:
        with ws.session() as s:
            before = read_mine(s, CODE).rows
            evidence = services.get_inspection(s, CODE).id
            count = _evidence_count(s, evidence)
        applied = run_merge(ws, "Ann", theirs, CODE, dry_run=False,
                            policy=ConflictPolicy.TAKE_THEIRS).applied
        with ws.begin() as s:
            revert_exchange(s, "Ann", applied)
        with ws.session() as s:
            assert read_mine(s, CODE).rows == before
            assert _evidence_count(s, evidence) == count
            assert verify_chain(s).ok


def _evidence_count(s, inspection_id: int) -> int:
    return s.execute(select(func.count()).select_from(Evidence)
                     .where(Evidence.inspection_id == inspection_id)).scalar_one()
