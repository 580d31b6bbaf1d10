"""What a field spec is: name, label, kind, limits and vocabulary, and its canonical form.

The entity specs built from these live in ``core.fields.entities``. ``canonical`` turns any
side's value (a stored value, a cell read back from Excel or LibreOffice, an audit-trail value)
into one comparable form, so "5" and 5.0, "Minor gap" and "minor_gap", CRLF and LF, or an empty
cell and "" compare equal and never show up as spurious changes; services validate through
``core.fields.validate`` with the same limits and the same wording (``core.fields.messages``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from qmsr_ready.core.fields import messages

# What XML 1.0, so a workbook cell or document property, cannot carry: control characters other
# than tab, LF and CR, lone surrogates, U+FFFE and U+FFFF. A pack drops them from every cell and
# the import's canonical form drops them too, so stored text holding one compares unchanged.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID_SPLIT = re.compile(r"[;,\s]+")
# Excel's cell limit, in UTF-16 code units as Excel and LibreOffice count (an emoji is two): a
# longer text could not go out in a pack and come back whole. Every text limit counts that way.
LONG_TEXT = 32_767
SHORT_TEXT = 255  # names, titles, references: one line
MAX_COUNT = 1_000_000_000  # a sample or population beyond this is a typing slip (and overflows SQL)
# The dates a DATE field accepts, wherever it is typed (a service, a date editor, a workbook
# cell): outside them is a typing slip (5 read as 1900-01-05, 2026 typed 2206), and Excel and
# LibreOffice disagree on days before 1900-03-01.
DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)


class FieldKind(StrEnum):
    TEXT = "text"  # free text (notes, descriptions); one entry per line where lines matter
    INT = "int"  # whole number or empty
    DATE = "date"  # calendar date or empty
    DATETIME = "datetime"  # a moment, UTC, to the minute (what survives a spreadsheet) or empty
    BOOL = "bool"  # yes / no
    CHOICE = "choice"  # one value of a controlled vocabulary
    IDS = "ids"  # a list of stable IDs (question IDs)


class CellValueError(ValueError):
    """A value that cannot be read as its field's kind; the message says what is expected."""


@dataclass(frozen=True)
class FieldSpec:
    """One exchangeable field: how it is named, read, limited and compared."""

    name: str  # the service keyword and model attribute
    label: str  # what people read; also the workbook column header
    kind: FieldKind
    labels: Mapping[str, str] | None = None  # stored value -> label, for CHOICE
    required: bool = False
    max_len: int | None = None
    low: int | None = None
    high: int | None = None
    empty: str = ""  # the stored value an empty CHOICE cell means (e.g. "not_assessed")
    lines: bool = False  # TEXT that a service also takes as a list, one entry per line
    editable: bool = True  # False: set by its own operation (a status move), not by an edit

    @property
    def default(self) -> Any:
        """The canonical value of a field never set (an unanswered question, an empty cell)."""
        return {
            FieldKind.TEXT: "",
            FieldKind.INT: None,
            FieldKind.DATE: None,
            FieldKind.DATETIME: None,
            FieldKind.BOOL: False,
            FieldKind.CHOICE: self.empty,
            FieldKind.IDS: (),
        }[self.kind]

    def canonical(self, value: Any) -> Any:
        """The comparable form of ``value``; ``CellValueError`` when it cannot be one."""
        return _CANONICAL[self.kind](self, value)

    def display(self, value: Any) -> str:
        """How a canonical value reads in a preview, the CLI and the audit trail."""
        if value is None or value == "" or value == ():
            return ""
        if self.kind is FieldKind.CHOICE and self.labels:
            return self.labels.get(value, str(value))
        if self.kind is FieldKind.BOOL:
            return "Yes" if value else "No"
        if self.kind is FieldKind.DATETIME:
            return f"{value:%Y-%m-%d %H:%M} UTC"
        if self.kind is FieldKind.DATE:
            return str(value.isoformat())
        if self.kind is FieldKind.IDS:
            return "; ".join(value)
        return str(value)

    @property
    def int_limits(self) -> tuple[int, int]:
        """The inclusive range an INT field accepts (what an input widget must allow, no less)."""
        low = self.low if self.low is not None else 0
        high = self.high if self.high is not None else MAX_COUNT
        return low, high

    @property
    def date_limits(self) -> tuple[dt.date, dt.date]:
        """The inclusive range a DATE field accepts (a date editor's minimum and maximum)."""
        return DATE_MIN, DATE_MAX

    def date_problem(self, value: dt.date | None) -> str:
        """Why a canonical DATE value is outside ``date_limits`` ("" when it is not)."""
        return date_range_problem(self.label, value)

    def to_service(self, value: Any) -> Any:
        """The canonical value as the service keyword takes it."""
        if self.kind is FieldKind.IDS:
            return list(value)
        return value


