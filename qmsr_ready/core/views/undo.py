"""What an undo step needs to put back: the stored values of the fields it is about to change.

Undo commands read these before their first run and restore them on undo, so they hold plain
values (never ORM rows) and the GUI builds no queries of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.errors import NotFound
from qmsr_ready.core.models import Finding, Inspection, Response, RosterEntry
from qmsr_ready.core.services._common import get_inspection
from qmsr_ready.core.services.day_notes import ROSTER_FIELDS
from qmsr_ready.core.services.requests import get_request
from qmsr_ready.core.vocab import Result

RESPONSE_FIELDS = (
    "result",
    "notes",
    "sample_population",
    "sample_size",
    "records_reviewed",
    "interviewees",
)
_RESPONSE_BLANK: dict[str, Any] = {
    "result": Result.NOT_ASSESSED.value,
    "notes": "",
    "sample_population": None,
    "sample_size": None,
    "records_reviewed": "",
    "interviewees": "",
}
_ROSTER_BLANK: dict[str, Any] = {
    "presenter": "", "backup": "", "storyboard": "", "prepared": False, "notes": "",
}
# Fields the finding editor shows and undo restores; ``question_ids`` is read from its links.
FINDING_VALUES = (
    "title", "classification", "objective_evidence", "requirement", "likely_483", "severity",
    "likelihood", "owner", "due_date", "correction", "root_cause", "corrective_action",
    "capa_reference", "effectiveness_check", "status", "revision",
)


def _pick(values: dict[str, Any], names: Iterable[str] | None) -> dict[str, Any]:
    return dict(values) if names is None else {name: values[name] for name in names}


def response_values(
    session: Session, inspection_code: str, question_id: str,
    names: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The stored response fields (blanks when the question was never answered)."""
    row = session.scalars(
        select(Response)
        .join(Inspection, Response.inspection_id == Inspection.id)
        .where(Inspection.code == inspection_code, Response.question_id == question_id)
    ).one_or_none()
    if row is None:
        return _pick(_RESPONSE_BLANK, names)
    return _pick({name: getattr(row, name) for name in RESPONSE_FIELDS}, names)


def finding_values(
    session: Session, inspection_code: str, finding_code: str,
    names: Iterable[str] | None = None,
) -> dict[str, Any]:
    """A finding's editable fields, ``question_ids`` (a list), status and revision."""
    row = session.scalars(
        select(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id)
        .where(Inspection.code == inspection_code, Finding.code == finding_code)
    ).one_or_none()
    if row is None:
        raise NotFound(f"Finding {finding_code} of {inspection_code} no longer exists.")
    values = {name: getattr(row, name) for name in FINDING_VALUES}
    values["question_ids"] = list(row.question_ids)
    return _pick(values, names)


def request_values(
    session: Session, inspection_code: str, request_code: str, names: Iterable[str]
) -> dict[str, Any]:
    """The named fields of a logged request (``finding_codes`` as a list)."""
    row = get_request(session, get_inspection(session, inspection_code), request_code)
    return {
        name: list(row.finding_codes or []) if name == "finding_codes" else getattr(row, name)
        for name in names
    }


def roster_values(
    session: Session, inspection_code: str, area_id: str, names: Iterable[str] | None = None
) -> dict[str, Any]:
    """Who presents an area (blanks when nobody was named yet)."""
    entry = session.scalars(
        select(RosterEntry)
        .join(Inspection, RosterEntry.inspection_id == Inspection.id)
        .where(Inspection.code == inspection_code, RosterEntry.area_id == area_id)
    ).one_or_none()
    if entry is None:
        return _pick(_ROSTER_BLANK, names)
    return _pick({name: getattr(entry, name) for name in ROSTER_FIELDS}, names)

