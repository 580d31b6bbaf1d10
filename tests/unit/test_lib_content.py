"""Checklist content pinned by issue 10: corrected citations, split questions, QMSR-era content.

These check what a reviewer found wrong stays fixed, by content (citations, IDs, applicability),
not by counts, so the library can keep growing.
"""

from __future__ import annotations

from typing import Any

import pytest

from qmsr_ready.core.library import citations as reg
from qmsr_ready.core.library.catalogue import version_key
from qmsr_ready.core.library.crosswalk import load_crosswalk
from qmsr_ready.core.library.loader import load_template
from qmsr_ready.core.resources import resource_path
from qmsr_ready.core.template_content import element_index, iter_questions, question_index

CHECKLISTS = resource_path("checklists")
MAIN = load_template(CHECKLISTS / "fda-qmsr.yaml")
TRANSITION = load_template(CHECKLISTS / "qsr-transition.yaml")

# Every question ID of the 2026.11 templates that issue 10 names; all must survive.
ISSUE_IDS = [
    "OA-01-Q01",
    "MO-06-Q02",
    "MA-03-Q01",
    "MO-05-Q01",
    "PS-03-Q03",
    "PS-03-Q06",
    "PS-09-Q02",
    "MA-09-Q02",
    "MA-07-Q03",
    "DD-01-Q03",
    "PS-02-Q01",
    "DD-01-Q01",
    "MO-11-Q01",
    "PS-03-Q02",
    "PS-08-Q05",
    "OA-04-Q03",
    "MO-03-Q02",
    "CC-02-Q01",
    "MA-03-Q03",
    "MO-14-Q03",
    "DD-04-Q01",
    "DD-05-Q02",
    "DD-11-Q02",
    "MA-09-Q01",
    "PS-11-Q02",
    "MA-04-Q01",
    "MO-01-Q03",
    "MO-01-Q04",
    "MO-13-Q03",
    "MO-08-Q01",
    "CC-01-Q03",
    "MO-12-Q02",
    "DD-06-Q02",
    "MA-01-Q02",
]
TRANSITION_IDS = [
    "SUBD-01-Q01",
    "SUBM-01-Q01",
    "SUBK-01-Q01",
    "SUBB-01-Q02",
    "SUBM-04-Q01",
    "SUBM-02-Q01",
]


def cites(content: dict[str, Any], qid: str) -> list[str]:
    return list(question_index(content)[qid].question["citations"])


def question(content: dict[str, Any], qid: str) -> dict[str, Any]:
    return dict(question_index(content)[qid].question)


def test_both_templates_moved_past_2026_11_and_kept_the_named_ids() -> None:
    for content in (MAIN, TRANSITION):
        assert version_key(str(content["version"])) > version_key("2026.11")
    assert set(ISSUE_IDS) <= set(question_index(MAIN))
    assert set(TRANSITION_IDS) <= set(question_index(TRANSITION))


def test_every_citation_used_anywhere_is_in_the_registry_with_a_title() -> None:
    used = {
        c
        for content in (MAIN, TRANSITION)
        for r in iter_questions(content)
        for c in r.question["citations"]
    }
    for text in sorted(used):
        assert reg.title_of(text), text
    cw = load_crosswalk()
    for section in cw.sections:
        link = cw.link(section)
        for hook in link.qmsr_hooks:
            assert reg.check_hook(hook) is None, hook
        for clause in link.iso_clauses:
            assert reg.check_iso_clause(clause) is None, clause


@pytest.mark.parametrize(
    "citation",
    [
        "21 CFR 11",
        "21 CFR 814",
        "21 CFR 806",
        "21 CFR 807",
        "21 CFR 821",
        "21 CFR 803.17",
        "21 CFR 803.18",
        "FDA QMSR FAQ",
        "FDA QMSR FAQ Q8",
        "FD&C Act 704(a)(4)",
        "21 CFR 820.1(a)",
    ],
)
def test_registry_knows_the_sources_the_issue_names(citation: str) -> None:
    assert str(reg.parse_citation(citation)) == citation
    assert reg.title_of(citation)


