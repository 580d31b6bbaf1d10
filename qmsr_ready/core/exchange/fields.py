"""The exchange engine's view of the field specs, which now live in ``core.fields``.

Kept so existing imports (``from qmsr_ready.core.exchange.fields import RESPONSE``) still work;
new code imports ``qmsr_ready.core.fields``.
"""

from __future__ import annotations

from qmsr_ready.core.fields.entities import (
    DAY_VOCABULARIES,
    ENTITIES,
    FINDING,
    NOTE,
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
    CellValueError,
    EntitySpec,
    FieldKind,
    FieldSpec,
    clean_text,
    value_hash,
)

__all__ = [
    "DAY_VOCABULARIES",
    "ENTITIES",
    "FINDING",
    "LONG_TEXT",
    "MAX_COUNT",
    "NOTE",
    "REQUEST",
    "RESPONSE",
    "ROSTER",
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
