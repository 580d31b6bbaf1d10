"""Frozen read views: core reads the workspace, the GUI only displays what it gets back.

Each module here owns the reads behind one screen (checklist, audit trail, undo steps…) and
returns frozen dataclasses or plain values, never live ORM rows, so a widget cannot hold an
instance that expires after the next commit. ``Session`` is named here so the GUI can type the
unit of work it hands to core without importing SQLAlchemy (an import-linter contract); it is
resolved lazily, so importing a view that needs no SQLAlchemy (``home_fast``, read before the
first paint) does not load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as Session


def __getattr__(name: str) -> Any:
    if name == "Session":
        from sqlalchemy.orm import Session

        return Session
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