def test_other_sources_count_towards_no_coverage_target() -> None:
    assert reg.covered_targets(reg.parse_citation("FDA QMSR FAQ Q8")) == set()
    assert reg.covered_targets(reg.parse_citation("21 CFR 820.1(a)")) == {"21 CFR 820.1"}
    assert reg.normalise_citation("FDCA section 704(a)(4)") == "FD&C Act 704(a)(4)"
    assert reg.normalise_citation("21 CFR part 11") == "21 CFR 11"


def test_mdr_decision_is_cited_to_iso_8_2_2_and_part_803_not_820_35a() -> None:
    oa = cites(MAIN, "OA-01-Q01")
    assert "21 CFR 820.35(a)" not in oa
    assert {"ISO 13485:2016 8.2.2", "21 CFR 803.17", "21 CFR 803.18"} <= set(oa)
    link = load_crosswalk().link("820.198")
    # qmsr_hooks name 820 paragraphs only; Part 803 is named in the text as an OAFR.
    assert all(h.startswith("820") for h in link.qmsr_hooks)
    assert "803.17" in link.what_changed
    assert "803.18" in link.what_changed
    assert "not one of the seven" in link.what_changed


def test_retention_and_obsolete_documents_rest_on_iso_4_2_5_and_4_2_4() -> None:
    assert cites(MAIN, "MO-06-Q02") == ["ISO 13485:2016 4.2.5"]
    assert cites(TRANSITION, "SUBD-01-Q01") == ["ISO 13485:2016 4.2.4"]
    subm = cites(TRANSITION, "SUBM-01-Q01")
    assert {"FDA QMSR FAQ Q8", "21 CFR 820.35(d)", "ISO 13485:2016 4.2.5"} <= set(subm)
    assert "21 CFR 820.35" not in subm
    cw = load_crosswalk()
    assert cw.link("820.40").qmsr_hooks == ()
    obsolete = " ".join(cw.link("820.40").what_changed.split())
    assert "lifetime of the device as defined by the manufacturer" in obsolete
    assert "not less than two years from the device's release" in obsolete
    assert "7.5.9.1" in cw.link("820.160").iso_clauses
    assert "not new" in cw.link("820.180").what_changed


def test_complaint_record_items_carry_the_820_35a_qualifier() -> None:
    text = " ".join(question(MAIN, "MA-03-Q01")["text"].split())
    assert "MDR" in text
    assert "decided to investigate" in text
    assert "investigated although" in text


def test_label_examination_accepts_one_signed_checklist_and_reader_oversight_weighs_less() -> None:
    for content, qid in ((MAIN, "PS-03-Q03"), (TRANSITION, "SUBK-01-Q01")):
        q = question(content, qid)
        assert "one signed checklist" in " ".join(str(q).split()).lower(), qid
    reader = question(MAIN, "PS-03-Q06")
    assert reader["weight"] == 1
    assert "preamble" in reader["text"]


def test_other_corrected_citations() -> None:
    assert "21 CFR 820.1(a)" in cites(MAIN, "MA-09-Q02")
    assert cites(MAIN, "PS-09-Q02") == ["ISO 13485:2016 7.5.10", "ISO 13485:2016 4.2.5"]
    assert "good practice" in question(MAIN, "MO-05-Q01")["text"]
    assert question(MAIN, "MA-07-Q03")["legacy"] == ["820.100"]
    assert question(MAIN, "DD-01-Q03")["legacy"] == ["820.100"]
    assert "21 CFR 806" in cites(MAIN, "DD-01-Q03")


def test_facts_the_fda_texts_confirm_are_no_longer_tagged_unconfirmed() -> None:
    for qid in ("DD-02-Q01", "MO-06-Q03", "MO-11-Q03", "PS-05-Q02", "DD-02-Q03", "OP-02-Q02"):
        assert question(MAIN, qid).get("confidence") == "confirmed", qid
    assert question(TRANSITION, "SUBM-01-Q01")["confidence"] == "confirmed"
    for r in iter_questions(MAIN):
        if r.question.get("confidence") == "unconfirmed":
            assert r.question.get("note"), r.question["id"]


