"""A template's content: its canonical hash, and its typed form parsed once per hash.

Services, the report, the planner and the exports read a snapshot through ``typed_template``
(frozen objects with lookups by ID, ``template_model.py``). The dict walks at the end read raw
content as stored, for checks of the files themselves (tests, benchmarks); nothing at run
time walks a snapshot's JSON.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from qmsr_ready.core.errors import TemplateInvalid
from qmsr_ready.core.template_model import TypedTemplate, from_schema


def canonical_json(obj: Any) -> str:
    """Serialise ``obj`` deterministically (sorted keys, no spaces, UTF-8 kept)."""
    return _CANONICAL.encode(obj)


# What json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) builds on every
# call (any non-default option makes it construct a new encoder): built once, as a save hashes
# a dozen values (row state, event hash) and the construction was half of each.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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


class _Snapshot(Protocol):
    """A stored or loaded template version: its hash, and its content (read only on a miss)."""

    @property
    def sha256(self) -> str: ...

    @property
    def content(self) -> Mapping[str, Any]: ...


class TemplateCache:
    """Typed templates by SHA-256: a snapshot never changes, so it is parsed once.

    A save then costs the same for a 40- and a 400-question template. Bounded, so a session
    that opens many templates does not grow without end; ``parses`` counts the misses.
    """

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._templates: dict[str, TypedTemplate] = {}
        self._lock = threading.Lock()
        self.parses = 0

    def get(self, sha256: str, load: Callable[[], Mapping[str, Any]]) -> TypedTemplate:
        with self._lock:
            found = self._templates.get(sha256)
            if found is not None:
                return found
            typed = parse_template(load(), sha256)
            self.parses += 1
            if len(self._templates) >= self._size:
                self._templates.pop(next(iter(self._templates)))
            self._templates[sha256] = typed
            return typed


_CACHE = TemplateCache()


def typed_template(snapshot: _Snapshot, cache: TemplateCache | None = None) -> TypedTemplate:
    """The typed template of a snapshot (ORM row, ``TemplateSnapshot``, loaded template).

    The content is read only when this hash was not parsed before (it is deferred on the row).
    """
    return (cache or _CACHE).get(snapshot.sha256, lambda: snapshot.content)


def typed_by_sha256(sha256: str, load: Callable[[], Mapping[str, Any]]) -> TypedTemplate:
    """The typed template stored under ``sha256``; ``load`` reads its content only on a miss."""
    return _CACHE.get(sha256, load)


def typed_content(
    content: Mapping[str, Any] | TypedTemplate, cache: TemplateCache | None = None
) -> TypedTemplate:
    """The typed template of raw content (hashed to find it in the cache); typed passes through."""
    if isinstance(content, TypedTemplate):
        return content
    return (cache or _CACHE).get(content_sha256(content), lambda: content)


def parse_template(content: Mapping[str, Any], sha256: str) -> TypedTemplate:
    """Validate ``content`` against the template schema and freeze it; a snapshot that does not
    fit (damaged, or written by something else) is ``TemplateInvalid`` with its first problem."""
    from pydantic import ValidationError

    from qmsr_ready.core.library.schema import Template

    try:
        model = Template.model_validate(dict(content))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise TemplateInvalid(
            f"Template snapshot {content.get('key', '?')} {content.get('version', '?')} "
            f"(sha256 {sha256[:12]}) does not fit the template format at {where}: "
            f"{first['msg']}. Check a workspace with 'qmsr-ready verify', a template file with "
            "'qmsr-ready templates validate'."
        ) from None
    return from_schema(model, sha256)


def element_index(content: Mapping[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Map element ID → ``(area, element)``."""
    return {str(element["id"]): (area, element) for area, element in iter_elements(content)}
