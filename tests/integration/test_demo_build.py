"""The demonstration workspace: built with the real library and services, and complete."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.demo import DemoSummary, build_demo
from qmsr_ready.core.errors import InspectionLocked
from qmsr_ready.core.models import AuditEvent, Evidence
from qmsr_ready.core.report import build_report
from qmsr_ready.core.template_content import iter_questions
from qmsr_ready.core.vocab import Classification, FindingStatus, Result

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    path = tmp_path_factory.mktemp("demo") / "demo.qmsr"
    return build_demo(path, today=TODAY)


def _by_type(summary: DemoSummary) -> dict[str, list]:
    out: dict[str, list] = {}
    for insp in summary.inspections:
        out.setdefault(insp.inspection_type, []).append(insp)
    return out


def _baseline_code(summary: DemoSummary) -> str:
    (baseline,) = _by_type(summary)["baseline_surveillance"]
    return baseline.code


def test_summary_lists_every_expected_inspection(demo: DemoSummary) -> None:
    shape = sorted((i.template_key, i.inspection_type, i.model, i.status) for i in demo.inspections)
    assert shape == [
        ("fda-qmsr", "baseline_surveillance", 2, "in_progress"),
        ("fda-qmsr", "for_cause", 1, "planned"),
        ("fda-qmsr", "non_baseline_surveillance", 1, "planned"),
        ("qsr-transition", "non_baseline_surveillance", 1, "signed_off"),
    ]
    assert demo.sites == ("SITE-001", "SITE-002")
    assert demo.path.exists()
    assert demo.evidence_files >= 2


def test_galway_site_has_the_briefed_profile(demo: DemoSummary) -> None:
    with open_workspace(demo.path, read_only=True) as ws, ws.session() as s:
        site = next(x for x in services.list_sites(s) if x.code == "SITE-001")
        assert site.name == "Northbridge Medical — Galway Road plant"
        assert site.fei_number.isdigit()
        assert len(site.fei_number) == 10
        assert (site.device_classes, site.sterile_products, site.software_in_device) == (
            ["I", "II"], True, True,
        )
        assert (site.implantable_devices, site.servicing, site.tracking_orders) == (
            False, True, False,
        )
        assert (site.pma_holder, site.mdsap) == (False, False)


def test_findings_cover_every_status_and_every_class(demo: DemoSummary) -> None:
    with open_workspace(demo.path, read_only=True) as ws, ws.session() as s:
        findings = services.get_inspection(s, _baseline_code(demo)).findings
        assert {f.status for f in findings} == {m.value for m in FindingStatus}
        assert {f.classification for f in findings} == {m.value for m in Classification}
        for f in findings:
            assert f.title
            assert f.objective_evidence
            assert f.requirement
            assert f.owner
            assert f.question_ids, f.code
        closed = [f for f in findings if f.status == FindingStatus.CLOSED]
        assert all(f.effectiveness_check and f.corrective_action for f in closed)
        assert all(f.closed_at is not None for f in closed)
        overdue = [
            f for f in findings
            if f.status != FindingStatus.CLOSED and f.due_date is not None and f.due_date < TODAY
        ]
        assert len(overdue) >= 2
        assert any(f.owner == "Zoë Łukasiewicz" for f in findings)
        assert any(f.root_cause and f.capa_reference for f in findings)


def test_every_area_of_the_model2_inspection_has_answers(demo: DemoSummary) -> None:
    code = _baseline_code(demo)
    with open_workspace(demo.path, read_only=True) as ws, ws.session() as s:
        insp = services.get_inspection(s, code)
        responses = services.list_responses(s, code)
        selected = {e.element_id for e in insp.elements if e.selected and e.applicable}
        in_scope = [r for r in iter_questions(insp.template.content) if r.element_id in selected]
        areas = {r.area_id for r in in_scope}
        answered_areas = {
            r.area_id for r in in_scope
            if r.question_id in responses
            and responses[r.question_id].result != Result.NOT_ASSESSED
        }
        assert areas == {a["id"] for a in insp.template.content["areas"]}
        assert answered_areas == areas
        answered = [q for q in in_scope if q.question_id in responses]
        assert 0.8 <= len(answered) / len(in_scope) < 1.0  # most, not all: work is under way
        results = [r.result for r in responses.values()]
        assert set(results) == {m.value for m in Result}
        assert results.count("conforms") > len(results) / 2
        sampled = [r for r in responses.values() if r.sample_size and r.records_reviewed]
        assert len(sampled) >= 20
        assert all(r.sample_size <= r.sample_population for r in sampled if r.sample_population)
        assert sum(1 for r in responses.values() if r.interviewees) >= 40
        assert "CMP-2026-0412" in responses["MA-03-Q03"].notes


def test_evidence_is_stored_and_linked(demo: DemoSummary) -> None:
    code = _baseline_code(demo)
    with open_workspace(demo.path, read_only=True) as ws, ws.session() as s:
        insp = services.get_inspection(s, code)
        names = set(s.scalars(select(Evidence.filename).where(Evidence.inspection_id == insp.id)))
        links = services.evidence_links(s, code, "E-001")
        data = services.evidence_bytes(s, code, "E-001")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert {"complaint-log-extract.csv", "label-release-LR-2291.txt"} <= names
    assert links == {"question_ids": ["MA-03-Q01"], "finding_codes": ["F-001", "F-003"]}
    assert {r["complaint_id"] for r in rows} >= {"CMP-2026-0412", "CMP-2026-0437"}
    assert any(not r["udi_di"] for r in rows)  # the gap the finding is about


def test_gap_assessment_stays_signed_off(demo: DemoSummary) -> None:
    (gap,) = [i for i in demo.inspections if i.template_key == "qsr-transition"]
    with open_workspace(demo.path) as ws:
        with ws.session() as s:
            insp = services.get_inspection(s, gap.code)
            (signoff,) = insp.signoffs
            assert signoff.meaning
            assert signoff.superseded_at is None
            assert gap.responses == sum(1 for _ in iter_questions(insp.template.content))
        with pytest.raises(InspectionLocked), ws.begin() as s:
            services.record_response(
                s, "Tester", inspection_code=gap.code, question_id="SUBA-01-Q01", result="conforms"
            )


def test_planned_inspections_carry_planner_reasons(demo: DemoSummary) -> None:
    by_type = _by_type(demo)
    (for_cause,) = by_type["for_cause"]
    (athlone,) = [i for i in by_type["non_baseline_surveillance"] if i.site_code == "SITE-002"]
    with open_workspace(demo.path, read_only=True) as ws, ws.session() as s:
        insp = services.get_inspection(s, for_cause.code)
        assert insp.planned_start is not None
        assert insp.planned_start > TODAY
        assert insp.planned_start.weekday() == 0
        assert all(e.reason for e in insp.elements)
        chosen = {e.element_id: e.reason for e in insp.elements if e.selected}
        assert "complaint trend" in chosen["MA-03"]  # planned from its stated trigger
        assert insp.trigger["signals"] == ["complaint_trend"]
        assert "adhesive" in insp.trigger["topic"]
        assert {eid[:2] for eid in chosen} >= {"MO", "DD", "PS", "CC", "MA", "OP"}
        other = services.get_inspection(s, athlone.code)
        not_applicable = {e.element_id for e in other.elements if not e.applicable}
        assert {"DD-04", "PS-07", "PS-05", "OA-03"} <= not_applicable


def test_audit_trail_is_intact_and_tells_the_story(demo: DemoSummary) -> None:
    with open_workspace(demo.path, read_only=True) as ws, ws.session() as s:
        report = verify_chain(s)
        actions = set(s.scalars(select(AuditEvent.action)))
    assert report.ok, report.problem
    assert report.event_count == demo.audit_events
    assert {
        "site.create", "inspection.create", "inspection.element", "response.record",
        "finding.raise", "finding.update", "finding.transition", "evidence.attach",
        "evidence.link", "inspection.sign_off",
    } <= actions


def test_readiness_report_builds_for_every_inspection(demo: DemoSummary) -> None:
    with open_workspace(demo.path, read_only=True) as ws, ws.session() as s:
        for insp in demo.inspections:
            report = build_report(s, insp.code, today=TODAY)
            assert report is not None


def test_same_today_gives_the_same_content(demo: DemoSummary, tmp_path: Path) -> None:
    again = build_demo(tmp_path / "again.qmsr", today=TODAY)

    def content(path: Path) -> tuple:
        with open_workspace(path, read_only=True) as ws, ws.session() as s:
            code = _baseline_code(demo)
            responses = sorted(
                (q, r.result, r.notes, r.records_reviewed, r.sample_size)
                for q, r in services.list_responses(s, code).items()
            )
            findings = [
                (f.code, f.title, f.status, f.due_date, f.objective_evidence)
                for f in services.get_inspection(s, code).findings
            ]
        return responses, findings

    assert content(again.path) == content(demo.path)
    assert [i.code for i in again.inspections] == [i.code for i in demo.inspections]


def test_responses_are_assessed_by_the_team_member_for_the_area(demo: DemoSummary) -> None:
    from sqlalchemy import select

    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.models import Inspection, Response

    with open_workspace(demo.path, read_only=True) as ws, ws.session() as s:
        rows = s.execute(
            select(Response.question_id, Response.assessed_by)
            .join(Inspection, Response.inspection_id == Inspection.id)
            .where(Inspection.code == _baseline_code(demo), Response.result != "not_assessed")
        ).all()
    by_area = {(qid[:2], who) for qid, who in rows}
    assert ("DD", "Priya Raman") in by_area
    assert ("PS", "Declan Moran") in by_area
    assert ("MO", "Siobhán Ní Bhriain") in by_area
