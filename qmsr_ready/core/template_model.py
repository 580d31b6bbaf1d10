"""A template snapshot as frozen, typed objects with lookups by element and question ID.

Built from the validated schema model (``core/library/schema.py``) once per SHA-256 by
``template_content.typed_template``, so services, the report and the planner read attributes
with their real types and defaults instead of walking the stored JSON with ``.get(…, "")``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the library package imports template_content: import the schema lazily
    from qmsr_ready.core.library import schema


@dataclass(frozen=True, slots=True)
class TemplateGuidance:
    look_at: str
    good_looks_like: str
    weak_spots: str


@dataclass(frozen=True, slots=True)
class TemplateCondition:
    """One ``applies_if`` test on a site profile field: ``is_`` for booleans, else a list."""

    field: str
    is_: bool | None
    contains_any: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class TemplateAppliesIf:
    any_of: tuple[TemplateCondition, ...] | None
    all_of: tuple[TemplateCondition, ...] | None
    not_applicable_reason: str


@dataclass(frozen=True, slots=True)
class TemplateQuestion:
    id: str
    element_id: str
    area_id: str
    text: str
    guidance: TemplateGuidance
    records_to_sample: tuple[str, ...]
    citations: tuple[str, ...]
    legacy: tuple[str, ...]
    weight: int
    risk_focus: bool
    confidence: str | None
    note: str | None

    @property
    def one_line(self) -> str:
        """The question text with its line breaks and runs of spaces folded (tables, titles)."""
        return " ".join(self.text.split())


@dataclass(frozen=True, slots=True)
class TemplateElement:
    id: str
    area_id: str
    title: str
    iso_clauses: tuple[str, ...]
    qmsr_hooks: tuple[str, ...]
    legacy_sections: tuple[str, ...]
    model2_minimum: bool
    sterile_only: bool
    applies_if: TemplateAppliesIf | None
    risk_signals: tuple[str, ...]  # absent in the file → ()
    confidence: str | None
    note: str | None
    questions: tuple[TemplateQuestion, ...]


@dataclass(frozen=True, slots=True)
class TemplateArea:
    id: str
    title: str
    kind: str
    description: str | None
    elements: tuple[TemplateElement, ...]


@dataclass(frozen=True)
class TypedTemplate:
    """One template version, in template order, with ``area``/``element``/``question`` by ID."""

    sha256: str
    key: str
    version: str
    title: str
    description: str
    basis: str
    response_scale: tuple[str, ...]
    areas: tuple[TemplateArea, ...]
    elements: tuple[TemplateElement, ...] = field(init=False, repr=False, compare=False)
    questions: tuple[TemplateQuestion, ...] = field(init=False, repr=False, compare=False)
    _areas: Mapping[str, TemplateArea] = field(init=False, repr=False, compare=False)
    _elements: Mapping[str, TemplateElement] = field(init=False, repr=False, compare=False)
    _questions: Mapping[str, TemplateQuestion] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen: the flat orders and indexes are derived once, here, from ``areas``.
        elements = tuple(e for a in self.areas for e in a.elements)
        questions = tuple(q for e in elements for q in e.questions)
        object.__setattr__(self, "elements", elements)
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "_areas", MappingProxyType({a.id: a for a in self.areas}))
        object.__setattr__(self, "_elements", MappingProxyType({e.id: e for e in elements}))
        object.__setattr__(self, "_questions", MappingProxyType({q.id: q for q in questions}))

    @property
    def basis_line(self) -> str:
        return " ".join(self.basis.split())

    @property
    def area_ids(self) -> frozenset[str]:
        return frozenset(self._areas)

    def area(self, area_id: str) -> TemplateArea | None:
        return self._areas.get(area_id)

    def element(self, element_id: str) -> TemplateElement | None:
        return self._elements.get(element_id)

    def question(self, question_id: str) -> TemplateQuestion | None:
        return self._questions.get(question_id)

    def walk(self) -> Iterator[tuple[TemplateArea, TemplateElement, TemplateQuestion]]:
        """Every question in template order with the area and element it sits in."""
        for area in self.areas:
            for element in area.elements:
                for question in element.questions:
                    yield area, element, question


def from_schema(model: schema.Template, sha256: str) -> TypedTemplate:
    """Freeze a validated schema model (lists become tuples, absent optionals their default)."""
    return TypedTemplate(
        sha256=sha256,
        key=model.key,
        version=model.version,
        title=model.title,
        description=model.description,
        basis=model.basis,
        response_scale=tuple(model.response_scale),
        areas=tuple(_area(a) for a in model.areas),
    )


def _area(a: schema.Area) -> TemplateArea:
    return TemplateArea(
        id=a.id, title=a.title, kind=a.kind, description=a.description,
        elements=tuple(_element(e, a.id) for e in a.elements),
    )


def _element(e: schema.Element, area_id: str) -> TemplateElement:
    return TemplateElement(
        id=e.id, area_id=area_id, title=e.title,
        iso_clauses=tuple(e.iso_clauses), qmsr_hooks=tuple(e.qmsr_hooks),
        legacy_sections=tuple(e.legacy_sections),
        model2_minimum=e.model2_minimum, sterile_only=e.sterile_only,
        applies_if=_applies_if(e.applies_if) if e.applies_if is not None else None,
        risk_signals=tuple(e.risk_signals or ()), confidence=e.confidence, note=e.note,
        questions=tuple(_question(q, e.id, area_id) for q in e.questions),
    )


def _applies_if(r: schema.AppliesIf) -> TemplateAppliesIf:
    def conditions(cs: list[schema.Condition] | None) -> tuple[TemplateCondition, ...] | None:
        if cs is None:
            return None
        return tuple(
            TemplateCondition(
                c.field, c.is_, tuple(c.contains_any) if c.contains_any is not None else None
            )
            for c in cs
        )

    return TemplateAppliesIf(conditions(r.any_of), conditions(r.all_of), r.not_applicable_reason)


def _question(q: schema.Question, element_id: str, area_id: str) -> TemplateQuestion:
    g = q.guidance
    return TemplateQuestion(
        id=q.id, element_id=element_id, area_id=area_id, text=q.text,
        guidance=TemplateGuidance(g.look_at, g.good_looks_like, g.weak_spots),
        records_to_sample=tuple(q.records_to_sample), citations=tuple(q.citations),
        legacy=tuple(q.legacy), weight=q.weight, risk_focus=q.risk_focus,
        confidence=q.confidence, note=q.note,
    )
