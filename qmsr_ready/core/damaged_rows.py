"""Refuse a read whose rows carry a value not of its kind, in one line naming the damage.

SQLite stores whatever it is given: a BLOB in a title reaches a reader as ``bytes`` and text in
a severity as ``str`` (shown as "highhighhigh" once multiplied). The readers behind the CLI list
and the GUI's home list and findings register check their frozen rows' declared kinds (cheap:
no scan) and, only when one is wrong, name the damaged value by ``core.damaged``'s definition,
so they refuse like export does instead of crashing or showing nonsense.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_KINDS: dict[str, type | tuple[type, ...]] = {
    "str": str, "int": int, "bool": (bool, int),
    "int | None": (int, type(None)), "str | None": (str, type(None)),
}


def refuse_damaged_rows(session: Session, rows: Iterable[Any], where: str) -> None:
    """Raise ``WorkspaceDamaged`` if a field of a dataclass row is not of its declared kind.

    ``where`` names the read for the message ("Inspection MI-1", "The findings register")."""
    for row in rows:
        for f in dataclasses.fields(row):
            value = getattr(row, f.name)
            kind = _KINDS.get(str(f.type))
            if isinstance(value, bytes) or (kind is not None and not isinstance(value, kind)):
                _refuse(session, where, f.name, value)


def _refuse(session: Session, where: str, name: str, value: Any) -> None:
    from qmsr_ready.core.damaged import find_damaged
    from qmsr_ready.core.workspace_file import WorkspaceDamaged

    damaged = find_damaged(session, limit=1)  # the shared definition names table and row
    what = str(damaged[0]) if damaged else f"its {name} holds {value!r:.40}"
    raise WorkspaceDamaged(
        f"{_printable(where)} holds a damaged value: {_printable(what)}. Run 'qmsr-ready "
        "verify' on the workspace and restore it from a backup.")


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 0x100
                   else f"\\u{ord(ch):04x}" for ch in text)
