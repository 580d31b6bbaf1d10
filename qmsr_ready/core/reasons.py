"""What counts as a reason: visible text, and where an N/A answer keeps its reason.

"Not applicable" must say why (issue 10): a blank, a space or a zero-width character is no
reason, and an old assessment note left in the notes is not one either. The runner stores the
reason as the first line of the notes, ``"Not applicable: <reason>"``; the service, the runner's
prompt and the PDF's N/A list all read it back through :func:`na_reason`, so they agree.
"""

from __future__ import annotations

import unicodedata

NA_PREFIX = "Not applicable: "
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # controls, format (zero-width), spaces


def visible(text: str | None) -> str:
    """``text`` trimmed of invisible characters at both ends; "" when nothing visible is left."""
    chars = str(text or "")
    start, end = 0, len(chars)
    while start < end and _invisible(chars[start]):
        start += 1
    while end > start and _invisible(chars[end - 1]):
        end -= 1
    return chars[start:end]


def has_visible_text(text: str | None) -> bool:
    """Whether ``text`` holds at least one character a reader can see."""
    return any(not _invisible(c) for c in str(text or ""))


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in _INVISIBLE


def na_reason(notes: str | None) -> str:
    """The reason an N/A answer gives, read from its notes; "" when it gives none.

    A first line ``"Not applicable: <reason>"`` is the reason (what the runner writes). Notes
    without that line are read whole: the workbook import and older answers wrote the reason as
    the notes.
    """
    text = str(notes or "")
    first, _, _rest = text.partition("\n")
    if first.strip().lower().startswith(NA_PREFIX.strip().lower()):
        return visible(first.strip()[len(NA_PREFIX.strip()):])
    return visible(text)


def with_na_reason(notes: str | None, reason: str) -> str:
    """``notes`` with ``reason`` as their first line, ``"Not applicable: <reason>"``.

    A first line that already starts "Not applicable:" is replaced, not stacked; the rest of
    the notes (an earlier assessment, say) is kept below it.
    """
    why = visible(reason)
    if why.lower().startswith(NA_PREFIX.strip().lower()):
        why = visible(why[len(NA_PREFIX.strip()):])
    text = str(notes or "")
    first, newline, rest = text.partition("\n")
    if first.strip().lower().startswith(NA_PREFIX.strip().lower()):
        text = rest if newline else ""
    line = NA_PREFIX + why
    return f"{line}\n{text}" if visible(text) else line
