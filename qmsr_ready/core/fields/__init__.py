"""One field spec per entity: the single definition validation, undo, views and packs read.

``spec`` says what a field spec is, ``entities`` declares every entity's fields, ``validate``
turns a value a caller passes into what a service stores (``InvalidInput`` otherwise) and
``messages`` words every refusal once.
"""

from __future__ import annotations

from qmsr_ready.core.fields.entities import (
    ALL_ENTITIES,
    DAY_VOCABULARIES,
    DEVICE_CLASSES,
    ENTITIES,
    FINDING,
    NOTE,
    PROFILE_BOOL_FIELDS,
    PROFILE_FIELDS,
    REQUEST,
    RESPONSE,
    ROSTER,
    SITE,
    VOCABULARIES,
    entity_spec,
)
from qmsr_ready.core.fields.spec import (
    LONG_TEXT,
    MAX_COUNT,
    SHORT_TEXT,
    CellValueError,
    EntitySpec,
    FieldKind,
    FieldSpec,
    clean_text,
    value_hash,
)

__all__ = [
    "ALL_ENTITIES",
    "DAY_VOCABULARIES",
    "DEVICE_CLASSES",
    "ENTITIES",
    "FINDING",
    "LONG_TEXT",
    "MAX_COUNT",
    "NOTE",
    "PROFILE_BOOL_FIELDS",
    "PROFILE_FIELDS",
    "REQUEST",
    "RESPONSE",
    "ROSTER",
    "SHORT_TEXT",
    "SITE",
    "VOCABULARIES",
    "CellValueError",
    "EntitySpec",
    "FieldKind",
    "FieldSpec",
    "clean_text",
    "entity_spec",
    "value_hash",
]
