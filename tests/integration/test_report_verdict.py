"""The readiness verdict gates the percentage on what would most likely be cited."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from exp_data import INSPECTION, build_workspace

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.report.build import build_report
from qmsr_ready.core.report.model import ReadinessReport
from qmsr_ready.core.report.verdict import VerdictLevel, readiness_verdict


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReadinessReport:
    path = build_workspace(Path(tmp_path_factory.mktemp("verdict")) / "v.qmsr")
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return build_report(s, INSPECTION, today=dt.date(2026, 11, 25))


def _with(report: ReadinessReport, *, score: float | None = 95.0, coverage: float = 100.0,
          findings: tuple = (), actions: tuple = ()) -> ReadinessReport:
    overall = dataclasses.replace(report.overall, score=score, coverage=coverage)
    return dataclasses.replace(report, overall=overall, findings=findings, actions=actions)


def test_open_major_likely_483_overdue_finding_is_not_ready(report: ReadinessReport) -> None:
    verdict = readiness_verdict(report)
    assert verdict.level is VerdictLevel.NOT_READY
    assert any("F-001" in reason for reason in verdict.reasons)


def test_high_score_with_open_critical_finding_is_not_ready(report: ReadinessReport) -> None:
    critical = dataclasses.replace(report.findings[1], classification="critical", status="open")
    verdict = readiness_verdict(_with(report, findings=(critical,)))
    assert verdict.level is VerdictLevel.NOT_READY
    assert "1 open critical finding (F-002)" in verdict.summary


def test_closed_findings_do_not_count(report: ReadinessReport) -> None:
    closed = dataclasses.replace(report.findings[0], classification="critical", status="closed")
    assert readiness_verdict(_with(report, findings=(closed,))).level is VerdictLevel.READY


def test_thresholds_and_coverage(report: ReadinessReport) -> None:
    assert readiness_verdict(_with(report, score=60.0)).level is VerdictLevel.NOT_READY
    at_risk = readiness_verdict(_with(report, score=80.0))
    assert at_risk.level is VerdictLevel.AT_RISK
    assert "below 85%" in at_risk.summary
    thin = readiness_verdict(_with(report, coverage=50.0))
    assert thin.level is VerdictLevel.AT_RISK
    assert "50% of applicable questions" in thin.summary
    untouched = readiness_verdict(_with(report, score=None, coverage=0.0))
    assert untouched.level is VerdictLevel.NOT_ASSESSED
    assert untouched.summary == "Not assessed: no applicable question has been assessed yet"


def test_overdue_action_puts_ready_site_at_risk(report: ReadinessReport) -> None:
    overdue = report.actions[0]
    assert overdue.overdue
    verdict = readiness_verdict(_with(report, actions=(overdue,)))
    assert verdict.level is VerdictLevel.AT_RISK
    assert "1 overdue action" in verdict.reasons
