"""Templates typed in memory (issue 9 item 4): parsed once per SHA-256, lookups by ID agree
with the stored content, and a snapshot that does not fit the format is refused in one line."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pytest

from qmsr_ready.core.errors import TemplateInvalid
from qmsr_ready.core.library.loader import load_template
from qmsr_ready.core.resources import resource_path
from qmsr_ready.core.template_content import (
    TemplateCache,
    TemplateSnapshot,
    content_sha256,
    typed_content,
    typed_template,
)

CONTENT = load_template(resource_path("checklists") / "fda-qmsr.yaml")


class CountingSnapshot:
    """A stored snapshot that counts how often its (deferred) content is read."""

    def __init__(self, content: Mapping[str, Any]) -> None:
        self.sha256 = content_sha256(content)
        self._content = content
        self.reads = 0

    @property
    def content(self) -> Mapping[str, Any]:
        self.reads += 1
        return self._content


def test_a_snapshot_is_parsed_once_per_sha256_and_its_content_read_only_on_a_miss() -> None:
    cache = TemplateCache()
    first, second = CountingSnapshot(CONTENT), CountingSnapshot(CONTENT)
    typed = typed_template(first, cache)
    for _ in range(5):
        assert typed_template(second, cache) is typed
    assert cache.parses == 1
    assert (first.reads, second.reads) == (1, 0)

    other = {**CONTENT, "version": "9.9"}
    assert typed_template(CountingSnapshot(other), cache).version == "9.9"
    assert cache.parses == 2
    assert typed_content(CONTENT, cache) is typed  # raw content finds the same entry by hash
    assert cache.parses == 2


def test_the_cache_is_bounded() -> None:
    cache = TemplateCache(size=2)
    versions = ("1.1", "1.2", "1.3")
    for v in versions:
        typed_template(CountingSnapshot({**CONTENT, "version": v}), cache)
    typed_template(CountingSnapshot({**CONTENT, "version": "1.3"}), cache)
    assert cache.parses == 3
    typed_template(CountingSnapshot({**CONTENT, "version": "1.1"}), cache)  # evicted: parsed again
    assert cache.parses == 4


def test_lookups_by_id_return_what_the_raw_content_holds() -> None:
    typed = typed_template(TemplateSnapshot.from_content(CONTENT), TemplateCache())
    assert (typed.key, typed.version, typed.title, typed.basis) == (
        CONTENT["key"], CONTENT["version"], CONTENT["title"], CONTENT["basis"])
    assert [a.id for a in typed.areas] == [a["id"] for a in CONTENT["areas"]]
    raw_questions = []
    for area in CONTENT["areas"]:
        got_area = typed.area(area["id"])
        assert got_area is not None
        assert (got_area.title, got_area.kind) == (area["title"], area["kind"])
        for el in area["elements"]:
            got = typed.element(el["id"])
            assert got is not None
            assert (got.area_id, got.title, got.model2_minimum, got.sterile_only) == (
                area["id"], el["title"], el["model2_minimum"], el["sterile_only"])
            assert got.iso_clauses == tuple(el["iso_clauses"])
            assert got.legacy_sections == tuple(el["legacy_sections"])
            assert got.risk_signals == tuple(el.get("risk_signals") or ())
            assert (got.applies_if is None) == ("applies_if" not in el)
            for q in el["questions"]:
                raw_questions.append(q["id"])
                tq = typed.question(q["id"])
                assert tq is not None
                assert (tq.element_id, tq.area_id, tq.text, tq.weight, tq.risk_focus) == (
                    el["id"], area["id"], q["text"], q["weight"], q["risk_focus"])
                assert tq.citations == tuple(q["citations"])
                assert tq.legacy == tuple(q["legacy"])
                assert tq.records_to_sample == tuple(q["records_to_sample"])
                assert tq.guidance.look_at == q["guidance"]["look_at"]
    assert [q.id for q in typed.questions] == raw_questions
    assert [q.id for _a, _e, q in typed.walk()] == raw_questions
    assert typed.question("NOPE-01-Q01") is None
    assert typed.element("NOPE-01") is None


def test_the_typed_template_is_frozen() -> None:
    typed = typed_template(TemplateSnapshot.from_content(CONTENT), TemplateCache())
    with pytest.raises(dataclasses.FrozenInstanceError):
        typed.questions[0].weight = 3  # type: ignore[misc]  # the point: assignment refused
    with pytest.raises(TypeError):
        typed._questions["X"] = typed.questions[0]  # type: ignore[index]  # read-only index


def test_a_snapshot_that_does_not_fit_the_format_is_refused_in_one_line() -> None:
    broken = {**CONTENT, "areas": [{**CONTENT["areas"][0], "kind": "mystery"}]}
    with pytest.raises(TemplateInvalid) as caught:
        typed_template(CountingSnapshot(broken), TemplateCache())
    message = str(caught.value)
    assert "\n" not in message
    assert "areas.0.kind" in message
    assert f"{CONTENT['key']} {CONTENT['version']}" in message
