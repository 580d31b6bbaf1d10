"""Merges that must not lose or repeat anything: links to evidence both sides hold, and the
same colleague's copy merged twice."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from qmsr_ready.core import services
from qmsr_ready.core.audit import events_for, verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.demo import build_demo
from qmsr_ready.core.exchange.apply import revert_exchange
from qmsr_ready.core.exchange.merge import plan_workspace_merge
from qmsr_ready.core.exchange.plan import ConflictPolicy, Outcome, RowStatus
from qmsr_ready.core.exchange.runner import run_merge
from qmsr_ready.core.exchange.snapshot import read_mine
from qmsr_ready.core.models import Evidence, EvidenceBlob, Finding

CODE = "MI-2026-002"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.qmsr"
    build_demo(path, today=dt.date(2026, 11, 25))
    return path


@pytest.fixture
def pair(demo_file: Path, tmp_path: Path, place_workspace) -> tuple[Path | str, Path]:
    """mine (a server database in the PostgreSQL pass) and theirs, a file."""
    mine, theirs = place_workspace(demo_file, "mine.qmsr"), tmp_path / "theirs.qmsr"
    shutil.copy(demo_file, theirs)
    return mine, theirs


def _plan(mine: Path, theirs: Path):
    with open_workspace(mine, read_only=True) as ws, ws.session() as s:
        return plan_workspace_merge(s, theirs, CODE)


def _links(path: Path, ev_code: str) -> set[str]:
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        insp = services.get_inspection(s, CODE)
        codes = dict(s.execute(select(Finding.id, Finding.code)
                               .where(Finding.inspection_id == insp.id)).all())
        ev = s.scalars(select(Evidence).where(Evidence.inspection_id == insp.id,
                                              Evidence.code == ev_code)).one()
        return ({f"question {ln.question_id}" for ln in ev.links if ln.question_id}
                | {f"finding {codes[ln.finding_id]}" for ln in ev.links if ln.finding_id})


def _attach_again(path: Path, ev_code: str, **target: str) -> None:
    """Attach the exact bytes of evidence ``ev_code`` again, linked to ``target``."""
    with open_workspace(path) as ws, ws.begin() as s:
        insp = services.get_inspection(s, CODE)
        ev = s.scalars(select(Evidence).where(Evidence.inspection_id == insp.id,
                                              Evidence.code == ev_code)).one()
        data = bytes(s.get(EvidenceBlob, ev.sha256).data)
        services.attach_evidence(s, "Bo", inspection_code=CODE, filename="again.pdf",
                                 data=data, **target)


def test_their_new_links_to_evidence_held_here_are_planned_applied_and_undone(pair) -> None:
    mine, theirs = pair
    before = _links(mine, "E-002")
    assert "question MO-05-Q01" not in before
    assert "finding F-003" not in before
    _attach_again(theirs, "E-002", question_id="MO-05-Q01")
    _attach_again(theirs, "E-002", finding_code="F-003")
    plan = _plan(mine, theirs)
    [row] = [r for r in plan.rows if r.entity == "evidence"]
    assert (row.key, row.status) == ("E-002", RowStatus.NEW)
    assert "MO-05-Q01" in row.note
    assert "F-003" in row.note
    with open_workspace(mine) as ws:
        applied = run_merge(ws, "Ann", theirs, CODE, dry_run=False,
                            policy=ConflictPolicy.FAIL).applied
        assert applied is not None
        assert _links(mine, "E-002") == before | {"question MO-05-Q01", "finding F-003"}
        assert not [r for r in _plan(mine, theirs).rows if r.entity == "evidence"]
        with ws.session() as s:
            assert events_for(s, inspection_code=CODE)[-1].changes["linked"][1] == [
                "E-002 question MO-05-Q01", "E-002 finding F-003"]
        with ws.begin() as s:
            revert_exchange(s, "Ann", applied)
        assert _links(mine, "E-002") == before
        with ws.session() as s:
            assert verify_chain(s).ok


def test_links_removed_here_since_the_shared_history_are_reported_not_restored(pair) -> None:
    mine, theirs = pair
    linked = sorted(_links(mine, "E-002"))
    _kind, target = next(label.split(" ", 1) for label in linked if label.startswith("question"))
    with open_workspace(mine) as ws, ws.begin() as s:
        services.detach_evidence(s, "Ann", CODE, "E-002", question_id=target)
    plan = _plan(mine, theirs)
    [row] = [r for r in plan.rows if r.entity == "evidence"]
    assert row.status is RowStatus.REMOVED_HERE
    assert f"question {target}" in row.note
    assert not plan.extras["evidence_links"]


def _raise(path: Path, actor: str, title: str) -> None:
    with open_workspace(path) as ws, ws.begin() as s:
        services.raise_finding(s, actor, inspection_code=CODE, title=title,
                               classification="minor", code="F-010")


def test_merging_the_same_copy_twice_matches_what_the_first_merge_created(pair) -> None:
    mine, theirs = pair
    _raise(mine, "Ann", "Ann's finding")
    _raise(theirs, "Bo", "Bo's finding")
    with open_workspace(theirs) as ws, ws.begin() as s:
        services.attach_evidence(s, "Bo", inspection_code=CODE, filename="bo.txt",
                                 data=b"Bo's notes\n", finding_code="F-010")
    with open_workspace(mine) as ws:
        run_merge(ws, "Ann", theirs, CODE, dry_run=False, policy=ConflictPolicy.FAIL)
        with ws.session() as s:
            assert read_mine(s, CODE).of("finding")["F-011"]["title"] == "Bo's finding"
            event = events_for(s, inspection_code=CODE)[-1]
            assert event.changes["source_codes"][1] == {"finding": {"F-010": "F-011"}}
    again = _plan(mine, theirs)
    assert again.counts()["new_rows"] == 0, [(r.key, r.note) for r in again.rows
                                             if r.status is RowStatus.NEW]
    # both sides edit the merged finding afterwards: three-way from the first merge
    with open_workspace(theirs) as ws, ws.begin() as s:
        services.update_finding(s, "Bo", CODE, "F-010", owner="Bo later")
    with open_workspace(mine) as ws, ws.begin() as s:
        services.update_finding(s, "Ann", CODE, "F-011", title="Retitled by Ann")
    plan = _plan(mine, theirs)
    [row] = [r for r in plan.rows if r.entity == "finding" and r.key == "F-011"]
    assert row.status is RowStatus.MATCHED
    assert row.field("owner").outcome is Outcome.CLEAN_UPDATE
    assert row.field("title").outcome is Outcome.WORKSPACE_ONLY
    assert plan.counts()["new_rows"] == 0
    assert plan.counts()["conflicts"] == 0
    with open_workspace(mine) as ws:
        run_merge(ws, "Ann", theirs, CODE, dry_run=False, policy=ConflictPolicy.FAIL)
        with ws.session() as s:
            merged = read_mine(s, CODE).of("finding")["F-011"]
            assert (merged["title"], merged["owner"]) == ("Retitled by Ann", "Bo later")
            assert "F-012" not in read_mine(s, CODE).of("finding")
            assert verify_chain(s).ok


def test_an_undone_merge_does_not_count_as_merged_before(pair) -> None:
    mine, theirs = pair
    _raise(mine, "Ann", "Ann's finding")
    _raise(theirs, "Bo", "Bo's finding")
    with open_workspace(mine) as ws:
        applied = run_merge(ws, "Ann", theirs, CODE, dry_run=False,
                            policy=ConflictPolicy.FAIL).applied
        with ws.begin() as s:
            revert_exchange(s, "Ann", applied)
    plan = _plan(mine, theirs)
    [row] = [r for r in plan.rows if r.entity == "finding" and r.status is RowStatus.NEW]
    assert row.note == "renumbered from F-010"
