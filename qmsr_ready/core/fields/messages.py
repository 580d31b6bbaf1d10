"""One wording for every validation message: services, the workbook import and the merge.

A service error ends with a full stop (``InvalidInput`` shows one line); an import collects
cell problems into a list, so the builders return the sentence without it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def empty(what: str) -> str:
    return f"{what} must not be empty"


def too_long(what: str, length: int, limit: int, *, counted_as_cells: bool = False) -> str:
    """``counted_as_cells``: ``length`` is in UTF-16 units and differs from what people count."""
    if counted_as_cells:
        return (f"{what} is too long ({length:,} characters as a spreadsheet counts them, where "
                f"an emoji or other symbol outside the basic set counts as two; at most "
                f"{limit:,})")
    return f"{what} is too long ({length:,} characters; at most {limit:,})"


def out_of_range(what: str, value: int, low: int | None, high: int | None) -> str:
    """``Severity must be 1..5, not 6`` (a short range) or ``... at most 1,000,000,000``."""
    if low is not None and high is not None and high - low < 100:
        bound = f"{low}..{high}"
    elif low is not None and (high is None or value < low):
        bound = f"at least {low}"
    else:
        bound = f"at most {high:,}"
    return f"{what} must be {bound}, not {value}"


def between(what: str, value: int, low: int, high: int) -> str:
    """The workbook wording: a cell's range is read with both ends."""
    return f"{what} must be between {low} and {high:,}, not {value:,}"


def not_in_list(what: str, value: object, allowed: Iterable[str]) -> str:
    return f"{value!r} is not a valid {what}; use one of: {', '.join(allowed)}"


def not_listed(what: str, value: str, allowed: Iterable[str]) -> str:
    """The workbook wording: a cell holds a label people chose from a drop-down."""
    return f"{what} {value!r} is not in the list; choose one of: {', '.join(allowed)}"


def date_out_of_range(what: str, value: dt.date, low: dt.date, high: dt.date) -> str:
    return f"{what} {value.isoformat()} is out of range ({low.isoformat()} to {high.isoformat()})"
