"""Two people saving at once on a server: one gets RevisionConflict, nothing is lost, and the
audit trail stays one valid chain."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.errors import RevisionConflict
from qmsr_ready.core.models import Finding, Inspection, Response


@pytest.fixture
def started(server_ws, fnd_template):
    with server_ws.begin() as s:
        services.create_site(s, "Alice", name="Acme Devices", fei_number="3001234567")
        insp = services.start_inspection(
            s, "Alice", site_code="SITE-001", template=fnd_template,
            inspection_type="baseline_surveillance", title="Baseline readiness",
        )
        code = insp.code
    return server_ws, code


def _race(*jobs: Callable[[], Any]) -> list[Any]:
    """Run ``jobs`` in threads released together; each result or the exception it raised."""
    gate = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int, job: Callable[[], Any]) -> None:
        gate.wait()
        try:
            results[i] = job()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _chain_ok(ws) -> int:
    with ws.session() as s:
        report = verify_chain(s)
    assert report.ok, report.problem
    return report.event_count


def test_same_response_one_conflict_nothing_lost(started) -> None:
    ws, code = started
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q01",
                                 notes="first")

    def save(actor: str, notes: str) -> Callable[[], int]:
        def job() -> int:
            with ws.begin() as s:
                r = services.record_response(s, actor, inspection_code=code,
                                             question_id="MO-01-Q01", notes=notes,
                                             expected_revision=1)
                return r.revision
        return job

    results = _race(save("Bob", "bob's"), save("Carol", "carol's"))
    conflicts = [r for r in results if isinstance(r, RevisionConflict)]
    saved = [r for r in results if r == 2]
    assert len(conflicts) == 1, results
    assert len(saved) == 1, results
    winner = "Bob" if results[0] == 2 else "Carol"
    assert conflicts[0].who == winner
    assert conflicts[0].when is not None
    assert winner in conflicts[0].message
    with ws.session() as s:
        stored = s.scalars(select(Response).join(Inspection).where(
            Inspection.code == code, Response.question_id == "MO-01-Q01")).one()
        assert stored.revision == 2
        assert stored.notes == f"{winner.lower()}'s"
    _chain_ok(ws)


def test_same_finding_one_conflict_nothing_lost(started) -> None:
    ws, code = started
    with ws.begin() as s:
        f = services.raise_finding(s, "Alice", inspection_code=code,
                                   title="Complaint trending missing", classification="major",
                                   question_ids=["MO-01-Q01"])
        fcode, revision = f.code, f.revision

    def edit(actor: str, title: str) -> Callable[[], str]:
        def job() -> str:
            with ws.begin() as s:
                services.update_finding(s, actor, code, fcode, title=title,
                                        expected_revision=revision)
            return title
        return job

    results = _race(edit("Bob", "Bob's title"), edit("Carol", "Carol's title"))
    conflicts = [r for r in results if isinstance(r, RevisionConflict)]
    titles = [r for r in results if isinstance(r, str)]
    assert len(conflicts) == 1, results
    assert len(titles) == 1, results
    with ws.session() as s:
        finding = s.scalars(select(Finding).where(Finding.code == fcode)).one()
        assert finding.title == titles[0]
        assert finding.revision == revision + 1
    _chain_ok(ws)


def test_audit_chain_under_concurrent_appends(started) -> None:
    ws, code = started
    before = _chain_ok(ws)
    questions = ["MO-01-Q01", "MO-01-Q02", "MA-03-Q01", "MA-03-Q02"]

    def writer(qid: str) -> Callable[[], int]:
        def job() -> int:
            for n in range(5):
                with ws.begin() as s:
                    services.record_response(s, qid, inspection_code=code, question_id=qid,
                                             notes=f"note {n}")
            return 5
        return job

    results = _race(*(writer(q) for q in questions))
    assert results == [5] * len(questions)
    after = _chain_ok(ws)
    # 20 saves; the first save also moved the inspection to in progress (one more event)
    assert after - before == len(questions) * 5 + 1
