"""Helpers shared by the services: lookups by code, validation, codes, change sets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

# The validation helpers live with the field specs; the services import them from here.
from qmsr_ready.core.errors import InspectionLocked, InvalidInput, NotFound
from qmsr_ready.core.fields.spec import LONG_TEXT as LONG_TEXT
from qmsr_ready.core.fields.spec import MAX_COUNT as MAX_COUNT
from qmsr_ready.core.fields.validate import bool_value as bool_value
from qmsr_ready.core.fields.validate import choice as choice
from qmsr_ready.core.fields.validate import date_value as date_value
from qmsr_ready.core.fields.validate import field_value as field_value
from qmsr_ready.core.fields.validate import int_value as int_value
from qmsr_ready.core.fields.validate import lines_value as lines_value
from qmsr_ready.core.fields.validate import names_value as names_value
from qmsr_ready.core.fields.validate import optional_int as optional_int
from qmsr_ready.core.fields.validate import ranged_date_value as ranged_date_value
from qmsr_ready.core.fields.validate import text_value as text_value
from qmsr_ready.core.models import Inspection, Site
from qmsr_ready.core.template_content import typed_template
from qmsr_ready.core.template_model import TemplateQuestion
from qmsr_ready.core.vocab import InspectionStatus


class _Unset:
    """Marks a keyword that the caller did not pass (so ``None`` can mean "clear")."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()

def get_site(session: Session, code: str) -> Site:
    site = session.execute(select(Site).where(Site.code == code)).scalar_one_or_none()
    if site is None:
        raise NotFound(f"No site with code {code!r}.")
    return site


def get_inspection(session: Session, code: str, *, with_template: bool = False) -> Inspection:
    """The inspection by code; ``with_template`` loads its template row in the same query (a
    save then needs no second read for ``question_ref``)."""
    stmt = select(Inspection).where(Inspection.code == code)
    if with_template:
        stmt = stmt.options(joinedload(Inspection.template))
    insp = session.execute(stmt).scalar_one_or_none()
    if insp is None:
        raise NotFound(f"No inspection with code {code!r}.")
    return insp


def writable_inspection(session: Session, code: str, *, with_template: bool = False) -> Inspection:
    """The inspection, or ``InspectionLocked`` when it is signed off."""
    insp = get_inspection(session, code, with_template=with_template)
    if insp.status == InspectionStatus.SIGNED_OFF:
        raise InspectionLocked(
            f"Inspection {code} is signed off and cannot be changed; reopen it with a reason first."
        )
    return insp


def question_ref(insp: Inspection, question_id: str) -> TemplateQuestion:
    """The question in the inspection's template snapshot, or ``InvalidInput``."""
    tpl = insp.template  # content is deferred: only a cache miss parses the snapshot
    ref = typed_template(tpl).question(question_id)
    if ref is None:
        tpl = insp.template
        raise InvalidInput(
            f"Unknown question ID {question_id!r} for template {tpl.key} {tpl.version} "
            f"used by inspection {insp.code}."
        )
    return ref


def next_code(existing: Iterable[str], prefix: str, width: int = 3) -> str:
    """``prefix`` + one more than the highest number already used (``F-`` → ``F-004``)."""
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    numbers = [int(m.group(1)) for c in existing if (m := pattern.match(c))]
    return f"{prefix}{(max(numbers) + 1) if numbers else 1:0{width}d}"


def apply_changes(obj: Any, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set attributes and return ``{field: [old, new]}`` for those that really changed."""
    changes: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if _comparable(old) != _comparable(new):
            changes[name] = [old, new]
            setattr(obj, name, new)
    return changes


def _comparable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


def unknown_fields(fields: Mapping[str, Any], allowed: Sequence[str], what: str) -> None:
    extra = sorted(set(fields) - set(allowed))
    if extra:
        raise InvalidInput(
            f"{what} has no editable field {extra[0]!r}; editable: {', '.join(allowed)}."
        )
