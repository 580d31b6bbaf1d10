"""Broken templates are rejected with the right message, path and line (issue 3 item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsr_ready.core.errors import TemplateInvalid
from qmsr_ready.core.library.loader import load_template, load_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "templates"
GOOD = (FIXTURES / "minimal-v1.yaml").read_text(encoding="utf-8")


def _mutate(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, f"fixture anchor not unique: {old!r}"
    return GOOD.replace(old, new)


def _lines_of(text: str, marker: str) -> list[int]:
    """1-based numbers of the lines containing ``marker`` (a trailing newline anchors the end)."""
    found = [n for n, row in enumerate(text.splitlines(), start=1) if marker in row + "\n"]
    assert found, f"marker {marker!r} not in text"
    return found


# (case id, old text, new text, expected path, expected message fragment, line marker)
CASES = [
    ("unknown key", "    kind: general\n", "    kind: general\n    colour: red\n",
     "areas[1].colour", 'unknown key "colour"', "colour: red"),
    ("missing id", "      - id: MO-06\n        title", "      - title",
     "areas[0].elements[1]", 'missing required key "id"', "title: Control of documents"),
    ("duplicate question id", "- id: MO-06-Q01", "- id: MO-05-Q01",
     "areas[0].elements[1].questions[0].id", 'duplicate question ID "MO-05-Q01"',
     "id: MO-05-Q01\n"),
    ("bad area id pattern", "  - id: GI\n", "  - id: gi\n",
     "areas[1].id", '"gi" does not match the required pattern', "- id: gi"),
    ("bad question id pattern", "- id: GI-01-Q01", "- id: GI-01-1",
     "areas[1].elements[0].questions[0].id", '"GI-01-1" does not match', "id: GI-01-1"),
    ("weight 0", "weight: 3", "weight: 0",
     "areas[0].elements[0].questions[0].weight", "weight must be 1, 2 or 3 (got 0)", "weight: 0"),
    ("weight 4", "weight: 2", "weight: 4",
     "areas[1].elements[0].questions[0].weight", "weight must be 1, 2 or 3 (got 4)", "weight: 4"),
    ("unknown citation", '["21 CFR 807"]', '["21 CFR 820.36"]',
     "areas[1].elements[0].questions[0].citations[0]",
     '"21 CFR 820.36" is not a citable 21 CFR section', "820.36"),
    ("iso clause typo", '["ISO 13485:2016 4.2.4"]', '["ISO 13485:2016 7.3.11"]',
     "areas[0].elements[1].questions[0].citations[0]",
     '"ISO 13485:2016 7.3.11" is not a clause', "7.3.11"),
    ("non-canonical citation", '["ISO 13485:2016 4.2.4"]', '["ISO 13485 clause 4.2.4"]',
     "areas[0].elements[1].questions[0].citations[0]",
     'write "ISO 13485:2016 4.2.4"', "clause 4.2.4"),
    ("unknown legacy section", 'legacy: ["820.181"]', 'legacy: ["820.182"]',
     "areas[0].elements[0].questions[0].legacy[0]",
     '"820.182" is not a section of the legacy QSR', "820.182"),
    ("unknown iso clause on element", 'iso_clauses: ["4.2.4", "4.2.5"]',
     'iso_clauses: ["4.2.4", "4.2.9"]', "areas[0].elements[1].iso_clauses[1]",
     '"4.2.9" is not a clause', "4.2.9"),
    ("unknown profile field", "{field: software_in_device, is: true}",
     "{field: has_software, is: true}", "areas[1].elements[0].applies_if.any_of[1].field",
     'unknown site profile field "has_software"', "has_software"),
    ("element with no questions", "        questions:\n          - id: GI-01-Q01",
     "        questions: []\n        unused:\n          - id: GI-01-Q01",
     "areas[1].elements[0].questions", "must not be empty", "questions: []"),
    ("area with no elements", "    kind: general\n    elements:\n      - id: GI-01",
     "    kind: general\n    elements: []\n    unused:\n      - id: GI-01",
     "areas[1].elements", "must not be empty", "elements: []"),
    ("bad kind", "kind: general", "kind: generic",
     "areas[1].kind", '"generic" is not one of', "kind: generic"),
    ("bad response scale value", "basis: >", "response_scale: [conforms, partial]\nbasis: >",
     "response_scale[1]", '"partial" is not a response value', "response_scale"),
    ("wrong type: string for list", 'records_to_sample: ["MDF index"]',
     'records_to_sample: "MDF index"', "areas[0].elements[0].questions[0].records_to_sample",
     "expected a list, got string", 'records_to_sample: "MDF'),
    ("unquoted version", 'version: "1.0"', "version: 1.0",
     "version", "expected a string (quote it), got number 1.0", "version: 1.0"),
    ("bad key format", "key: test-minimal", "key: Test_Minimal",
     "key", '"Test_Minimal" does not match', "key: Test_Minimal"),
    ("question id not matching element", "- id: MO-06-Q01", "- id: MO-07-Q01",
     "areas[0].elements[1].questions[0].id",
     'question ID "MO-07-Q01" must start with its element ID "MO-06-Q"', "MO-07-Q01"),
    ("element id not matching area", "      - id: GI-01\n", "      - id: MO-01\n",
     "areas[1].elements[0].id", 'element ID "MO-01" must start with its area ID "GI-"',
     "- id: MO-01"),
    ("duplicate element across areas", "      - id: MO-06\n", "      - id: MO-05\n",
     "areas[0].elements[1].id", 'duplicate element ID "MO-05"', "      - id: MO-05\n"),
    ("duplicate area id", "  - id: GI\n", "  - id: MO\n",
     "areas[1].id", 'duplicate area ID "MO"', "  - id: MO\n"),
    ("duplicate yaml key", "    kind: general\n", "    kind: general\n    kind: general\n",
     "areas[1].kind", 'duplicate key "kind"', "kind: general"),
    ("unconfirmed without note", '            note: "Test note."\n', "",
     "areas[1].elements[0].questions[0].confidence", 'confidence "unconfirmed" needs a note',
     "confidence: unconfirmed"),
    ("is on a list field", "{field: device_classes, contains_any: [\"II\", \"III\"]}",
     "{field: device_classes, is: true}", "areas[1].elements[0].applies_if.any_of[0].is",
     'is a list: test it with "contains_any"', "field: device_classes"),
    ("hook with 21 CFR prefix", 'qmsr_hooks: ["820.10(a)"]', 'qmsr_hooks: ["21 CFR 820.10(a)"]',
     "areas[0].elements[0].qmsr_hooks[0]", 'write QMSR hooks without "21 CFR"', "qmsr_hooks"),
]  # fmt: skip

# The first occurrence of a duplicate marker is the original; point at the second.
SECOND_OCCURRENCE = {"duplicate question id", "duplicate element across areas",
                     "duplicate area id", "duplicate yaml key"}  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "path", "message", "marker"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_broken_template_is_rejected_with_path_line_and_message(
    request: pytest.FixtureRequest, old: str, new: str, path: str, message: str, marker: str
) -> None:
    text = _mutate(old, new)
    result = load_text(text, "broken.yaml")
    assert not result.ok
    assert result.content is None
    lines = _lines_of(text, marker)
    line = lines[1] if request.node.callspec.id in SECOND_OCCURRENCE else lines[0]
    wanted = [i for i in result.issues if i.path == path and message in i.message]
    assert wanted, "\n".join(str(i) for i in result.issues)
    assert wanted[0].line == line
    assert str(wanted[0]).startswith(f"broken.yaml:{line} {path}: ")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param("", 1, "the file is empty", id="empty file"),
        pytest.param("# only a comment\n", 1, "the file is empty", id="comment only"),
        pytest.param("- a\n- b\n", 1, "top level must be a mapping", id="list at top level"),
        pytest.param("just text\n", 1, "top level must be a mapping", id="scalar at top level"),
        pytest.param("key: x\nareas: [\n  {id: MO\n", 4, "YAML syntax error", id="yaml syntax"),
        pytest.param("key: x\n  bad: indent\n", 2, "YAML syntax error", id="bad indent"),
        pytest.param(
            "key: x\nv: !!python/object:os.system x\n", 2, "could not determine", id="unsafe tag"
        ),
    ],
)
def test_unreadable_documents_name_the_line(text: str, line: int, message: str) -> None:
    result = load_text(text, "x.yaml")
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert issue.line == line
    assert message in issue.message
    assert str(issue).startswith(f"x.yaml:{line}: ")


def test_every_error_is_reported_not_only_the_first() -> None:
    text = GOOD.replace("weight: 3", "weight: 0").replace("kind: general", "kind: nope")
    text = text.replace('["21 CFR 807"]', '["21 CFR 999"]').replace("title: General", "titel: x")
    result = load_text(text, "many.yaml")
    messages = [i.message for i in result.issues]
    assert any("weight must be" in m for m in messages)
    assert any('"nope" is not one of' in m for m in messages)
    assert any("21 CFR 999" in m for m in messages)
    assert any('unknown key "titel"' in m for m in messages)
    assert any('missing required key "title"' in m for m in messages)
    assert [i.line for i in result.issues] == sorted(i.line or 0 for i in result.issues)


def test_valid_fixture_loads_with_defaults_filled() -> None:
    content = load_template(FIXTURES / "minimal-v1.yaml")
    assert content["response_scale"][0] == "conforms"
    element = content["areas"][0]["elements"][1]
    assert element["model2_minimum"] is False
    assert element["legacy_sections"] == []
    condition = content["areas"][1]["elements"][0]["applies_if"]["any_of"][1]
    assert condition == {"field": "software_in_device", "is": True}


def test_load_template_raises_template_invalid_listing_issues(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(_mutate("weight: 3", "weight: 9"), encoding="utf-8")
    with pytest.raises(TemplateInvalid) as info:
        load_template(bad)
    assert "bad.yaml:31 areas[0].elements[0].questions[0].weight" in info.value.message


def test_yaml_alias_bomb_is_refused_quickly_with_a_reason() -> None:
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    result = load_text("\n".join(rows) + "\n", "bomb.yaml")  # 9**9 values if expanded
    assert not result.ok
    assert "expands to more than 200,000 values" in result.issues[0].message
