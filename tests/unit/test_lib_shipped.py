"""The shipped library: every template validates and the main library covers the registry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qmsr_ready.core.library import citations as reg
from qmsr_ready.core.library.coverage import coverage
from qmsr_ready.core.library.loader import load_file, load_template
from qmsr_ready.core.library.planner import plan
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.resources import resource_path
from qmsr_ready.core.template_content import element_index, iter_questions

ROOT = Path(__file__).resolve().parents[2]
CHECKLISTS = resource_path("checklists")
SHIPPED = sorted(CHECKLISTS.glob("*.yaml"))
MAIN = CHECKLISTS / "fda-qmsr.yaml"
TRANSITION = CHECKLISTS / "qsr-transition.yaml"
FIXTURE_60 = ROOT / "tests" / "fixtures" / "templates" / "planner-60.yaml"


def doc_elements() -> dict[str, dict[str, object]]:
    """Element table of docs/template-format.md: ID → area kind, Model 2 flag, sterile flag."""
    text = (ROOT / "docs" / "template-format.md").read_text(encoding="utf-8")
    out: dict[str, dict[str, object]] = {}
    for row in text.splitlines():
        cells = [c.strip() for c in row.split("|")]
        if len(cells) < 4 or not re.match(r"^[A-Z]{2} ", cells[1]):
            continue
        kind = cells[2]
        for chunk in re.split(r";", cells[3]):
            m = re.search(r"\b([A-Z]{2}-\d{2})\b", chunk)
            if m:
                out[m.group(1)] = {
                    "kind": kind,
                    "m2": "✔" in chunk,
                    "sterile": "sterile_only" in chunk,
                }
    return out


def test_doc_table_lists_the_program_elements_and_twenty_three_model2() -> None:
    table = doc_elements()
    kinds = [e["kind"] for e in table.values()]
    assert (kinds.count("qms_area"), kinds.count("oafr")) == (54, 4)
    assert {"GI-01", "GI-02", "GI-03", "GI-04", "GI-05", "GI-06"} <= set(table)
    assert sum(1 for e in table.values() if e["m2"]) == 23
    assert [k for k, e in table.items() if e["sterile"]] == ["PS-07"]


def test_the_templates_are_shipped() -> None:
    """A missing template file fails here instead of skipping the checks below silently."""
    assert SHIPPED, f"no templates in {CHECKLISTS}"
    assert TRANSITION in SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_template_validates(path: Path) -> None:
    result = load_file(path)
    assert result.ok, "\n".join(str(i) for i in result.issues)


def _main_content() -> dict:
    assert MAIN.exists(), (
        "resources/checklists/fda-qmsr.yaml is not assembled yet (the integrator builds it "
        "from resources/checklists/_parts/)."
    )
    return load_template(MAIN)


@pytest.mark.parametrize("path", [MAIN, TRANSITION], ids=["fda-qmsr", "qsr-transition"])
def test_builtin_template_cites_every_coverage_target(path: Path) -> None:
    report = coverage(load_template(path))
    assert report.uncovered == (), f"uncovered: {', '.join(report.uncovered)}"
    iso = [t for t in report.targets if t.startswith("ISO")]
    assert iso[0] == "ISO 13485:2016 4.1.1"
    assert iso[-1] == "ISO 13485:2016 8.5.3"
    assert all(report.targets[t] > 0 for t in report.targets)


def test_main_library_has_every_element_of_the_table_with_two_questions() -> None:
    content = _main_content()
    elements = element_index(content)
    table = doc_elements()
    assert set(elements) == set(table)
    for eid, expected in table.items():
        area, element = elements[eid]
        assert area["kind"] == expected["kind"], eid
        assert element["model2_minimum"] is expected["m2"], eid
        assert element["sterile_only"] is expected["sterile"], eid
        assert len(element["questions"]) >= 2, eid
    assert sum(1 for _ in iter_questions(content)) >= 150


def test_main_library_applicability_rules_match_the_format() -> None:
    elements = element_index(_main_content())
    for n in range(2, 13):
        rule = elements[f"DD-{n:02d}"][1].get("applies_if")
        assert rule, f"DD-{n:02d} needs the 820.10(c) applies_if"
    rule = elements["OA-03"][1]["applies_if"]
    fields = {c["field"] for c in rule.get("any_of", []) + rule.get("all_of", [])}
    assert fields == {"tracking_orders"}


def test_planner_fixture_matches_the_element_table() -> None:
    elements = element_index(load_template(FIXTURE_60))
    table = doc_elements()
    program = {k for k, e in table.items() if e["kind"] in ("qms_area", "oafr")}
    assert program <= set(elements) <= set(table)
    for eid in elements:
        expected = table[eid]
        area, element = elements[eid]
        assert (area["kind"], element["model2_minimum"], element["sterile_only"]) == (
            expected["kind"],
            expected["m2"],
            expected["sterile"],
        ), eid


def test_transition_template_covers_every_legacy_section() -> None:
    content = load_template(TRANSITION)
    named = {
        reg.legacy_base(s)
        for _, element in element_index(content).values()
        for s in element.get("legacy_sections", [])
    }
    assert set(reg.LEGACY_SECTIONS) <= named, sorted(set(reg.LEGACY_SECTIONS) - named)
    assert all(a["kind"] == "gap_assessment" for a in content["areas"])


def test_planner_on_the_main_library_gives_22_or_23_model2_elements() -> None:
    content = _main_content()
    qms = {a["id"] for a in content["areas"] if a["kind"] == "qms_area"}
    for sterile, expected in ((False, 22), (True, 23)):
        # DD-08 software validation counts only where software is in or is the device.
        profile = SiteProfile(device_classes=("II",), sterile_products=sterile,
                              software_in_device=True)
        proposals = plan(content, profile, "baseline_surveillance")
        assert sum(1 for p in proposals if p.selected and p.area_id in qms) == expected
