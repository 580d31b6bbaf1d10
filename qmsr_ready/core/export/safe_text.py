"""Formula-injection guard for spreadsheet cells.

A workbook goes round the team and may be opened anywhere, so user text must never become a
formula. Any string starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is written
as a plain string cell (``data_type = "s"``) carrying the quote-prefix style, which is how Excel
and LibreOffice mark "typed as text"; the visible value is exactly what the user typed (no added
apostrophe), so an import reads back the same text.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import Cell

from qmsr_ready.core.fields.spec import NOT_XML

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Everything XML 1.0 cannot carry, lone surrogates and U+FFFE/U+FFFF included: the one rule the
# field spec's canonical form also applies, so what a cell drops an import does not see as a change.
_NOT_XML = NOT_XML
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")


def is_risky(value: Any) -> bool:
    """Whether a value would be read as a formula (or DDE payload) by a spreadsheet."""
    return isinstance(value, str) and value.startswith(TRIGGERS)


def write_text(cell: Cell, value: Any) -> None:
    """Set ``cell`` to ``value``, forcing risky strings to be literal text."""
    if is_risky(value):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = value


def clean_for_cell(value: Any) -> Any:
    """Drop what XML 1.0 cannot carry and turn CR/CRLF into LF.

    Control characters, U+FFFE/U+FFFF and lone surrogates would make a workbook that saves
    "successfully" and that no program opens. XML readers turn a raw CR into LF anyway, so
    normalising here keeps the row fingerprints in the metadata sheet equal to what an import
    reads back.
    """
    if not isinstance(value, str):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", value) if _NOT_XML.search(value) else value


def clean_for_property(value: str, max_len: int = 250) -> str:
    """One line of text a document property (title, subject, keywords) can carry.

    openpyxl writes ``docProps/core.xml`` without checking it: a vertical tab from a Shift+Enter
    paste in a site name made a workbook that saves "successfully" and never opens. Line breaks
    become spaces, the rest of what XML cannot carry is dropped, and the result is cut to
    ``max_len``.
    """
    return _NOT_XML.sub("", _BREAKS.sub(" ", value)).strip()[:max_len]
