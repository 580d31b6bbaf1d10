"""Read-only helpers over a template's parsed content (the dict stored in every snapshot).

Services, the report model and the exports all walk areas → elements → questions the same way;
this module is that one walk, plus the canonical hash that identifies a template version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


def canonical_json(obj: Any) -> str:
    """Serialise ``obj`` deterministically (sorted keys, no spaces, UTF-8 kept)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(content: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a template's content."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TemplateSnapshot:
    """What an inspection keeps of the template it started from."""

    key: str
    version: str
    title: str
    content: dict[str, Any]
    sha256: str

    @classmethod
    def from_content(cls, content: dict[str, Any]) -> TemplateSnapshot:
        return cls(
            key=str(content["key"]),
            version=str(content["version"]),
            title=str(content.get("title", "")),
            content=content,
            sha256=content_sha256(content),
        )


@dataclass(frozen=True)
class QuestionRef:
    """One question with the area and element it sits in (plain dicts from the content)."""

    area: dict[str, Any]
    element: dict[str, Any]
    question: dict[str, Any]

    @property
    def question_id(self) -> str:
        return str(self.question["id"])

    @property
    def element_id(self) -> str:
        return str(self.element["id"])

    @property
    def area_id(self) -> str:
        return str(self.area["id"])

    @property
    def weight(self) -> int:
        return int(self.question.get("weight", 1))


def iter_areas(content: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    yield from content.get("areas", [])


def iter_elements(content: Mapping[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Yield ``(area, element)`` pairs in template order."""
    for area in iter_areas(content):
        for element in area.get("elements", []):
            yield area, element


def iter_questions(content: Mapping[str, Any]) -> Iterator[QuestionRef]:
    """Yield every question in template order with its area and element."""
    for area, element in iter_elements(content):
        for question in element.get("questions", []):
            yield QuestionRef(area, element, question)


def question_index(content: Mapping[str, Any]) -> dict[str, QuestionRef]:
    """Map question ID → reference, for lookups by stable ID."""
    return {ref.question_id: ref for ref in iter_questions(content)}


class TemplateIndexCache:
    """Question indexes by template SHA-256: a snapshot never changes, so it is parsed once.

    A save then costs the same for a 40- and a 400-question template. Bounded, so a session
    that opens many templates does not grow without end.
    """

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._indexes: dict[str, dict[str, QuestionRef]] = {}

    def get(self, sha256: str, load: Callable[[], Mapping[str, Any]]) -> dict[str, QuestionRef]:
        index = self._indexes.get(sha256)
        if index is None:
            index = question_index(load())
            if len(self._indexes) >= self._size:
                self._indexes.pop(next(iter(self._indexes)))
            self._indexes[sha256] = index
        return index


def element_index(content: Mapping[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Map element ID → ``(area, element)``."""
    return {str(element["id"]): (area, element) for area, element in iter_elements(content)}
