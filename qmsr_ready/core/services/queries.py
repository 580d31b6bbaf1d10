"""Read-only queries shared by the CLI, the GUI and the exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qmsr_ready.core.models import Finding, Inspection, Response, Site
from qmsr_ready.core.services._common import get_inspection as _get_inspection
from qmsr_ready.core.template_content import typed_template
from qmsr_ready.core.vocab import FindingStatus, Result

# What counts as answered is Result.is_answered; the list's SQL asks for exactly those values.
ANSWERED_VALUES = tuple(r.value for r in Result if r.is_answered)


@dataclass(frozen=True)
class InspectionSummary:
    """One line of the inspection list (a frozen view the UI and CLI can hold)."""

    code: str
    title: str
    site_code: str
    site_name: str
    inspection_type: str
    model: int
    status: str
    template_key: str
    template_version: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    lead: str
    questions_in_scope: int
    questions_answered: int
    findings_total: int
    findings_open: int
    updated_at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe mapping (dates as ISO strings)."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, dt.date | dt.datetime):
                data[key] = value.isoformat()
        return data


def _summary(session: Session, insp: Inspection) -> InspectionSummary:
    selected = {e.element_id for e in insp.elements if e.selected and e.applicable}
    in_scope = {
        q.id for q in typed_template(insp.template).questions if q.element_id in selected
    }
    answered_rows = session.execute(
        select(Response.question_id).where(
            Response.inspection_id == insp.id, Response.result.in_(ANSWERED_VALUES)
        )
    ).scalars()
    answered = len(in_scope.intersection(answered_rows))
    open_count = sum(1 for f in insp.findings if f.status != FindingStatus.CLOSED)
    return InspectionSummary(
        code=insp.code, title=insp.title, site_code=insp.site.code, site_name=insp.site.name,
        inspection_type=insp.inspection_type, model=insp.model, status=insp.status,
        template_key=insp.template.key, template_version=insp.template.version,
        planned_start=insp.planned_start, planned_end=insp.planned_end, lead=insp.lead,
        questions_in_scope=len(in_scope), questions_answered=answered,
        findings_total=len(insp.findings), findings_open=open_count,
        updated_at=insp.updated_at,
    )


def list_inspections(session: Session) -> list[InspectionSummary]:
    """Every inspection, by code."""
    stmt = (
        select(Inspection)
        .options(
            selectinload(Inspection.site), selectinload(Inspection.template),
            selectinload(Inspection.elements), selectinload(Inspection.findings),
        )
        .order_by(Inspection.code)
    )
    return [_summary(session, insp) for insp in session.execute(stmt).scalars()]


def inspection_summary(session: Session, code: str) -> InspectionSummary:
    """The summary line of one inspection."""
    return _summary(session, _get_inspection(session, code))


def get_inspection(session: Session, code: str) -> Inspection:
    """The inspection with this code, or ``NotFound``."""
    return _get_inspection(session, code)


def list_findings(session: Session, inspection_code: str | None = None) -> list[Finding]:
    """Findings of one inspection (or all), in inspection then finding code order."""
    stmt = (
        select(Finding)
        .join(Inspection)
        .options(selectinload(Finding.question_links), selectinload(Finding.inspection))
        .order_by(Inspection.code, Finding.code)
    )
    if inspection_code is not None:
        insp = _get_inspection(session, inspection_code)
        stmt = stmt.where(Finding.inspection_id == insp.id)
    return list(session.execute(stmt).scalars())


def list_responses(session: Session, inspection_code: str) -> dict[str, Response]:
    """Responses of one inspection by question ID (questions never answered are absent)."""
    insp = _get_inspection(session, inspection_code)
    rows = session.execute(select(Response).where(Response.inspection_id == insp.id)).scalars()
    return {r.question_id: r for r in rows}


def list_sites(session: Session) -> list[Site]:
    """Every site, by code."""
    return list(session.execute(select(Site).order_by(Site.code)).scalars())

