"""Reads behind the home list that are not the inspection summary itself: the last pack sent.

The readiness column comes from ``core.report.summary`` and the lines from
``core.services.queries.list_inspections``; this module adds each inspection's export mark as a
frozen value, so the GUI's table model needs no session or SQL of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the home view is built before SQLAlchemy loads (see home_fast)
    from sqlalchemy.orm import Session

__all__ = ["ExportState", "read_export_state"]


@dataclass(frozen=True)
class ExportState:
    """The last pack sent of an inspection and whether the inspection changed since."""

    file_name: str
    at: dt.datetime
    by: str
    changed: bool

    @property
    def sent_text(self) -> str:
        """E.g. "pack.xlsx, 2 Dec 2026 14:05 by Aoife" (local time)."""
        at = self.at.astimezone() if self.at.tzinfo else self.at
        return f"{self.file_name}, {at.day} {at:%b %Y %H:%M} by {self.by or '—'}"


def read_export_state(session: Session, code: str) -> ExportState | None:
    """The last pack sent of ``code`` and whether it changed since (None: never exported)."""
    from qmsr_ready.core.exchange.exports import changed_since_export, last_export

    last = last_export(session, code)
    if last is None:
        return None
    return ExportState(last.file_name, last.at, last.by, changed_since_export(session, code))
