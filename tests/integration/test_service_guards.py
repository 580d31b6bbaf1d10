"""Inputs and operations that used to slip past the services now get a clear refusal."""

from __future__ import annotations

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.models import AuditEvent, Response


def test_absurd_counts_and_invalid_unicode_are_refused_and_nothing_is_written(
    fnd_inspection,
) -> None:
    ws, code = fnd_inspection
    with ws.session() as s:
        events = s.query(AuditEvent).count()
    for fields, message in (
        ({"sample_population": 10**30}, "Sample population must be at most 1,000,000,000"),
        ({"notes": "bad \ud800 text"}, "Notes contains a character that is not valid text"),
        ({"records_reviewed": ["R-1", "\udcff"]}, "not valid text"),
    ):
        with pytest.raises(InvalidInput, match=message), ws.begin() as s:
            services.record_response(s, "Auditor", inspection_code=code,
                                     question_id="MO-01-Q01", **fields)
    with pytest.raises(InvalidInput, match="not valid text"), ws.begin() as s:
        services.raise_finding(s, "Auditor", inspection_code=code, title="x\ud83d",
                               classification="minor")
    with ws.session() as s:
        assert s.query(Response).count() == 0
        assert s.query(AuditEvent).count() == events


@pytest.mark.parametrize("name", ["..", ".", "dir/..", "  "])
def test_evidence_needs_a_real_file_name(fnd_inspection, name: str) -> None:
    ws, code = fnd_inspection
    with pytest.raises(InvalidInput), ws.begin() as s:
        services.attach_evidence(s, "Auditor", inspection_code=code, filename=name, data=b"x")


def test_deleting_a_finding_with_evidence_is_refused_and_keeps_the_link(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        finding = services.raise_finding(s, "Auditor", inspection_code=code, title="Gap",
                                         classification="minor")
        services.attach_evidence(s, "Auditor", inspection_code=code, filename="log.csv",
                                 data=b"a,b\n", finding_code=finding.code)
    with pytest.raises(InvalidInput, match=r"F-001 has evidence attached \(E-001\)"), \
            ws.begin() as s:
        services.delete_finding(s, "Auditor", code, "F-001")
    with ws.session() as s:
        links = services.evidence_links(s, code, "E-001")
    assert "F-001" in str(links)


def test_near_duplicate_site_names_are_refused(fnd_workspace) -> None:
    with fnd_workspace.begin() as s:
        services.create_site(s, "Auditor", name="Cork Plant")
    with pytest.raises(InvalidInput, match=r"'Cork Plant' already exists \(SITE-001\)"), \
            fnd_workspace.begin() as s:
        services.create_site(s, "Auditor", name="  cork   PLANT ")


def test_untitled_inspection_gets_a_readable_default_title(fnd_workspace, fnd_template) -> None:
    with fnd_workspace.begin() as s:
        site = services.create_site(s, "Auditor", name="Athlone")
        insp = services.start_inspection(s, "Auditor", site_code=site.code,
                                         template=fnd_template, inspection_type="for_cause",
                                         title="   ")
        assert insp.title == "For-cause mock inspection — Athlone"


def test_reopening_a_never_started_inspection_makes_it_planned_again(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.sign_off(s, "Lead", code, name="Lead", meaning="Reviewed")
        insp = services.reopen_inspection(s, "Lead", code, reason="Signed by mistake")
        assert insp.status == "planned"


def test_long_text_limit_is_the_same_for_findings_and_responses(fnd_inspection) -> None:
    """Typing and importing agree: no text may exceed what one spreadsheet cell carries."""
    from qmsr_ready.core import services
    from qmsr_ready.core.errors import InvalidInput
    from qmsr_ready.core.services._common import LONG_TEXT

    ws, code = fnd_inspection
    too_long = "x" * (LONG_TEXT + 1)
    with ws.begin() as s:
        services.raise_finding(s, "A", inspection_code=code, title="t", classification="minor",
                               objective_evidence="x" * LONG_TEXT)
    for call in (
        lambda s: services.raise_finding(s, "A", inspection_code=code, title="t",
                                         classification="minor", root_cause=too_long),
        lambda s: services.update_finding(s, "A", code, "F-001", correction=too_long),
        lambda s: services.record_response(s, "A", inspection_code=code,
                                           question_id="MO-01-Q01", notes=too_long),
    ):
        with pytest.raises(InvalidInput, match="too long"), ws.begin() as s:
            call(s)
