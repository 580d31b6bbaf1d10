"""build_report: numbers from the documented formula, plan, findings, audit, query count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import exp_data
import pytest
from sqlalchemy import event

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import NotFound
from qmsr_ready.core.report import ReadinessReport, build_report
from qmsr_ready.core.services import raise_finding, reopen_inspection


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return exp_data.build_target(tmp_path_factory.mktemp("rep") / "w.qmsr")


@pytest.fixture(scope="module")
def report(workspace: Path) -> ReadinessReport:
    with open_workspace(workspace, read_only=True) as ws, ws.session() as s:
        return build_report(s, exp_data.INSPECTION, today=exp_data.TODAY)


def test_area_and_overall_scores_follow_the_formula(report: ReadinessReport) -> None:
    mo = report.area("MO")
    # MO-05-Q01 w3 conforms, MO-05-Q02 w1 minor (0.5), MO-11-Q01 w2 major (0).
    assert mo.score == pytest.approx(100 * 3.5 / 6)
    assert (mo.applicable, mo.assessed, mo.coverage) == (3, 3, 100.0)
    dd = report.area("DD")  # DD-04 answered not applicable; DD-08 element not applicable
    assert dd.score is None
    assert dd.applicable == 0
    assert dd.not_applicable == 1
    oa = report.area("OA")  # OA-01 not assessed; OA-03 not selected
    assert (oa.score, oa.coverage, oa.applicable) == (None, 0.0, 1)
    assert report.overall.score == pytest.approx(100 * 3.5 / 6)
    assert report.overall.coverage == pytest.approx(75.0)


def test_plan_lists_every_element_with_why(report: ReadinessReport) -> None:
    plan = {e.element_id: e for e in report.planned_elements}
    assert plan["DD-08"].selected
    assert not plan["DD-08"].applicable
    assert plan["DD-08"].reason == "No software in device"
    assert not plan["OA-03"].selected
    assert plan["MO-05"].counted
    assert plan["MO-05"].question_count == 2
    # Questions of unselected elements are left out of the checklist.
    assert "OA-03-Q01" not in {q.question_id for q in report.questions}


def test_findings_actions_and_risks(report: ReadinessReport) -> None:
    f1 = report.findings[0]
    assert f1.objective_evidence == exp_data.FINDING_TEXT
    assert f1.area_id == "MO"
    assert f1.overdue
    assert f1.days_overdue == 24
    assert [a.finding_code for a in report.actions] == ["F-001", "F-002"]  # F-003 closed
    assert report.top_risks[0].code == "F-001"
    m = report.findings_by_class_area
    assert m.count("major", "MO") == 1
    assert m.count("observation", "") == 1  # unlinked finding
    assert m.column_total("MO") == 2


def test_audit_signoff_and_provenance(report: ReadinessReport) -> None:
    assert report.audit.chain_verified
    assert report.audit.event_count >= report.audit.inspection_event_count > 5
    assert len(report.audit.head_hash) == 64
    assert report.signoffs[0].name == exp_data.UNICODE_NAME
    assert report.template.key == "exp-test"
    assert len(report.template.sha256) == 64
    assert report.workspace_id
    assert report.inspection.lead == exp_data.UNICODE_NAME


def test_unknown_inspection_is_not_found(workspace: Path) -> None:
    with open_workspace(workspace, read_only=True) as ws, ws.session() as s, \
            pytest.raises(NotFound):
        build_report(s, "MI-1999-000")


def test_query_count_does_not_grow_with_findings(tmp_path: Path) -> None:
    """No N+1: ten times more findings, the same number of SELECTs."""
    path = exp_data.build_target(tmp_path / "q.qmsr")

    def count_queries() -> int:
        with open_workspace(path, read_only=True) as ws, ws.session() as s:
            seen: list[str] = []
            event.listen(ws.engine, "before_cursor_execute",
                         lambda *a: seen.append(a[2]))
            build_report(s, exp_data.INSPECTION)
            return sum(1 for q in seen if q.lstrip().upper().startswith("SELECT"))

    before = count_queries()
    with open_workspace(path) as ws, ws.begin() as s:
        reopen_inspection(s, "t", exp_data.INSPECTION, reason="add findings")
        for i in range(30):
            raise_finding(s, "t", inspection_code=exp_data.INSPECTION, title=f"Extra {i}",
                          classification="minor", question_ids=["MO-05-Q01"],
                          due_date=dt.date(2026, 12, 1))
    assert count_queries() == before
