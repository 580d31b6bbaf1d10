"""Pydantic models of a checklist template (docs/template-format.md).

These check shape only: keys, types, ID patterns, ranges. Cross-references (duplicate IDs,
citations against the registry, legacy sections) live in ``validate.py`` so that every problem
in a file is reported in one pass, even where the shape is broken.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from qmsr_ready.core.fields.entities import PROFILE_BOOL_FIELDS as SITE_PROFILE_BOOL_FIELDS
from qmsr_ready.core.vocab import Result

KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
VERSION_PATTERN = r"^[0-9]+(\.[0-9]+){0,3}$"
AREA_ID_PATTERN = r"^[A-Z]{2,6}$"
ELEMENT_ID_PATTERN = r"^[A-Z]{2,6}-[0-9]{2,3}$"
QUESTION_ID_PATTERN = r"^[A-Z]{2,6}-[0-9]{2,3}-Q[0-9]{2,3}$"

AREA_KINDS = ("qms_area", "oafr", "general", "gap_assessment")
CONFIDENCE_LEVELS = ("confirmed", "source-g", "unconfirmed")
DEFAULT_RESPONSE_SCALE: tuple[str, ...] = tuple(r.value for r in Result)

# Site profile fields an applies_if condition may test (docs/services-api.md, SiteProfile);
# declared once in the SITE field spec.
PROFILE_LIST_FIELDS = ("device_classes",)
PROFILE_BOOL_FIELDS = SITE_PROFILE_BOOL_FIELDS
PROFILE_FIELDS = PROFILE_LIST_FIELDS + PROFILE_BOOL_FIELDS

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
Version = Annotated[str, StringConstraints(pattern=VERSION_PATTERN)]
AreaId = Annotated[str, StringConstraints(pattern=AREA_ID_PATTERN)]
ElementId = Annotated[str, StringConstraints(pattern=ELEMENT_ID_PATTERN)]
QuestionId = Annotated[str, StringConstraints(pattern=QUESTION_ID_PATTERN)]
Confidence = Literal["confirmed", "source-g", "unconfirmed"]


class _Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must never be silently dropped."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Guidance(_Strict):
    look_at: Text
    good_looks_like: Text
    weak_spots: Text


class Condition(_Strict):
    """One test on a site profile field: ``is`` for booleans, ``contains_any`` for lists."""

    field: str
    is_: StrictBool | None = Field(default=None, alias="is")
    contains_any: list[Text] | None = None

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class AppliesIf(_Strict):
    any_of: list[Condition] | None = None
    all_of: list[Condition] | None = None
    not_applicable_reason: Text


class Question(_Strict):
    id: QuestionId
    text: Text
    guidance: Guidance
    records_to_sample: list[Text] = Field(min_length=1)
    citations: list[str] = Field(min_length=1)
    legacy: list[str] = Field(default_factory=list)
    weight: int = Field(ge=1, le=3)
    risk_focus: StrictBool = False
    confidence: Confidence | None = None
    note: Text | None = None


class Element(_Strict):
    id: ElementId
    title: Text
    iso_clauses: list[str] = Field(default_factory=list)
    qmsr_hooks: list[str] = Field(default_factory=list)
    legacy_sections: list[str] = Field(default_factory=list)
    model2_minimum: StrictBool = False
    sterile_only: StrictBool = False
    applies_if: AppliesIf | None = None
    # Product-risk signals (vocab.RiskSignal values) that point the planner here; names are
    # checked in validate.py. Absent, not [], so templates without it keep their hash.
    risk_signals: list[Text] | None = None
    confidence: Confidence | None = None
    note: Text | None = None
    questions: list[Question] = Field(min_length=1)


class Area(_Strict):
    id: AreaId
    title: Text
    kind: Literal["qms_area", "oafr", "general", "gap_assessment"]
    description: Text | None = None
    elements: list[Element] = Field(min_length=1)


class Template(_Strict):
    key: Key
    version: Version
    title: Text
    description: Text
    basis: Text
    response_scale: list[str] = Field(default_factory=lambda: list(DEFAULT_RESPONSE_SCALE))
    areas: list[Area] = Field(min_length=1)


def to_content(template: Template) -> dict[str, object]:
    """The validated template as plain JSON types, defaults filled, absent optionals omitted.

    This is what an inspection snapshots and hashes, so consumers can rely on every key with a
    default (``model2_minimum``, ``legacy``…) being present.
    """
    return template.model_dump(mode="json", by_alias=True, exclude_none=True)
