"""The citation registry and the crosswalk data."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsr_ready.core.library import citations as reg
from qmsr_ready.core.library.coverage import coverage
from qmsr_ready.core.library.crosswalk import (
    INDUSTRY_DERIVED_LABEL,
    legacy_title,
    load_crosswalk,
    load_qsit_file,
    load_qsr_file,
)
from qmsr_ready.core.library.loader import TemplateValidationError, load_template
from qmsr_ready.core.resources import resource_path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "templates"


def test_registry_has_every_iso_clause_title_and_marks_unofficial_labels() -> None:
    assert len(reg.ISO_CLAUSES) == 91  # every number in regulatory-facts §2, headings 4–8 included
    assert reg.title_of("ISO 13485:2016 7.5.9.2") == (
        "Particular requirements for implantable medical devices"
    )
    iso = [e for e in reg.registry() if e.citation.startswith("ISO")]
    unofficial = [e.number for e in iso if not e.official]
    assert unofficial == ["4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.1.5", "4.1.6"]
    assert "6.2.1" not in reg.ISO_CLAUSES  # 2016 edition has no 6.2 subclauses


def test_coverage_targets_are_leaves_plus_operative_820_paragraphs() -> None:
    targets = reg.coverage_targets()
    assert "ISO 13485:2016 7.5.9" not in targets  # has subclauses
    assert {"ISO 13485:2016 7.5.9.1", "ISO 13485:2016 5.2", "ISO 13485:2016 7.6"} <= set(targets)
    assert "ISO 13485:2016 4.1" not in targets
    cfr = [t for t in targets if t.startswith("21 CFR")]
    assert len(cfr) == 16
    assert len(targets) == 72 + 16


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("ISO 13485:2016 7.3.9", True),
        ("ISO 13485:2016 4.1.2 b)", True),
        ("21 CFR 820.10(b)(3)", True),
        ("21 CFR 801 Subpart B", True),
        ("21 CFR 830", True),
        ("ISO 13485:2016 7.3.11", False),
        ("ISO 13485:2016 6.2.1", False),
        ("21 CFR 820.15", False),
        ("21 CFR 820.35(e)", False),
        ("21 CFR 820.198", False),  # legacy sections belong in `legacy`, not citations
        ("ISO 13485 7.3.9", False),
    ],
)
def test_parse_citation_accepts_only_registry_forms(text: str, ok: bool) -> None:
    if ok:
        assert str(reg.parse_citation(text)) == text
    else:
        with pytest.raises(reg.CitationError):
            reg.parse_citation(text)


def test_normalise_suggests_canonical_forms() -> None:
    assert reg.normalise_citation("21 CFR §820.35(a)") == "21 CFR 820.35(a)"
    assert reg.normalise_citation("iso 13485 clause 4.1.2 b)") == "ISO 13485:2016 4.1.2 b)"
    assert reg.normalise_citation("Part 801 subpart B") == "21 CFR 801 Subpart B"
    assert reg.normalise_citation("7.3.11") is None


def test_sub_paragraph_covers_parent_unless_parent_has_its_own_targets() -> None:
    assert reg.covered_targets(reg.parse_citation("21 CFR 820.10(b)(3)")) == {"21 CFR 820.10(b)"}
    assert reg.covered_targets(reg.parse_citation("21 CFR 820.45(a)")) == {"21 CFR 820.45(a)"}
    assert reg.covered_targets(reg.parse_citation("ISO 13485:2016 4.1.2 b)")) == {
        "ISO 13485:2016 4.1.2"
    }


def test_coverage_counts_questions_per_citation() -> None:
    report = coverage(load_template(FIXTURES / "minimal-v1.yaml"))
    assert report.question_count == 3
    assert report.cited["ISO 13485:2016 4.2.3"] == 1
    assert report.cited["21 CFR 807"] == 1
    assert report.targets["ISO 13485:2016 4.2.4"] == 1
    assert "ISO 13485:2016 8.5.2" in report.uncovered
    assert "ISO 13485:2016 4.2.3" not in report.uncovered


def test_shipped_crosswalk_loads_and_is_labelled_industry_derived() -> None:
    cw = load_crosswalk()
    assert set(cw.sections) == set(reg.LEGACY_SECTIONS)
    link = cw.link("820.198(e)")
    assert (link.section, link.title) == ("820.198", "Complaint files")
    assert "820.35(a)" in link.qmsr_hooks
    assert link.what_changed
    assert link.provenance == INDUSTRY_DERIVED_LABEL
    assert cw.cp_areas_for_subsystem("Design Controls")


def test_legacy_title_for_widgets() -> None:
    assert legacy_title("820.198(e)") == "Complaint files"
    assert legacy_title("820.999") == ""


def test_legacy_lookup_prefers_question_then_element() -> None:
    cw = load_crosswalk()
    content = load_template(FIXTURES / "minimal-v1.yaml")
    assert [x.reference for x in cw.legacy_for(content, question_id="MO-05-Q01")] == ["820.181"]
    content["areas"][0]["elements"][0]["questions"][0]["legacy"] = []
    assert [x.section for x in cw.legacy_for(content, question_id="MO-05-Q01")] == ["820.181"]
    assert [x.title for x in cw.legacy_for(content, element_id="MO-05")] == ["Device master record"]
    assert cw.legacy_for(content, question_id="MO-06-Q01") == []
    assert cw.legacy_for(content, question_id="NOPE-Q01") == []


def test_broken_crosswalk_is_rejected_with_lines(tmp_path: Path) -> None:
    src = resource_path("crosswalks")
    text = (src / "qsr-to-qmsr.yaml").read_text(encoding="utf-8")
    bad = text.replace('section: "820.25"', 'section: "820.26"', 1)
    (tmp_path / "qsr-to-qmsr.yaml").write_text(bad, encoding="utf-8")
    qsit = (src / "qsit-to-cp.yaml").read_text(encoding="utf-8").replace("[MO]", "[XX]", 1)
    (tmp_path / "qsit-to-cp.yaml").write_text(qsit, encoding="utf-8")
    messages = [str(i) for i in load_qsr_file(tmp_path / "qsr-to-qmsr.yaml").issues]
    assert any('"820.26" is not a section of the legacy QSR' in m for m in messages)
    assert any("legacy sections missing: 820.25" in m for m in messages)
    qsit_issues = load_qsit_file(tmp_path / "qsit-to-cp.yaml").issues
    assert any('"XX" is not a CP 7382.850 area ID' in i.message for i in qsit_issues)
    with pytest.raises(TemplateValidationError):
        load_crosswalk(tmp_path)
