"""Services on a temporary workspace: validation, codes, audit, sign-off lock, finding rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from qmsr_ready.core import services
from qmsr_ready.core.audit import events_for, field_changes, verify_chain
from qmsr_ready.core.errors import (
    InspectionLocked,
    InvalidInput,
    InvalidTransition,
    NotFound,
    RevisionConflict,
    TemplateInvalid,
)
from qmsr_ready.core.models import ChecklistTemplate, EvidenceBlob
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.services import ElementChoice
from qmsr_ready.core.template_content import TemplateSnapshot


def test_sites_get_sequential_codes_and_profile(fnd_workspace) -> None:
    with fnd_workspace.begin() as s:
        a = services.create_site(
            s,
            "Alice",
            name="Plant A",
            profile=SiteProfile(device_classes=("III", "II"), sterile_products=True),
        )
        b = services.create_site(s, "Alice", name="Plant B")
        assert (a.code, b.code) == ("SITE-001", "SITE-002")
        assert SiteProfile.of(a).device_classes == ("II", "III")
        services.update_site(s, "Bob", "SITE-002", profile=SiteProfile(mdsap=True))
    with fnd_workspace.session() as s:
        event = events_for(s, entity_id="SITE-002")[-1]
        assert event.action == "site.update"
        assert field_changes(event.changes) == {"mdsap": [False, True]}
        assert event.actor == "Bob"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  "}, "Site name must not be empty"),
        ({"name": "X", "fei_number": "12ab"}, "FEI number must contain digits"),
    ],
)
def test_create_site_validates(fnd_workspace, kwargs, message) -> None:
    with pytest.raises(InvalidInput, match=message), fnd_workspace.begin() as s:
        services.create_site(s, "Alice", **kwargs)


def test_start_inspection_codes_snapshot_once_and_elements(
    fixed_now: dt.datetime, fnd_inspection, fnd_template
) -> None:
    ws, code = fnd_inspection
    assert code == f"MI-{fixed_now.year}-001"
    with ws.begin() as s:
        second = services.start_inspection(
            s,
            "Alice",
            site_code="SITE-001",
            template=fnd_template,
            inspection_type="for_cause",
            elements=[ElementChoice("MO-01"), ElementChoice("MA-03", False, False, "No devices")],
        )
        assert second.code == f"MI-{fixed_now.year}-002"
        assert second.model == 1
        chosen = {e.element_id: (e.selected, e.applicable) for e in second.elements}
        assert chosen == {"MO-01": (True, True), "MO-02": (False, True), "MA-03": (False, False)}
        assert s.execute(select(func.count()).select_from(ChecklistTemplate)).scalar_one() == 1
    with ws.session() as s:
        first = services.get_inspection(s, code)
        assert (first.model, first.status) == (2, "planned")
        summary = services.inspection_summary(s, second.code)
        assert summary.questions_in_scope == 2


def test_start_inspection_rejects_bad_input(fnd_inspection, fnd_template) -> None:
    ws, _ = fnd_inspection
    base = {"site_code": "SITE-001", "template": fnd_template, "inspection_type": "for_cause"}
    cases = [
        ({**base, "inspection_type": "audit"}, InvalidInput, "not a valid inspection type"),
        ({**base, "site_code": "SITE-404"}, NotFound, "SITE-404"),
        ({**base, "elements": [ElementChoice("ZZ-01")]}, InvalidInput, "Unknown element ID"),
        (
            {**base, "planned_start": dt.date(2026, 5, 2), "planned_end": dt.date(2026, 5, 1)},
            InvalidInput,
            "before the planned start",
        ),
    ]
    for kwargs, exc, message in cases:
        with pytest.raises(exc, match=message), ws.begin() as s:
            services.start_inspection(s, "Alice", **kwargs)
    tampered = TemplateSnapshot("tiny-test", "1.0", "t", {"key": "tiny-test"}, "0" * 64)
    with pytest.raises(TemplateInvalid), ws.begin() as s:
        services.start_inspection(s, "Alice", **{**base, "template": tampered})


def test_record_response_changes_only_given_fields(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        r = services.record_response(
            s,
            "Alice",
            inspection_code=code,
            question_id="MO-01-Q01",
            result="minor_gap",
            notes="Index incomplete",
            sample_population=40,
            sample_size=5,
            records_reviewed=["DHR-1", "DHR-2"],
        )
        assert (r.revision, r.records_reviewed, r.assessed_by) == (1, "DHR-1\nDHR-2", "Alice")
        r = services.record_response(
            s,
            "Bob",
            inspection_code=code,
            question_id="MO-01-Q01",
            notes="Index fixed",
            expected_revision=1,
        )
        assert (r.result, r.notes, r.revision) == ("minor_gap", "Index fixed", 2)
        same = services.record_response(
            s, "Bob", inspection_code=code, question_id="MO-01-Q01", notes="Index fixed"
        )
        assert same.revision == 2  # nothing changed, nothing written
        assert services.get_inspection(s, code).status == "in_progress"
    with ws.session() as s:
        events = events_for(s, entity_id=f"{code}/MO-01-Q01")
        assert field_changes(events[-1].changes) == {"notes": ["Index incomplete", "Index fixed"]}
        assert any(e.action == "inspection.status" for e in events_for(s, inspection_code=code))


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"question_id": "XX-01-Q01", "result": "conforms"}, InvalidInput, "Unknown question ID"),
        ({"question_id": "MO-01-Q01", "result": "fine"}, InvalidInput, "not a valid result"),
        ({"question_id": "MO-01-Q01", "sample_size": -1}, InvalidInput, "at least 0"),
        (
            {"question_id": "MO-01-Q01", "sample_population": 3, "sample_size": 4},
            InvalidInput,
            "larger than the population",
        ),
        (
            {"question_id": "MO-01-Q01", "notes": "x", "expected_revision": 7},
            RevisionConflict,
            "changed elsewhere",
        ),
    ],
)
def test_record_response_validates(fnd_inspection, kwargs, exc, message) -> None:
    ws, code = fnd_inspection
    with pytest.raises(exc, match=message), ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": " "}, "Title must not be empty"),
        ({"classification": "grave"}, "not a valid classification"),
        ({"severity": 6}, "Severity must be 1..5"),
        ({"likelihood": 0}, "Likelihood must be 1..5"),
        ({"question_ids": ["NOPE-Q01"]}, "Unknown question ID"),
    ],
)
def test_raise_finding_validates(fnd_inspection, kwargs, message) -> None:
    ws, code = fnd_inspection
    args = {"title": "Gap", "classification": "minor", **kwargs}
    with pytest.raises(InvalidInput, match=message), ws.begin() as s:
        services.raise_finding(s, "Alice", inspection_code=code, **args)


def test_finding_workflow_and_close_rules(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        f = services.raise_finding(
            s,
            "Alice",
            inspection_code=code,
            title="Complaint trending missing",
            classification="major",
            question_ids=["MA-03-Q01"],
            severity=4,
            likelihood=2,
        )
        assert (f.code, f.risk_score, f.question_ids) == ("F-001", 8, ["MA-03-Q01"])
        f2 = services.raise_finding(
            s, "Alice", inspection_code=code, title="B", classification="ofi"
        )
        assert f2.code == "F-002"
    with pytest.raises(InvalidTransition, match="corrective action"), ws.begin() as s:
        services.close_finding(s, "Alice", code, "F-001")
    with pytest.raises(InvalidTransition, match="owner, due date"), ws.begin() as s:
        services.transition_finding(s, "Alice", code, "F-001", "action_planned")
    with ws.begin() as s:
        services.update_finding(
            s,
            "Alice",
            code,
            "F-001",
            owner="QA lead",
            due_date=dt.date(2026, 12, 1),
            corrective_action="Add monthly trending",
        )
        services.transition_finding(s, "Alice", code, "F-001", "action_planned")
    with pytest.raises(InvalidInput, match="needs: owner"), ws.begin() as s:
        services.update_finding(s, "Alice", code, "F-001", owner="")
    with pytest.raises(InvalidTransition, match="effectiveness check"), ws.begin() as s:
        services.close_finding(s, "Alice", code, "F-001")
    with ws.begin() as s:
        services.update_finding(s, "Alice", code, "F-001", effectiveness_check="3 months OK")
        closed = services.close_finding(s, "Alice", code, "F-001")
        assert closed.status == "closed"
        assert closed.closed_at is not None
    with pytest.raises(InvalidTransition, match="only be reopened"), ws.begin() as s:
        services.transition_finding(s, "Alice", code, "F-001", "action_planned")
    with ws.begin() as s:
        reopened = services.transition_finding(s, "Alice", code, "F-001", "open")
        assert reopened.closed_at is None
        services.delete_finding(s, "Alice", code, "F-002")
    with ws.session() as s:
        assert [f.code for f in services.list_findings(s, code)] == ["F-001"]
        assert verify_chain(s).ok
    with pytest.raises(InvalidInput, match="no editable field 'status'"), ws.begin() as s:
        services.update_finding(s, "Alice", code, "F-001", status="closed")


def test_evidence_is_stored_once_and_links(fnd_inspection, fnd_template) -> None:
    ws, code = fnd_inspection
    pdf = b"%PDF-1.4 procedure"
    with ws.begin() as s:
        f = services.raise_finding(
            s, "Alice", inspection_code=code, title="T", classification="minor"
        )
        e1 = services.attach_evidence(
            s,
            "Alice",
            inspection_code=code,
            filename="C:\\docs\\SOP-12.pdf",
            data=pdf,
            question_id="MO-01-Q01",
        )
        again = services.attach_evidence(
            s, "Alice", inspection_code=code, filename="copy.pdf", data=pdf, finding_code=f.code
        )
        assert (e1.code, again.code, e1.filename, e1.media_type) == (
            "E-001",
            "E-001",
            "SOP-12.pdf",
            "application/pdf",
        )
        other = services.start_inspection(
            s, "Alice", site_code="SITE-001", template=fnd_template, inspection_type="for_cause"
        )
        e_other = services.attach_evidence(
            s, "Alice", inspection_code=other.code, filename="SOP-12.pdf", data=pdf
        )
        assert e_other.code == "E-001"
        assert s.execute(select(func.count()).select_from(EvidenceBlob)).scalar_one() == 1
        links = services.evidence_links(s, code, "E-001")
        assert links == {"question_ids": ["MO-01-Q01"], "finding_codes": ["F-001"]}
        services.detach_evidence(s, "Alice", code, "E-001", question_id="MO-01-Q01")
        assert services.evidence_links(s, code, "E-001")["question_ids"] == []
        assert services.evidence_bytes(s, code, "E-001") == pdf
    with pytest.raises(NotFound, match="not linked"), ws.begin() as s:
        services.detach_evidence(s, "Alice", code, "E-001", question_id="MO-01-Q01")
    with pytest.raises(InvalidInput, match="empty"), ws.begin() as s:
        services.attach_evidence(s, "Alice", inspection_code=code, filename="a.txt", data=b"")


def test_signed_off_inspection_refuses_every_change_until_reopened(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.raise_finding(s, "Alice", inspection_code=code, title="T", classification="minor")
        services.attach_evidence(s, "Alice", inspection_code=code, filename="a.txt", data=b"a")
        services.sign_off(s, "Alice", code, name="Alice Lead", meaning="Reviewed and approved")
    writes = [
        lambda s: services.record_response(
            s, "A", inspection_code=code, question_id="MO-01-Q01", notes="x"
        ),
        lambda s: services.raise_finding(
            s, "A", inspection_code=code, title="T", classification="minor"
        ),
        lambda s: services.update_finding(s, "A", code, "F-001", title="New"),
        lambda s: services.transition_finding(s, "A", code, "F-001", "closed"),
        lambda s: services.delete_finding(s, "A", code, "F-001"),
        lambda s: services.attach_evidence(s, "A", inspection_code=code, filename="b", data=b"b"),
        lambda s: services.link_evidence(s, "A", code, "E-001", question_id="MO-01-Q01"),
        lambda s: services.update_inspection(s, "A", code, title="New"),
        lambda s: services.set_element_selection(s, "A", code, "MO-01", False, "x"),
        lambda s: services.sign_off(s, "A", code, name="A", meaning="again"),
    ]
    for write in writes:
        with pytest.raises(InspectionLocked, match="signed off"), ws.begin() as s:
            write(s)
    with pytest.raises(InvalidInput, match="Reason"), ws.begin() as s:
        services.reopen_inspection(s, "Alice", code, reason="  ")
    with ws.begin() as s:
        services.reopen_inspection(s, "Alice", code, reason="Late evidence arrived")
        services.update_inspection(s, "Alice", code, title="Baseline readiness (rev)")
        insp = services.get_inspection(s, code)
        assert insp.status == "in_progress"
        assert insp.signoffs[0].superseded_reason == "Late evidence arrived"
    with pytest.raises(InvalidTransition), ws.begin() as s:
        services.reopen_inspection(s, "Alice", code, reason="again")
    with ws.session() as s:
        reopen = [e for e in events_for(s, inspection_code=code) if e.action == "inspection.reopen"]
        assert reopen[0].changes["reason"] == [None, "Late evidence arrived"]


def test_update_inspection_validates_fields(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with pytest.raises(InvalidInput, match="no editable field 'status'"), ws.begin() as s:
        services.update_inspection(s, "Alice", code, status="signed_off")
    with ws.begin() as s:
        insp = services.update_inspection(
            s,
            "Alice",
            code,
            inspection_type="pma_preapproval",
            team=["Bo", " "],
            planned_start="2026-03-01",
        )
        assert (insp.model, insp.team, insp.planned_start) == (2, ["Bo"], dt.date(2026, 3, 1))
    with ws.session() as s:
        changes = events_for(s, inspection_code=code)[-1].changes
        assert changes["planned_start"] == [None, "2026-03-01"]
