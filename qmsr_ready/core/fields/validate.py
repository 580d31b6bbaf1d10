"""Turn what a caller passes into what a service stores, or refuse it with one clear line.

``field_value`` validates by a field's spec (its kind, limits, vocabulary and label), so a
service enforces exactly the limits the workbook import and the merge read from the same spec.
The typed helpers below it are what ``field_value`` uses and what services call for the few
values that have no entity spec (an inspection code, a signer name).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from enum import Enum
from typing import Any, TypeVar

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.fields import messages
from qmsr_ready.core.fields.spec import (
    MAX_COUNT,
    FieldKind,
    FieldSpec,
    date_range_problem,
    length_problem,
)

E = TypeVar("E", bound=Enum)
# Not characters at all (Unicode noncharacters XML 1.0 also excludes): a paste that carries one
# would make a workbook nothing opens, so entry refuses them with a message.
_NONCHARACTERS = ("\ufffe", "\uffff")


def field_value(spec: FieldSpec, value: Any) -> Any:
    """``value`` checked against ``spec`` as the service stores it; ``InvalidInput`` if not.

    IDS fields come back as a de-duplicated list; whether each ID exists is the service's check
    (it needs the inspection).
    """
    what = spec.label
    if spec.kind is FieldKind.TEXT:
        if spec.lines and not isinstance(value, str):
            value = lines_value(value, what)
        return text_value(value, what, required=spec.required, max_len=spec.max_len)
    if spec.kind is FieldKind.INT:
        if value is None and not spec.required:
            return None
        low = spec.low if spec.low is not None else 0
        high = spec.high if spec.high is not None else MAX_COUNT
        return int_value(value, what, low=low, high=high)
    if spec.kind is FieldKind.CHOICE:
        return choice_value(value, spec)
    if spec.kind is FieldKind.BOOL:
        return bool_value(value, what)
    if spec.kind is FieldKind.DATE:
        day = date_value(value, what)
        problem = spec.date_problem(day)
        if problem:
            raise InvalidInput(problem + ".")
        return day
    if spec.kind is FieldKind.IDS:
        return ids_value(value, what)
    raise InvalidInput(f"{what} cannot be set here.")  # DATETIME: the service reads times itself


def choice_value(value: Any, spec: FieldSpec) -> str:
    """A stored vocabulary value of ``spec`` (the stored form, not its label)."""
    allowed = tuple(spec.labels or ())
    if isinstance(value, Enum):
        value = value.value
    if value not in allowed:
        raise InvalidInput(messages.not_in_list(spec.label.lower(), value, allowed) + ".")
    return str(value)


def ids_value(value: Any, what: str) -> list[str]:
    """One ID or a list of them, duplicates dropped, order kept."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise InvalidInput(f"{what} must be a list of IDs, not {value!r}.")
    return list(dict.fromkeys(str(v) for v in value))


def choice(value: Any, enum_cls: type[E], what: str) -> E:
    """Parse a vocabulary value, naming the allowed ones when it is wrong."""
    try:
        return enum_cls(value)
    except ValueError:
        allowed = [str(m.value) for m in enum_cls]
        raise InvalidInput(messages.not_in_list(what, value, allowed) + ".") from None


def _check_encodable(value: str, what: str) -> None:
    """Text must be valid Unicode: a lone surrogate cannot be stored, exported or audited; and
    no NUL, which PostgreSQL refuses in text (one rule on both backends, so a file can always
    be copied or merged into a server)."""
    if "\x00" in value:
        raise InvalidInput(
            f"{what} contains a NUL character (position {value.index(chr(0)) + 1}), which cannot "
            "be stored; remove it and save again."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"{what} contains a character that is not valid text (position {exc.start + 1}); "
            "retype or paste it again."
        ) from exc
    for bad in _NONCHARACTERS:
        if bad in value:
            raise InvalidInput(
                f"{what} contains the character U+{ord(bad):04X} (position "
                f"{value.index(bad) + 1}), which is not text and which no spreadsheet can "
                "hold; remove it and save again."
            )


def text_value(value: Any, what: str, *, required: bool = False, max_len: int | None = None) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text.")
    text: str = value
    _check_encodable(text, what)
    # One spelling per name: "Zoë" typed composed or decomposed must filter and sort as one.
    text = unicodedata.normalize("NFC", text)
    text = text.strip() if required else text
    if required and not text:
        raise InvalidInput(messages.empty(what) + ".")
    problem = length_problem(what, text, max_len)
    if problem:
        raise InvalidInput(problem + ".")
    return text


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
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidInput(messages.out_of_range(what, value, low, high) + ".")
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


def ranged_date_value(value: Any, what: str) -> dt.date | None:
    """A date within the app's one date range (``date_range_problem``), or None."""
    day = date_value(value, what)
    problem = date_range_problem(what, day)
    if problem:
        raise InvalidInput(problem + ".")
    return day


def bool_value(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{what} must be true or false.")
    return value


def names_value(value: Any, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidInput(f"{what} must be a list of names.")
    names = [str(v).strip() for v in value if str(v).strip()]
    for name in names:
        _check_encodable(name, what)
    return names
