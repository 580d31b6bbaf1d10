"""Helpers shared by the services: lookups by code, validation, codes, change sets."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from qmsr_ready.core.errors import InspectionLocked, InvalidInput, NotFound
from qmsr_ready.core.models import Inspection, Site
from qmsr_ready.core.template_content import QuestionRef, TemplateIndexCache
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

E = TypeVar("E", bound=Enum)


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


_TEMPLATE_INDEXES = TemplateIndexCache()


def question_ref(insp: Inspection, question_id: str) -> QuestionRef:
    """The question in the inspection's template snapshot, or ``InvalidInput``."""
    tpl = insp.template  # content is deferred: only a cache miss parses the snapshot
    ref = _TEMPLATE_INDEXES.get(tpl.sha256, lambda: tpl.content).get(question_id)
    if ref is None:
        tpl = insp.template
        raise InvalidInput(
            f"Unknown question ID {question_id!r} for template {tpl.key} {tpl.version} "
            f"used by inspection {insp.code}."
        )
    return ref


def choice(value: Any, enum_cls: type[E], what: str) -> E:
    """Parse a vocabulary value, naming the allowed ones when it is wrong."""
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_cls)
        raise InvalidInput(f"{value!r} is not a valid {what}; use one of: {allowed}.") from None


LONG_TEXT = 32_767  # Excel's cell limit: a longer text could not go out in a pack and come back
MAX_COUNT = 1_000_000_000  # a sample or population beyond this is a typing slip (and overflows SQL)


def _check_encodable(value: str, what: str) -> None:
    """Text must be valid Unicode: a lone surrogate cannot be stored, exported or audited."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"{what} contains a character that is not valid text (position {exc.start + 1}); "
            "retype or paste it again."
        ) from exc


def text_value(value: Any, what: str, *, required: bool = False, max_len: int | None = None) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text.")
    _check_encodable(value, what)
    # One spelling per name: "Zoë" typed composed or decomposed must filter and sort as one.
    value = unicodedata.normalize("NFC", value)
    value = value.strip() if required else value
    if required and not value:
        raise InvalidInput(f"{what} must not be empty.")
    if max_len is not None and len(value) > max_len:
        raise InvalidInput(f"{what} is too long ({len(value)} characters; at most {max_len}).")
    return value


def lines_value(value: Any, what: str) -> str:
    """Accept text or a sequence of strings; store one entry per line."""
    if isinstance(value, str):
        _check_encodable(value, what)
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Iterable):
        items = [str(v).strip() for v in value]
        joined = "\n".join(i for i in items if i)
        _check_encodable(joined, what)
        return unicodedata.normalize("NFC", joined)
    raise InvalidInput(f"{what} must be text or a list of text.")


def int_value(value: Any, what: str, *, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what} must be a whole number, not {value!r}.")
    if low is not None and value < low:
        bound = f"{low}..{high}" if high is not None and high - low < 100 else f"at least {low}"
        raise InvalidInput(f"{what} must be {bound}, not {value}.")
    if high is not None and value > high:
        bound = f"{low}..{high}" if low is not None and high - low < 100 else f"at most {high:,}"
        raise InvalidInput(f"{what} must be {bound}, not {value}.")
    return value


def optional_int(value: Any, what: str, *, low: int = 0) -> int | None:
    return None if value is None else int_value(value, what, low=low, high=MAX_COUNT)


def date_value(value: Any, what: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise InvalidInput(f"{what} must be a date without a time.")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(f"{what} must be a date like 2026-05-31, not {value!r}.") from None
    raise InvalidInput(f"{what} must be a date, not {value!r}.")


def bool_value(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{what} must be true or false.")
    return value


def names_value(value: Any, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInput(f"{what} must be a list of names.")
    return [str(v).strip() for v in value if str(v).strip()]


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
