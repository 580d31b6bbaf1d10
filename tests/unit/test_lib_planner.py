"""The inspection planner per inspection type and site profile (issue 3 item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.library.loader import load_template
from qmsr_ready.core.library.planner import ElementProposal, plan, to_element_choices
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.services.inspections import ElementChoice
from qmsr_ready.core.vocab import InspectionType

FIXTURE = Path(__file__).parent.parent / "fixtures" / "templates" / "planner-60.yaml"
CONTENT = load_template(FIXTURE)
QMS_AREAS = ("MO", "DD", "PS", "CC", "MA", "OP")
MODEL1_TYPES = [t for t in InspectionType if t.model == 1]

# Software sites: DD-08 (software validation) applies only where software is in or is the device.
CLASS_II = SiteProfile(device_classes=("II",), software_in_device=True)
CLASS_II_STERILE = SiteProfile(
    device_classes=("II", "III"), sterile_products=True, software_in_device=True
)
CLASS_I_PLAIN = SiteProfile(device_classes=("I",))
CLASS_II_TRACKED = SiteProfile(device_classes=("II",), tracking_orders=True,
                               software_in_device=True)


def by_id(proposals: list[ElementProposal]) -> dict[str, ElementProposal]:
    return {p.element_id: p for p in proposals}


def selected(proposals: list[ElementProposal]) -> set[str]:
    return {p.element_id for p in proposals if p.selected}


def test_every_element_gets_a_proposal_with_a_reason() -> None:
    for itype in InspectionType:
        proposals = plan(CONTENT, CLASS_II, itype)
        assert len(proposals) == 60
        assert all(p.reason.strip() for p in proposals), itype
        assert not any(p.selected and not p.applicable for p in proposals), itype


def test_baseline_model2_selects_the_22_minimum_elements_without_sterile_product() -> None:
    chosen = selected(plan(CONTENT, CLASS_II, InspectionType.BASELINE_SURVEILLANCE))
    model2 = chosen - {"OA-01", "OA-02", "OA-04", "GI-01", "GI-02"}
    assert len(model2) == 22
    assert "PS-07" not in model2
    assert {"OA-01", "OA-02", "OA-04", "GI-01", "GI-02"} <= chosen
    assert "OA-03" not in chosen  # no tracking order


def test_baseline_model2_selects_23_with_sterile_product() -> None:
    proposals = by_id(plan(CONTENT, CLASS_II_STERILE, InspectionType.BASELINE_SURVEILLANCE))
    model2 = [p for eid, p in proposals.items() if p.selected and eid[:2] in QMS_AREAS]
    assert len(model2) == 23
    assert proposals["PS-07"].selected
    assert "Model 2 minimum element" in proposals["PS-07"].reason


def test_pma_preapproval_is_model2_without_the_other_fda_requirements() -> None:
    proposals = by_id(plan(CONTENT, CLASS_II_TRACKED, InspectionType.PMA_PREAPPROVAL))
    for eid in ("OA-01", "OA-02", "OA-03", "OA-04"):
        assert not proposals[eid].selected
        assert "PMA preapproval" in proposals[eid].reason
    assert proposals["OA-03"].applicable  # tracking order: applicable, just not selected
    assert proposals["GI-01"].selected
    assert proposals["GI-02"].selected
    assert sum(1 for p in proposals.values() if p.selected and p.area_id in QMS_AREAS) == 22


def test_sterile_element_not_applicable_without_sterile_product() -> None:
    proposal = by_id(plan(CONTENT, CLASS_II, InspectionType.BASELINE_SURVEILLANCE))["PS-07"]
    assert (proposal.selected, proposal.applicable) == (False, False)
    assert proposal.reason == "Not applicable: no sterile product in the site profile."


def test_class_i_without_software_makes_design_not_applicable() -> None:
    proposals = by_id(plan(CONTENT, CLASS_I_PLAIN, InspectionType.BASELINE_SURVEILLANCE))
    for n in range(2, 13):
        p = proposals[f"DD-{n:02d}"]
        assert (p.applicable, p.selected) == (False, False)
        assert ("no software" if n == 8 else "820.10(c)") in p.reason
    assert proposals["DD-01"].applicable  # customer-related processes always apply


@pytest.mark.parametrize(
    "profile",
    [
        SiteProfile(device_classes=("I",), software_in_device=True),
        SiteProfile(device_classes=("I",), class_i_design_listed=True),
        SiteProfile(device_classes=("III",)),
    ],
    ids=["class I with software", "class I listed", "class III"],
)
def test_design_applies_when_820_10c_says_so(profile: SiteProfile) -> None:
    proposals = by_id(plan(CONTENT, profile, InspectionType.BASELINE_SURVEILLANCE))
    assert proposals["DD-04"].applicable
    assert proposals["DD-04"].selected


def test_tracking_only_with_a_tracking_order() -> None:
    without = by_id(plan(CONTENT, CLASS_II, InspectionType.FOR_CAUSE))["OA-03"]
    assert (without.applicable, without.selected) == (False, False)
    assert without.reason.startswith("Not applicable: No FDA tracking order")
    tracked = by_id(plan(CONTENT, CLASS_II_TRACKED, InspectionType.FOR_CAUSE))["OA-03"]
    assert (tracked.applicable, tracked.selected) == (True, True)


@pytest.mark.parametrize("itype", MODEL1_TYPES, ids=[t.value for t in MODEL1_TYPES])
def test_model1_picks_one_element_per_qms_area_by_risk(itype: InspectionType) -> None:
    proposals = plan(CONTENT, CLASS_II, itype)
    picks = {p.area_id: p.element_id for p in proposals if p.selected and p.area_id in QMS_AREAS}
    # Model 2 minimum first, then risk-focus weight: MO-14 (r3) beats MO-05 (r2) and MO-13
    # (r3 but not Model 2); PS-07 would win but is not applicable without sterile product.
    assert picks == {
        "MO": "MO-14",
        "DD": "DD-04",
        "PS": "PS-06",
        "CC": "CC-03",
        "MA": "MA-09",
        "OP": "OP-01",
    }
    chosen = selected(proposals)
    assert {"OA-01", "OA-02", "OA-04", "GI-01", "GI-02"} <= chosen
    reasons = by_id(proposals)
    assert reasons["MO-14"].reason.startswith("Model 1: chosen for Management Oversight by risk")
    assert "MO-14 covers Management Oversight" in reasons["MO-05"].reason


def test_model1_uses_the_sterile_element_when_it_applies() -> None:
    proposals = plan(CONTENT, CLASS_II_STERILE, InspectionType.NON_BASELINE_SURVEILLANCE)
    ps = [p.element_id for p in proposals if p.selected and p.area_id == "PS"]
    assert ps == ["PS-07"]


def test_model1_with_no_applicable_design_element_selects_none_there() -> None:
    proposals = plan(CONTENT, CLASS_I_PLAIN, InspectionType.FOR_CAUSE)
    dd = [p.element_id for p in proposals if p.selected and p.area_id == "DD"]
    assert dd == ["DD-01"]  # the only applicable DD element


@pytest.mark.parametrize("itype", list(InspectionType), ids=[t.value for t in InspectionType])
def test_full_mock_inspection_selects_every_applicable_element(itype: InspectionType) -> None:
    proposals = plan(CONTENT, CLASS_I_PLAIN, itype, full=True)
    assert all(p.selected == p.applicable for p in proposals)
    assert sum(p.selected for p in proposals) == 60 - 11 - 1 - 1  # DD-02..12, PS-07, OA-03


def test_proposals_convert_to_service_element_choices() -> None:
    proposals = plan(CONTENT, CLASS_II, "baseline_surveillance")
    choices = to_element_choices(proposals)
    assert all(isinstance(c, ElementChoice) for c in choices)
    first = choices[0]
    assert (first.element_id, first.selected, first.reason) == (
        proposals[0].element_id,
        proposals[0].selected,
        proposals[0].reason,
    )


def test_unknown_inspection_type_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Unknown inspection type 'audit'"):
        plan(CONTENT, CLASS_II, "audit")
