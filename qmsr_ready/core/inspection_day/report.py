"""One frozen picture of inspection day for the dashboard, the PDF and the workbook.

Preparation gaps (areas in scope with no presenter, backup, storyboard or not prepared) are
shown beside the checklist verdict, never folded into it: they say whether the day will run
smoothly, not whether the site conforms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from qmsr_ready.core.inspection_day.stats import RequestStats, request_statistics
from qmsr_ready.core.inspection_day.views import (
    NoteView,
    RequestView,
    RosterView,
    notes_of,
    request_target,
    requests_of,
    roster_of,
)
from qmsr_ready.core.services._common import get_inspection
from qmsr_ready.core.template_content import typed_template
from qmsr_ready.core.template_model import TypedTemplate

if TYPE_CHECKING:
    from qmsr_ready.core.models import Inspection


@dataclass(frozen=True)
class PreparationGap:
    """One area in scope that is not ready for the day, and what it lacks."""

    area_id: str
    area_title: str
    missing: tuple[str, ...]

    @property
    def text(self) -> str:
        return f"{self.area_id} {self.area_title}: {', '.join(self.missing)}"


@dataclass(frozen=True)
class RequestLogReport:
    """Requests, their statistics at ``now``, scribe notes, the roster and its gaps."""

    requests: tuple[RequestView, ...]
    stats: RequestStats
    notes: tuple[NoteView, ...]
    roster: tuple[RosterView, ...]
    preparation_gaps: tuple[PreparationGap, ...]
    target: dt.timedelta
    now: dt.datetime

    @property
    def empty(self) -> bool:
        return not (self.requests or self.notes or self.roster)


def build_request_log(
    session: Session, inspection_code: str, now: dt.datetime | None = None
) -> RequestLogReport:
    """Read the inspection-day records of one inspection (a handful of queries)."""
    insp = get_inspection(session, inspection_code)
    return request_log_of(session, insp, typed_template(insp.template), now)


def request_log_of(
    session: Session, insp: Inspection, tpl: TypedTemplate, now: dt.datetime | None = None
) -> RequestLogReport:
    """``build_request_log`` for a caller that has read the inspection and its template (the
    report build): the inspection is not read again."""
    now = now or dt.datetime.now(dt.UTC)
    requests = tuple(requests_of(session, insp.id))
    roster = tuple(roster_of(session, insp.id))
    target = request_target(session)
    in_scope_areas: dict[str, str] = {}
    selected = {e.element_id for e in insp.elements if e.selected and e.applicable}
    for area in tpl.areas:
        # Every kind counts: an MDR/recall (OA) or general (GI) SME is a first-day need too.
        if any(element.id in selected for element in area.elements):
            in_scope_areas[area.id] = area.title
    by_area = {r.area_id: r for r in roster}
    gaps = []
    for area_id, title in in_scope_areas.items():
        entry = by_area.get(area_id)
        missing = ("no SME assigned",) if entry is None else entry.gaps
        if missing:
            gaps.append(PreparationGap(area_id, title, missing))
    return RequestLogReport(
        requests=requests,
        stats=request_statistics(requests, now, target),
        notes=tuple(notes_of(session, insp.id)),
        roster=roster,
        preparation_gaps=tuple(gaps),
        target=target,
        now=now,
    )