@dataclass(frozen=True)
class EntitySpec:
    """An exchanged record type: its workbook sheet, key column and editable fields."""

    entity: str  # "response", "finding", ...
    label: str  # "Response", "Finding"
    sheet: str  # workbook sheet that carries it
    key_label: str  # the key column header ("Question ID")
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def editable_fields(self) -> tuple[str, ...]:
        """What an edit (service ``update_*``, an undo step) may change, in spec order."""
        return tuple(f.name for f in self.fields if f.editable)

    @property
    def field_labels(self) -> dict[str, str]:
        """Field name -> label, for views and renderers."""
        return {f.name: f.label for f in self.fields}

    def label_of(self, name: str) -> str:
        """The label people read for field ``name`` (a workbook header, a PDF caption)."""
        return self.field(name).label

    def defaults(self) -> dict[str, Any]:
        return {f.name: f.default for f in self.fields}


# -- canonical forms ------------------------------------------------------------------------


def cell_length(text: str) -> int:
    """How long ``text`` is as a spreadsheet counts it: UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def length_problem(what: str, text: str, limit: int | None) -> str:
    """Why ``text`` is over ``limit`` (counted as a spreadsheet counts), or ""."""
    if limit is None or len(text) <= limit // 2:  # even all emoji would fit: no encoding
        return ""
    units = cell_length(text)
    if units <= limit:
        return ""
    return messages.too_long(what, units, limit, counted_as_cells=units != len(text))


def cut_by_spreadsheet(mine: Any, theirs: Any) -> bool:
    """Whether ``theirs`` is ``mine`` cut at a spreadsheet's cell limit (LibreOffice keeps the
    first 32,767 UTF-16 units of a longer text when it saves, without a word)."""
    return (isinstance(mine, str) and isinstance(theirs, str) and len(theirs) < len(mine)
            and cell_length(theirs) >= LONG_TEXT - 1 and cell_length(mine) > LONG_TEXT
            and mine.startswith(theirs))


def clean_text(value: str) -> str:
    """NFC, LF line ends, nothing XML cannot carry: what a workbook round trip can keep."""
    value = unicodedata.normalize("NFC", value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return NOT_XML.sub("", value) if NOT_XML.search(value) else value


def _text(spec: FieldSpec, value: Any) -> str:
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = clean_text(value)
    elif isinstance(value, bool):
        raise CellValueError(f"{spec.label} must be text, not {value!r}")
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))  # a number typed into a text cell reads back as 5.0
    elif isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, dt.datetime | dt.date):
        text = value.isoformat()
    else:
        raise CellValueError(f"{spec.label} must be text, not {type(value).__name__}")
    if spec.required and not text.strip():
        raise CellValueError(messages.empty(spec.label))
    problem = length_problem(spec.label, text, spec.max_len)
    if problem:
        raise CellValueError(problem)
    return text


def _int(spec: FieldSpec, value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if spec.required:
            raise CellValueError(messages.empty(spec.label))
        return None
    number: int
    if isinstance(value, bool):
        raise CellValueError(f"{spec.label} must be a whole number, not {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+(\.0+)?\s*", value):
        number = int(float(value)) if "." in value else int(value)
    else:
        raise CellValueError(f"{spec.label} must be a whole number, not {value!r}")
    low, high = spec.int_limits
    if not low <= number <= high:
        raise CellValueError(messages.between(spec.label, number, low, high))
    return number


def _date(spec: FieldSpec, value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise CellValueError(f"{spec.label} must be a date without a time, not {value}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time) and value == dt.time(0, 0):
        # Serial 0 in a date cell: openpyxl reads it as a time of day; it is the epoch day of
        # the 1900 date system as LibreOffice and openpyxl count (outside the range: a problem).
        return dt.date(1899, 12, 30)
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) > 10 and text[10] in " T" and text[11:].strip("0:. ") == "":
                text = text[:10]  # "2026-05-31 00:00:00" as re-saved by some spreadsheets
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise CellValueError(f"{spec.label} must be a date like 2026-05-31, not {value!r}")


def _datetime(spec: FieldSpec, value: Any) -> dt.datetime | None:
    """An aware UTC datetime cut to the minute: Excel stores times as day fractions and
    LibreOffice rounds them, so seconds do not survive a round trip; naive means UTC (the
    workbook writes UTC and says so in the header)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if spec.required:
            raise CellValueError(messages.empty(spec.label))
        return None
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")
                                               .replace(" UTC", "+00:00"))
        except ValueError:
            moment = None
    if moment is None:
        raise CellValueError(f"{spec.label} must be a date and time like 2026-05-31 09:15 "
                             f"(UTC), not {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    moment = moment.astimezone(dt.UTC)
    if not 2000 <= moment.year <= 2100:
        raise CellValueError(f"{spec.label} {moment:%Y-%m-%d %H:%M} is not a plausible time")
    # Round to the second first (a day fraction read back as 09:14:59.9999 is 09:15:00).
    moment = (moment + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    return moment.replace(second=0)


def _bool(spec: FieldSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise CellValueError(f"{spec.label} must be Yes or No, not {value!r}")


_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}


def _choice(spec: FieldSpec, value: Any) -> str:
    labels = spec.labels or {}
    if value is None or (isinstance(value, str) and not value.strip()):
        if spec.required:
            raise CellValueError(f"{spec.label} must not be empty; choose one of: "
                                 + ", ".join(labels.values()))
        return spec.empty
    text = str(value).strip()
    folded = text.casefold()
    for stored, label in labels.items():
        if folded in (stored.casefold(), label.casefold()):
            return stored
    raise CellValueError(messages.not_listed(spec.label, text, labels.values()))


def _ids(spec: FieldSpec, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = [p for p in _ID_SPLIT.split(value) if p]
    elif isinstance(value, list | tuple):
        parts = [str(p).strip() for p in value if str(p).strip()]
    else:
        raise CellValueError(f"{spec.label} must be IDs separated by ';', not {value!r}")
    return tuple(dict.fromkeys(parts))


_CANONICAL = {
    FieldKind.TEXT: _text,
    FieldKind.INT: _int,
    FieldKind.DATE: _date,
    FieldKind.DATETIME: _datetime,
    FieldKind.BOOL: _bool,
    FieldKind.CHOICE: _choice,
    FieldKind.IDS: _ids,
}


def value_hash(value: Any) -> str:
    """A short, stable hash of a canonical value (what the workbook's metadata keeps as base)."""
    if isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, tuple):
        value = list(value)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def date_range_problem(label: str, value: dt.date | None) -> str:
    """Why a date is outside DATE_MIN..DATE_MAX ("" when it is not): the one range every date
    the app stores keeps to (spec fields, and the planned dates of an inspection)."""
    if value is None or DATE_MIN <= value <= DATE_MAX:
        return ""
    return messages.date_out_of_range(label, value, DATE_MIN, DATE_MAX)