def test_compound_questions_are_split_into_separately_graded_ones() -> None:
    ids = set(question_index(MAIN))
    assert {"PS-02-Q03", "DD-01-Q04", "DD-01-Q05", "MO-11-Q05", "MO-11-Q06"} <= ids
    assert "clothing" not in question(MAIN, "PS-02-Q01")["text"]
    assert "training" not in question(MAIN, "DD-01-Q01")["text"]


def test_duplicate_evidence_is_graded_once_and_cross_referenced() -> None:
    assert "21 CFR 820.35(c)" in cites(MAIN, "OA-04-Q03")
    for qid in ("PS-03-Q02", "PS-08-Q05"):
        assert "21 CFR 820.35(c)" not in cites(MAIN, qid)
        assert "OA-04-Q03" in question(MAIN, qid)["text"]
    assert "CC-02-Q01" in question(MAIN, "MO-03-Q02")["text"]
    assert "MO-03-Q02" in question(MAIN, "CC-02-Q01")["text"]
    assert "MA-03-Q03" in question(MAIN, "OA-01-Q01")["text"]
    assert "OA-01-Q01" in question(MAIN, "MA-03-Q03")["text"]


def _cited_anywhere(content: dict[str, Any]) -> set[str]:
    return {c for r in iter_questions(content) for c in r.question["citations"]}


def test_qmsr_era_content_is_in_the_main_library() -> None:
    used = _cited_anywhere(MAIN)
    assert {
        "FD&C Act 704(a)(4)",
        "21 CFR 11",
        "21 CFR 814",
        "21 CFR 814.39",
        "FDA QMSR FAQ Q7",
        "FD&C Act 524B",
        "21 CFR 820.3(a)",
    } <= used
    elements = element_index(MAIN)
    assert elements["GI-05"][1]["applies_if"]["all_of"] == [{"field": "pma_holder", "is": True}]
    assert elements["GI-06"][1]["applies_if"]["all_of"] == [
        {"field": "software_in_device", "is": True}
    ]
    for eid in ("GI-03", "GI-04", "GI-05", "GI-06"):
        for q in elements[eid][1]["questions"]:
            guidance = q["guidance"]
            assert q["records_to_sample"], q["id"]
            assert q["citations"], q["id"]
            assert guidance["look_at"]
            assert guidance["good_looks_like"]
            assert guidance["weak_spots"]


def test_transition_has_an_area_for_requirements_without_a_qsr_predecessor() -> None:
    (area,) = [a for a in TRANSITION["areas"] if a["id"] == "NEW"]
    assert area["kind"] == "gap_assessment"
    assert all(e["legacy_sections"] == [] for e in area["elements"])
    cited = {c for e in area["elements"] for q in e["questions"] for c in q["citations"]}
    for clause in (
        "4.1.2 b)",
        "7.1",
        "7.2.3",
        "5.2",
        "5.5.3",
        "7.5.10",
        "8.2.5",
        "8.5.1",
        "7.3.4",
        "7.3.5",
        "7.3.6",
        "7.3.7",
        "7.3.8",
    ):
        assert f"ISO 13485:2016 {clause}" in cited, clause
    assert {"21 CFR 806", "21 CFR 807", "21 CFR 821"} <= cited


def test_udi_in_the_production_record_is_graded_once_and_label_release_is_asked() -> None:
    oa = question(MAIN, "OA-04-Q03")
    words = " ".join(str(v) for v in (oa["text"], *oa["guidance"].values(),
                                      *oa["records_to_sample"])).lower()
    assert "distribution record" not in words
    assert "complaint record" not in words.replace("udi in complaint records", "")
    assert "MA-03-Q01" in oa["text"]
    assert "21 CFR 820.35(a)" not in oa["citations"]
    ps = question(MAIN, "PS-03-Q03")
    assert {"21 CFR 820.45(a)", "21 CFR 820.45(b)", "21 CFR 820.45(c)"} <= set(ps["citations"])
    assert "release record" in " ".join(ps["text"].split())
