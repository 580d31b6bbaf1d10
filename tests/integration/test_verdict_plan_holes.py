"""A plan cannot make the verdict read Ready by leaving things out (issue 10 QA, items 1–3).

On the shipped template: a Model 2 inspection whose minimum elements were unticked, a type
changed from Model 1 to Model 2, a site profile changed after planning, a major gap on a
question the plan does not count, and an element marked not applicable without a reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qmsr_ready.core.db import Workspace, open_workspace
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.library.loader import load_template
from qmsr_ready.core.library.planner import plan, to_element_choices
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.report.build import build_report
from qmsr_ready.core.report.verdict import Verdict, VerdictLevel, readiness_verdict
from qmsr_ready.core.resources import resource_path
from qmsr_ready.core.services import (
    ElementChoice,
    create_site,
    record_response,
    set_element_selection,
    start_inspection,
    update_inspection,
    update_site,
)
from qmsr_ready.core.template_content import TemplateSnapshot

TODAY = dt.date(2026, 11, 25)
CONTENT = load_template(resource_path("checklists", "fda-qmsr.yaml"))
STERILE = SiteProfile(device_classes=("II",), sterile_products=True)


def _start(path: Path, itype: str, profile: SiteProfile = STERILE,
           elements: list[ElementChoice] | None = None) -> Workspace:
    ws = open_workspace(path, create=True)
    with ws.begin() as s:
        create_site(s, "QA", name="Site", code="SITE-1", profile=profile)
        start_inspection(s, "QA", site_code="SITE-1",
                         template=TemplateSnapshot.from_content(CONTENT), inspection_type=itype,
                         code="MI-1",
                         elements=elements or to_element_choices(plan(CONTENT, profile, itype)))
    return ws


def _answer_counted(ws: Workspace) -> None:
    with ws.session() as s:
        report = build_report(s, "MI-1", today=TODAY)
    with ws.begin() as s:
        for q in report.questions:
            if q.counted:
                record_response(s, "QA", inspection_code="MI-1", question_id=q.question_id,
                                result="conforms")


def _verdict(ws: Workspace) -> Verdict:
    with ws.session() as s:
        return readiness_verdict(build_report(s, "MI-1", today=TODAY))


def test_unticked_minimum_elements_and_a_gap_on_one_are_not_ready(tmp_path: Path) -> None:
    # Like the wizard when the lead unticks everything but MO-05 (each row keeps a reason).
    proposals = plan(CONTENT, STERILE, "baseline_surveillance")
    elements = [ElementChoice(p.element_id, p.element_id == "MO-05", p.applicable,
                              p.reason if p.element_id == "MO-05" else f"Excluded ({p.reason})")
                for p in proposals]
    ws = _start(tmp_path / "a.qmsr", "baseline_surveillance", elements=elements)
    _answer_counted(ws)
    with ws.begin() as s:
        record_response(s, "QA", inspection_code="MI-1", question_id="MA-03-Q01",
                        result="major_gap", notes="UDI missing on all six")
    verdict = _verdict(ws)
    ws.close()
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons[0] == (
        "1 major gap on risk-focus or Model 2 minimum questions: "
        "MA-03-Q01 (MA-03 not counted in this plan; no finding raised)")
    assert verdict.reasons[1].startswith(
        "21 Model 2 minimum elements not selected for a baseline surveillance inspection: "
        "MO-11, MO-14, DD-04, DD-05, DD-06 and 16 more;")


def test_type_changed_to_model2_names_the_missing_minimum(tmp_path: Path) -> None:
    ws = _start(tmp_path / "b.qmsr", "non_baseline_surveillance")
    _answer_counted(ws)
    assert _verdict(ws).level is VerdictLevel.READY
    with ws.begin() as s:
        update_inspection(s, "QA", "MI-1", inspection_type="baseline_surveillance")
    verdict = _verdict(ws)
    ws.close()
    assert verdict.level is VerdictLevel.AT_RISK
    assert len(verdict.reasons) == 1
    assert verdict.reasons[0].startswith("16 Model 2 minimum elements not selected for a "
                                         "baseline surveillance inspection: ")


def test_profile_changed_after_planning_is_not_ready(tmp_path: Path) -> None:
    ws = _start(tmp_path / "c.qmsr", "baseline_surveillance",
                profile=SiteProfile(device_classes=("II",)))
    _answer_counted(ws)
    assert _verdict(ws).level is VerdictLevel.READY
    with ws.begin() as s:
        update_site(s, "QA", "SITE-1", profile=SiteProfile(
            device_classes=("II",), sterile_products=True, software_in_device=True))
    verdict = _verdict(ws)
    ws.close()
    assert verdict.level is VerdictLevel.AT_RISK
    assert verdict.reasons == (
        "the plan was made for a different site profile: DD-08, PS-07, GI-06 now apply; re-plan "
        "the elements or correct the profile",)


@pytest.mark.parametrize("reason", ["", "   ", "\u200b", "\u200b \u2060"])
def test_element_not_applicable_without_a_reason_is_refused(tmp_path: Path,
                                                           reason: str) -> None:
    proposals = plan(CONTENT, STERILE, "baseline_surveillance")
    blank = [ElementChoice(p.element_id, p.selected, p.applicable,
                           reason if p.element_id == "DD-08" else p.reason) for p in proposals]
    ws = open_workspace(tmp_path / "d.qmsr", create=True)
    with ws.begin() as s:
        create_site(s, "QA", name="Site", code="SITE-1", profile=STERILE)
    with pytest.raises(InvalidInput, match="DD-08 is marked not applicable without a reason"), \
            ws.begin() as s:
        start_inspection(s, "QA", site_code="SITE-1",
                         template=TemplateSnapshot.from_content(CONTENT),
                         inspection_type="baseline_surveillance", code="MI-1", elements=blank)
    ws.close()
    ws = _start(tmp_path / "e.qmsr", "baseline_surveillance")
    with pytest.raises(InvalidInput, match="MO-05 is marked not applicable without a reason"), \
            ws.begin() as s:
        set_element_selection(s, "QA", "MI-1", "MO-05", True, reason, applicable=False)
    with pytest.raises(InvalidInput, match="DD-08 is marked not applicable"), ws.begin() as s:
        set_element_selection(s, "QA", "MI-1", "DD-08", False, reason)  # stays N/A
    with ws.begin() as s:
        set_element_selection(s, "QA", "MI-1", "MO-05", True, "Contract design house",
                              applicable=False)
    ws.close()
