"""The readiness verdict counts what was seen, not only what was raised (issue 10 item 1).

Each rule is tested at and around its threshold on a report whose other rules are all clear, so
a test fails for the rule it names and no other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from exp_data import INSPECTION, build_target

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.library.loader import load_template
from qmsr_ready.core.library.planner import plan, to_element_choices
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.report.bands import Band, band_of
from qmsr_ready.core.report.build import build_report
from qmsr_ready.core.report.model import FindingRow, ReadinessReport
from qmsr_ready.core.report.verdict import VerdictLevel, readiness_verdict
from qmsr_ready.core.resources import resource_path
from qmsr_ready.core.services import create_site, record_response, start_inspection
from qmsr_ready.core.template_content import TemplateSnapshot, iter_questions

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReadinessReport:
    path = build_target(Path(tmp_path_factory.mktemp("verdict")) / "v.qmsr")
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return build_report(s, INSPECTION, today=TODAY)


@pytest.fixture
def clean(report: ReadinessReport) -> ReadinessReport:
    """The same inspection with every counted question conforming and no findings: Ready."""
    questions = tuple(
        dataclasses.replace(q, result="conforms", finding_codes=()) if q.counted else q
        for q in report.questions
    )
    overall = dataclasses.replace(report.overall, score=100.0, coverage=100.0)
    return dataclasses.replace(report, questions=questions, overall=overall, findings=(),
                               actions=())


def _answer(report: ReadinessReport, qid: str, result: str, **changes: object) -> ReadinessReport:
    questions = tuple(
        dataclasses.replace(q, result=result, **changes) if q.question_id == qid else q
        for q in report.questions
    )
    return dataclasses.replace(report, questions=questions)


def _score(report: ReadinessReport, score: float | None) -> ReadinessReport:
    return dataclasses.replace(report, overall=dataclasses.replace(report.overall, score=score))


def _finding(_report: ReadinessReport, classification: str, *, status: str = "open",
             likely_483: bool = False, code: str = "F-009") -> FindingRow:
    return FindingRow(
        code=code, title="t", classification=classification,
        classification_label=classification.title(), status=status, status_label=status,
        likely_483=likely_483, severity=3, likelihood=3, risk_score=9, owner="", due_date=None,
        overdue=False, days_overdue=0, objective_evidence="", requirement="", correction="",
        root_cause="", corrective_action="", capa_reference="", effectiveness_check="",
        question_ids=(), area_id="MO", created_at=None, updated_at=None, closed_at=None,
        revision=1,
    )


def test_clean_report_is_ready(clean: ReadinessReport) -> None:
    verdict = readiness_verdict(clean)
    assert verdict.level is VerdictLevel.READY
    assert verdict.reasons == ()


# -- conformance thresholds (70 / 85, judged on the whole percent as printed) -----------------
@pytest.mark.parametrize(
    ("score", "level", "reason"),
    [
        (100.0, VerdictLevel.READY, None),
        (85.0, VerdictLevel.READY, None),
        (84.5, VerdictLevel.READY, None),  # printed "85%": never "85% is below 85%"
        (84.49, VerdictLevel.AT_RISK, "checklist conformance 84% is below 85%"),
        (70.0, VerdictLevel.AT_RISK, "checklist conformance 70% is below 85%"),
        (69.5, VerdictLevel.AT_RISK, "checklist conformance 70% is below 85%"),
        (69.49, VerdictLevel.NOT_READY, "checklist conformance 69% is below 70%"),
        (0.0, VerdictLevel.NOT_READY, "checklist conformance 0% is below 70%"),
    ],
)
def test_conformance_thresholds(clean: ReadinessReport, score: float, level: VerdictLevel,
                                reason: str | None) -> None:
    verdict = readiness_verdict(_score(clean, score))
    assert verdict.level is level
    assert verdict.reasons == ((reason,) if reason else ())


def test_nothing_assessed_reads_not_assessed(clean: ReadinessReport) -> None:
    untouched = dataclasses.replace(
        clean, questions=tuple(dataclasses.replace(q, result="not_assessed")
                               for q in clean.questions))
    verdict = readiness_verdict(_score(untouched, None))
    assert verdict.level is VerdictLevel.NOT_ASSESSED
    assert verdict.summary == "Not assessed: no applicable question has been assessed yet"


# -- findings ---------------------------------------------------------------------------------
def test_open_critical_finding_is_not_ready(clean: ReadinessReport) -> None:
    critical = _finding(clean, "critical")
    verdict = readiness_verdict(dataclasses.replace(clean, findings=(critical,)))
    assert verdict.level is VerdictLevel.NOT_READY
    assert verdict.reasons == ("1 open critical finding (F-009)",)


def test_major_finding_is_not_ready_only_when_likely_483(clean: ReadinessReport) -> None:
    cited = _finding(clean, "major", likely_483=True)
    assert readiness_verdict(dataclasses.replace(clean, findings=(cited,))).level \
        is VerdictLevel.NOT_READY
    major = _finding(clean, "major")
    verdict = readiness_verdict(dataclasses.replace(clean, findings=(major,)))
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons == ("1 open major or likely-483 finding (F-009)",)
    minor = _finding(clean, "minor")
    assert readiness_verdict(dataclasses.replace(clean, findings=(minor,))).level \
        is VerdictLevel.READY


def test_closed_findings_do_not_count(clean: ReadinessReport) -> None:
    closed = _finding(clean, "critical", status="closed")
    assert readiness_verdict(dataclasses.replace(clean, findings=(closed,))).level \
        is VerdictLevel.READY


def test_overdue_action_puts_ready_site_at_risk(report: ReadinessReport,
                                               clean: ReadinessReport) -> None:
    overdue = report.actions[0]
    assert overdue.overdue
    verdict = readiness_verdict(dataclasses.replace(clean, actions=(overdue,)))
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons == ("1 overdue action",)


# -- major gaps seen but not raised -----------------------------------------------------------
def test_major_gap_on_model2_minimum_question_is_at_risk_without_a_finding(
        clean: ReadinessReport) -> None:
    q = next(q for q in clean.questions if q.question_id == "MO-05-Q02")
    assert not q.risk_focus  # MO-05 is a Model 2 minimum element; the question is not risk-focus
    verdict = readiness_verdict(_answer(clean, "MO-05-Q02", "major_gap"))
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons == (
        "1 major gap on risk-focus or Model 2 minimum questions: MO-05-Q02 (no finding raised)",
    )


def test_major_gap_on_risk_focus_question_is_at_risk(clean: ReadinessReport) -> None:
    q = next(q for q in clean.questions if q.question_id == "OA-01-Q01")
    assert q.risk_focus  # OA-01 is not a Model 2 minimum element
    assert readiness_verdict(_answer(clean, "OA-01-Q01", "major_gap")).level \
        is VerdictLevel.AT_RISK


def test_major_gap_elsewhere_is_named_and_minor_gaps_leave_ready(
        clean: ReadinessReport) -> None:
    plain = _answer(clean, "OA-01-Q01", "major_gap", risk_focus=False)
    verdict = readiness_verdict(plain)
    assert verdict.level is VerdictLevel.AT_RISK  # a gap the team saw is never silent
    assert verdict.reasons == ("1 major gap on other questions: OA-01-Q01 (no finding raised)",)
    minor = _answer(clean, "MO-05-Q01", "minor_gap")
    assert readiness_verdict(minor).level is VerdictLevel.READY


def test_major_gap_on_uncounted_element_is_named(clean: ReadinessReport) -> None:
    q = next(q for q in clean.questions if not q.counted)  # DD-08 is not applicable
    uncounted = _answer(clean, q.question_id, "major_gap", risk_focus=True)
    verdict = readiness_verdict(uncounted)
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons == (
        "1 major gap on risk-focus or Model 2 minimum questions: "
        f"{q.question_id} ({q.element_id} not counted in this plan; no finding raised)",
    )


# -- the plan itself ---------------------------------------------------------------------------
def _element(report: ReadinessReport, eid: str, **changes: object) -> ReadinessReport:
    planned = tuple(
        dataclasses.replace(e, **changes) if e.element_id == eid else e
        for e in report.planned_elements
    )
    return dataclasses.replace(report, planned_elements=planned)


def _model(report: ReadinessReport, model: int) -> ReadinessReport:
    return dataclasses.replace(report, inspection=dataclasses.replace(report.inspection,
                                                                      model=model))


def test_model2_minimum_element_not_selected_is_at_risk(clean: ReadinessReport) -> None:
    assert clean.inspection.model == 2
    minimum = next(e for e in clean.planned_elements if e.model2_minimum and e.counted)
    dropped = _element(clean, minimum.element_id, selected=False)
    verdict = readiness_verdict(dropped)
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons == (
        f"1 Model 2 minimum element not selected for a baseline surveillance inspection: "
        f"{minimum.element_id}; select them or record why they do not apply",
    )
    # Model 1 picks per area: an unselected minimum element is not a hole there.
    assert readiness_verdict(_model(dropped, 1)).level is VerdictLevel.READY


def test_element_not_applicable_needs_a_visible_reason(clean: ReadinessReport) -> None:
    na = next(e for e in clean.planned_elements if not e.applicable)
    assert readiness_verdict(clean).level is VerdictLevel.READY  # it has a reason
    for blank in ("", "  ", "\u200b"):
        verdict = readiness_verdict(_element(clean, na.element_id, reason=blank))
        assert verdict.level is VerdictLevel.AT_RISK
        assert verdict.reasons == (
            f"1 element marked not applicable without a reason: {na.element_id}",)


def test_plan_for_a_different_profile_is_at_risk(clean: ReadinessReport) -> None:
    na = next(e for e in clean.planned_elements if not e.applicable)
    now_applies = _element(clean, na.element_id, profile_applicable=True)
    verdict = readiness_verdict(now_applies)
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons == (
        f"the plan was made for a different site profile: {na.element_id} now applies; "
        "re-plan the elements or correct the profile",
    )
    counted = next(e for e in clean.planned_elements if e.counted)
    gone = _element(clean, counted.element_id, profile_applicable=False)
    assert readiness_verdict(gone).reasons == (
        f"the plan was made for a different site profile: {counted.element_id} no longer "
        "applies; re-plan the elements or correct the profile",
    )
    agrees = _element(clean, na.element_id, profile_applicable=False)
    assert readiness_verdict(agrees).level is VerdictLevel.READY


def test_major_gap_names_its_open_finding(clean: ReadinessReport) -> None:
    gap = _answer(clean, "MO-11-Q01", "major_gap", finding_codes=("F-001", "F-002"))
    open_one = _finding(clean, "minor", code="F-001")
    closed_one = _finding(clean, "minor", code="F-002", status="closed")
    verdict = readiness_verdict(dataclasses.replace(gap, findings=(open_one, closed_one)))
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons == (
        "1 major gap on risk-focus or Model 2 minimum questions: MO-11-Q01 (F-001)",
    )


def test_not_ready_verdict_lists_major_gaps_too(clean: ReadinessReport) -> None:
    gap = _answer(_score(clean, 50.0), "MO-11-Q01", "major_gap")
    verdict = readiness_verdict(gap)
    assert verdict.level is VerdictLevel.NOT_READY
    assert any("MO-11-Q01" in r for r in verdict.reasons)


# -- every selected element fully assessed -----------------------------------------------------
def test_ready_needs_every_selected_element_fully_assessed(clean: ReadinessReport) -> None:
    partly = _answer(clean, "MO-05-Q02", "not_assessed")
    verdict = readiness_verdict(dataclasses.replace(
        partly, overall=dataclasses.replace(partly.overall, coverage=80.0)))
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons == (
        "1 selected element not fully assessed: MO-05 (1 of 2); 80% of applicable questions "
        "assessed",
    )


def test_not_applicable_answers_do_not_make_an_element_incomplete(
        clean: ReadinessReport) -> None:
    partly = _answer(clean, "MO-05-Q02", "not_applicable")
    assert readiness_verdict(partly).level is VerdictLevel.READY
    all_na = _answer(partly, "MO-05-Q01", "not_applicable")
    assert readiness_verdict(all_na).level is VerdictLevel.READY


def test_incomplete_elements_are_listed_five_then_counted(clean: ReadinessReport) -> None:
    template = next(q for q in clean.questions if q.counted)
    extra = tuple(
        dataclasses.replace(template, question_id=f"XX-{i:02d}-Q01", element_id=f"XX-{i:02d}",
                            result="not_assessed", risk_focus=False)
        for i in range(7)
    )
    verdict = readiness_verdict(dataclasses.replace(clean, questions=clean.questions + extra))
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons[0].startswith(
        "7 selected elements not fully assessed: XX-00 (0 of 1), XX-01 (0 of 1), XX-02 (0 of 1), "
        "XX-03 (0 of 1), XX-04 (0 of 1) and 2 more;")


# -- the review's case on the shipped template ---------------------------------------------
def _site_with_major_gaps(path: Path, inspection_type: str, gaps: int) -> ReadinessReport:
    """A class II sterile site on the shipped template, all conforming but ``gaps`` weight-3
    questions answered "major gap", and no finding raised."""
    content = load_template(resource_path("checklists", "fda-qmsr.yaml"))
    profile = SiteProfile(device_classes=("II",), sterile_products=True)
    proposals = plan(content, profile, inspection_type)
    selected = {p.element_id for p in proposals if p.selected and p.applicable}
    with open_workspace(path, create=True) as ws:
        with ws.begin() as s:
            create_site(s, "QA", name="Sterile Devices Ltd", code="SITE-S", profile=profile)
            start_inspection(s, "QA", site_code="SITE-S",
                             template=TemplateSnapshot.from_content(content),
                             inspection_type=inspection_type, code="MI-S",
                             elements=to_element_choices(proposals))
            heavy = 0
            for ref in iter_questions(content):
                if ref.element_id not in selected:
                    continue
                major = ref.weight == 3 and heavy < gaps
                heavy += major
                record_response(s, "QA", inspection_code="MI-S", question_id=ref.question_id,
                                result="major_gap" if major else "conforms")
            assert heavy == gaps, f"the plan has only {heavy} weight-3 questions"
        with ws.session() as s:
            return build_report(s, "MI-S", today=TODAY)


@pytest.mark.parametrize(("inspection_type", "gaps"),
                         [("baseline_surveillance", 13), ("for_cause", 5)])
def test_major_gaps_without_findings_no_longer_read_ready(
        tmp_path: Path, inspection_type: str, gaps: int) -> None:
    report = _site_with_major_gaps(tmp_path / "s.qmsr", inspection_type, gaps)
    # The percentage alone is on target: by the old rules this site read "Ready".
    assert band_of(report.overall.score) is Band.ON_TARGET, report.overall.score
    assert report.findings == ()
    verdict = readiness_verdict(report)
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons[0].startswith(
        f"{gaps} major gaps on risk-focus or Model 2 minimum questions: ")
    assert verdict.reasons[0].endswith(" more") or gaps <= 5


def test_major_gap_with_only_a_closed_finding_asks_for_reassessment(
        clean: ReadinessReport) -> None:
    gap = _answer(clean, "MO-11-Q01", "major_gap", finding_codes=("F-002",))
    closed = _finding(clean, "major", code="F-002", status="closed")
    verdict = readiness_verdict(dataclasses.replace(gap, findings=(closed,)))
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons[0].endswith("MO-11-Q01 (F-002 closed; reassess)")
