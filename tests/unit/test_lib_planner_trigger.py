"""The planner plans from risk (issue 10 items 5 and 6): trigger signals, topic and profile.

The combinations run against the shipped fda-qmsr template, so they also pin its
``risk_signals`` mapping; the mechanism tests use the planner fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.library.loader import load_template, load_text
from qmsr_ready.core.library.planner import ElementProposal, plan
from qmsr_ready.core.library.trigger import Trigger, topic_names_element, topic_signals
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.resources import resource_path
from qmsr_ready.core.vocab import InspectionType, RiskSignal

MAIN = load_template(resource_path("checklists") / "fda-qmsr.yaml")
FIXTURE_PATH = Path(__file__).parent.parent / "fixtures" / "templates" / "planner-60.yaml"
FIXTURE = load_template(FIXTURE_PATH)
QMS_AREAS = ("MO", "DD", "PS", "CC", "MA", "OP")

CLASS_II = SiteProfile(device_classes=("II",))
STERILE_SITE = SiteProfile(device_classes=("II",), sterile_products=True)
SOFTWARE_SITE = SiteProfile(device_classes=("II",), software_in_device=True)


def by_id(proposals: list[ElementProposal]) -> dict[str, ElementProposal]:
    return {p.element_id: p for p in proposals}


def picks(proposals: list[ElementProposal], area: str) -> set[str]:
    return {p.element_id for p in proposals if p.selected and p.area_id == area}


def test_for_cause_with_an_mdr_trend_points_at_complaints_capa_and_risk() -> None:
    trigger = Trigger("Rising MDRs for battery overheating", (RiskSignal.MDR_TREND,))
    proposals = plan(MAIN, CLASS_II, InspectionType.FOR_CAUSE, trigger=trigger)
    p = by_id(proposals)
    assert picks(proposals, "MA") == {"MA-03", "MA-09"}
    assert picks(proposals, "MO") == {"MO-14"}  # risk management fed by postmarket data
    assert p["MA-03"].reason.startswith(
        "Chosen because the trigger names an MDR trend (signal: mdr_trend)"
    )
    assert "MA-03, MA-09 cover Measurement, Analysis and Improvement" in p["MA-08"].reason
    assert "Product risk also points here: the trigger names an MDR trend" in p["OA-01"].reason
    # Areas the trigger does not reach still get one element by risk (Model 1).
    for area in QMS_AREAS:
        assert picks(proposals, area), area
    assert p["OP-01"].reason.startswith("Model 1: chosen for Outsourcing and Purchasing by risk")


def test_for_cause_with_sterilization_problems_at_a_sterile_site_from_the_topic_alone() -> None:
    trigger = Trigger("EtO sterilisation cycle failures at the contract sterilizer")
    proposals = plan(MAIN, STERILE_SITE, InspectionType.FOR_CAUSE, trigger=trigger)
    p = by_id(proposals)
    assert {"PS-07", "PS-02", "PS-04"} <= picks(proposals, "PS")
    assert picks(proposals, "OP") == {"OP-01"}  # contract sterilizers are outsourcing
    assert "CC-03" in picks(proposals, "CC")
    assert "the trigger topic mentions \u201csterilisation\u201d (signal: sterilization)" in (
        p["PS-07"].reason
    )
    # The same trigger at a site without sterile product cannot pick the sterile element.
    plain = by_id(plan(MAIN, CLASS_II, InspectionType.FOR_CAUSE, trigger=trigger))
    assert (plain["PS-07"].applicable, plain["PS-07"].selected) == (False, False)
    assert plain["PS-02"].selected


def test_non_baseline_with_software_problems_at_a_software_site() -> None:
    trigger = Trigger("", (RiskSignal.SOFTWARE,))
    proposals = plan(MAIN, SOFTWARE_SITE, InspectionType.NON_BASELINE_SURVEILLANCE,
                     trigger=trigger)
    p = by_id(proposals)
    assert picks(proposals, "DD") == {"DD-08"}
    assert "CC-03" in picks(proposals, "CC")
    assert p["DD-08"].reason.startswith(
        "Chosen because the trigger names device software problems (signal: software)"
    )
    assert p["GI-06"].selected
    assert "signal: software" in p["GI-06"].reason  # postmarket cybersecurity


def test_pma_postmarket_holder_prefers_change_elements_and_the_pma_item() -> None:
    profile = SiteProfile(device_classes=("III",), pma_holder=True, implantable_devices=True,
                          tracking_orders=True, mdsap=True, software_in_device=True)
    proposals = plan(MAIN, profile, InspectionType.PMA_POSTMARKET)
    p = by_id(proposals)
    assert picks(proposals, "DD") == {"DD-11"}
    assert "CC-03" in picks(proposals, "CC")
    assert "profile: pma_holder; signal: design_change" in p["DD-11"].reason
    assert p["GI-05"].selected
    assert "PMA supplement" in p["GI-05"].reason
    # Implantable: traceability in production, and tracking where an order applies.
    assert "PS-08" in picks(proposals, "PS")
    assert "profile: implantable_devices" in p["PS-08"].reason
    assert p["OA-03"].selected
    assert "profile: implantable_devices" in p["OA-03"].reason
    # MDSAP: said where compliance history is reviewed.
    assert "MDSAP-audited" in p["GI-02"].reason
    assert "does not exempt it from this PMA postmarket inspection" in p["GI-02"].reason


def test_a_trigger_outranks_the_profile_within_an_area() -> None:
    profile = SiteProfile(device_classes=("III",), pma_holder=True, software_in_device=True)
    trigger = Trigger("", (RiskSignal.SOFTWARE,))
    p = by_id(plan(MAIN, profile, InspectionType.FOR_CAUSE, trigger=trigger))
    assert (p["DD-08"].selected, p["DD-11"].selected) == (True, False)
    assert "The site profile also points here" in p["DD-11"].reason


def test_baseline_model2_with_a_supplier_signal_keeps_the_minimum_and_adds_extras() -> None:
    trigger = Trigger("", (RiskSignal.SUPPLIER,))
    base = plan(MAIN, SOFTWARE_SITE, InspectionType.BASELINE_SURVEILLANCE)
    pointed = plan(MAIN, SOFTWARE_SITE, InspectionType.BASELINE_SURVEILLANCE, trigger=trigger)
    before = {x.element_id for x in base if x.selected}
    after = {x.element_id for x in pointed if x.selected}
    assert before < after
    assert after - before == {"OP-02", "OP-03", "CC-04"}
    p = by_id(pointed)
    assert p["OP-02"].reason == (
        "Added to the Model 2 minimum because the trigger names supplier problems "
        "(signal: supplier)."
    )
    assert p["OP-01"].reason.startswith("Model 2 minimum element")
    assert "signal: supplier" in p["OP-01"].reason


def test_a_site_without_software_gets_dd08_not_applicable_with_a_reason() -> None:
    for itype in InspectionType:
        p = by_id(plan(MAIN, CLASS_II, itype, trigger=Trigger("", (RiskSignal.SOFTWARE,))))
        assert (p["DD-08"].applicable, p["DD-08"].selected) == (False, False), itype
        assert p["DD-08"].reason.startswith("Not applicable: the site profile has no software")
        assert not p["GI-06"].applicable
    minimum = plan(MAIN, CLASS_II, InspectionType.BASELINE_SURVEILLANCE)
    assert "DD-08" not in {x.element_id for x in minimum if x.selected}
    assert "DD-04" in {x.element_id for x in minimum if x.selected}  # design still applies


def test_pma_preapproval_adds_a_pointed_other_requirement_only() -> None:
    trigger = Trigger("", (RiskSignal.RECALL,))
    p = by_id(plan(MAIN, SOFTWARE_SITE, InspectionType.PMA_PREAPPROVAL, trigger=trigger))
    assert p["OA-02"].selected
    assert p["OA-02"].reason.startswith("Added to the PMA preapproval plan because the trigger")
    assert not p["OA-04"].selected


def test_no_trigger_plans_exactly_as_before() -> None:
    for itype in InspectionType:
        assert plan(FIXTURE, SOFTWARE_SITE, itype) == plan(
            FIXTURE, SOFTWARE_SITE, itype, trigger=Trigger()
        )


def test_the_topic_names_an_element_by_title_or_id() -> None:
    trigger = Trigger("Complaint handling backlog; see also ma-07")
    p = by_id(plan(FIXTURE, SOFTWARE_SITE, InspectionType.COMPLIANCE_FOLLOW_UP, trigger=trigger))
    assert p["MA-03"].selected
    assert "names it (\u201ccomplaint handling\u201d)" in p["MA-03"].reason
    assert p["MA-07"].selected
    assert "names it (\u201cMA-07\u201d)" in p["MA-07"].reason
    assert topic_names_element("internal audit findings", "MA-04", "Internal audits")
    assert not topic_names_element("validation", "DD-09", "Validation")  # too generic


def test_topic_keywords_name_signals() -> None:
    found = topic_signals("Field correction after UDI label mix-ups; supplier resin change")
    assert found[RiskSignal.RECALL] == "Field correction"
    assert found[RiskSignal.LABELING_UDI] in ("UDI", "label")
    assert RiskSignal.SUPPLIER in found
    assert RiskSignal.STERILIZATION not in found


@pytest.mark.parametrize(("topic", "absent"), [
    ("non-sterile catheter kink complaints", RiskSignal.STERILIZATION),
    ("skin irritation on adhesive removal", RiskSignal.RECALL),
    ("not a recall", RiskSignal.RECALL),
    ("no sterility failures; kink complaints", RiskSignal.STERILIZATION),
])
def test_negated_and_over_broad_words_name_no_signal(topic: str, absent: RiskSignal) -> None:
    assert absent not in topic_signals(topic)


@pytest.mark.parametrize(("topic", "signal", "word"), [
    ("mislabeled expiry dates", RiskSignal.LABELING_UDI, "mislabeled"),
    ("Class I recall for mislabelled expiry dates", RiskSignal.LABELING_UDI, "mislabelled"),
    ("labelling mix-up on line 2", RiskSignal.LABELING_UDI, "labelling"),
    ("Class I recall for mislabelled expiry dates", RiskSignal.RECALL, "recall"),
    ("non-sterile catheter kink complaints", RiskSignal.COMPLAINT_TREND, "complaints"),
    ("a Part 806 correction and removal report", RiskSignal.RECALL, "correction and removal"),
])
def test_word_forms_name_their_signal(topic: str, signal: RiskSignal, word: str) -> None:
    assert topic_signals(topic)[signal] == word


def test_non_sterile_topic_plans_no_sterile_elements() -> None:
    content = load_template(resource_path("checklists", "fda-qmsr.yaml"))
    proposals = plan(content, SiteProfile(device_classes=("II",)), "specific_product_risk",
                     trigger=Trigger("non-sterile catheter kink complaints"))
    reasons = " ".join(p.reason for p in proposals if p.selected)
    assert "sterile" not in reasons.lower()
    assert "complaints" in reasons
    skin = plan(content, SiteProfile(device_classes=("II",)), "for_cause",
                trigger=Trigger("skin irritation on adhesive removal"))
    assert "recall" not in " ".join(p.reason for p in skin if p.selected)


def test_trigger_round_trips_and_refuses_unknown_signals() -> None:
    trigger = Trigger("  MDR   trend ", ("supplier", "mdr_trend", "supplier"))
    assert trigger.signals == (RiskSignal.MDR_TREND, RiskSignal.SUPPLIER)  # vocabulary order
    assert trigger.topic == "MDR trend"
    assert Trigger.from_dict(trigger.as_dict()) == trigger
    assert Trigger.from_dict({}) == Trigger()
    assert Trigger().is_empty
    assert trigger.describe() == (
        "Topic: MDR trend; signals: MDR trend by failure mode, Supplier problems"
    )
    with pytest.raises(InvalidInput, match="Unknown risk signal 'hunch'"):
        Trigger("", ("hunch",))
    with pytest.raises(InvalidInput, match="Unknown trigger field 'why'"):
        Trigger.from_dict({"why": "x"})
    with pytest.raises(InvalidInput, match="shorten it to 500"):
        Trigger("x" * 501)


def test_template_with_an_unknown_risk_signal_is_refused_with_its_path() -> None:
    text = FIXTURE_PATH.read_text(encoding="utf-8").replace(
        "risk_signals: [supplier]", "risk_signals: [supplier, vibes, supplier]", 1
    )
    result = load_text(text, "bad.yaml")
    messages = [f"{i.path}: {i.message}" for i in result.issues]
    assert not result.ok
    assert any('unknown risk signal "vibes"' in m and "risk_signals[1]" in m for m in messages)
    assert any('"supplier" is listed twice' in m for m in messages)


def test_templates_without_risk_signals_keep_their_content_unchanged() -> None:
    text = FIXTURE_PATH.read_text(encoding="utf-8")
    stripped = "\n".join(line for line in text.splitlines() if "risk_signals:" not in line)
    content = load_text(stripped, "old.yaml").content
    assert content is not None
    elements = [e for a in content["areas"] for e in a["elements"]]
    assert not any("risk_signals" in e for e in elements)  # so its hash does not move
