"""Frozen views of the request log, scribe notes and SME roster (what the GUI and packs hold)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qmsr_ready.core.models import DocumentRequest, RosterEntry, ScribeNote, WorkspaceInfo
from qmsr_ready.core.services._common import get_inspection
from qmsr_ready.core.vocab import RequestKind, RequestPriority, RequestStatus

TARGET_KEY = "request_target_minutes"
DEFAULT_TARGET_MINUTES = 15  # practice guides aim for about 15 minutes per request


@dataclass(frozen=True)
class PresentedItemView:
    document_id: str
    version: str
    sha256: str
    presented_at: dt.datetime
    presented_by: str
    note: str


@dataclass(frozen=True)
class MoveView:
    status: str
    at: dt.datetime
    by: str


@dataclass(frozen=True)
class RequestView:
    """One request as every screen and pack shows it."""

    code: str
    requested_at: dt.datetime | None
    requested_by: str
    text: str
    kind: str
    area_id: str
    element_id: str
    priority: str
    owner: str
    status: str
    presented_at: dt.datetime | None
    notes: str
    finding_codes: tuple[str, ...]
    items: tuple[PresentedItemView, ...]
    moves: tuple[MoveView, ...]
    revision: int

    @property
    def status_label(self) -> str:
        return RequestStatus(self.status).label

    @property
    def kind_label(self) -> str:
        return RequestKind(self.kind).label

    @property
    def priority_label(self) -> str:
        return RequestPriority(self.priority).label

    @property
    def is_open(self) -> bool:
        return RequestStatus(self.status).is_open

    def elapsed(self, now: dt.datetime) -> dt.timedelta | None:
        """Time to present (when presented) or time waiting so far (when open)."""
        if self.requested_at is None or self.status == RequestStatus.WITHDRAWN.value:
            return None
        end = self.presented_at if self.presented_at is not None else now
        return max(end - self.requested_at, dt.timedelta(0))

    def is_late(self, now: dt.datetime, target: dt.timedelta) -> bool:
        elapsed = self.elapsed(now)
        return elapsed is not None and elapsed > target


@dataclass(frozen=True)
class NoteView:
    code: str
    at: dt.datetime
    topic: str
    investigator: str
    text: str
    request_codes: tuple[str, ...]
    finding_codes: tuple[str, ...]
    author: str


@dataclass(frozen=True)
class RosterView:
    area_id: str
    presenter: str
    backup: str
    storyboard: str
    prepared: bool
    notes: str

    @property
    def gaps(self) -> tuple[str, ...]:
        """What is still missing for this area on the day."""
        missing = []
        if not self.presenter:
            missing.append("no presenter")
        if not self.backup:
            missing.append("no backup")
        if not self.storyboard:
            missing.append("no storyboard")
        if not self.prepared:
            missing.append("not prepared")
        return tuple(missing)


def list_requests(session: Session, inspection_code: str) -> list[RequestView]:
    """Every request of the inspection in number order."""
    return requests_of(session, get_inspection(session, inspection_code).id)


def requests_of(session: Session, inspection_id: int) -> list[RequestView]:
    """``list_requests`` for a caller that has already read the inspection."""
    rows = session.scalars(
        select(DocumentRequest)
        .where(DocumentRequest.inspection_id == inspection_id)
        .options(selectinload(DocumentRequest.items), selectinload(DocumentRequest.moves))
        .order_by(DocumentRequest.code)
    )
    return [
        RequestView(
            code=r.code, requested_at=r.requested_at, requested_by=r.requested_by, text=r.text,
            kind=r.kind, area_id=r.area_id, element_id=r.element_id, priority=r.priority,
            owner=r.owner, status=r.status, presented_at=r.presented_at, notes=r.notes,
            finding_codes=tuple(r.finding_codes or ()),
            items=tuple(PresentedItemView(i.document_id, i.version, i.sha256, i.presented_at,
                                          i.presented_by, i.note) for i in r.items),
            moves=tuple(MoveView(m.status, m.at, m.by) for m in r.moves),
            revision=r.revision,
        )
        for r in rows
    ]


def list_notes(session: Session, inspection_code: str) -> list[NoteView]:
    return notes_of(session, get_inspection(session, inspection_code).id)


def notes_of(session: Session, inspection_id: int) -> list[NoteView]:
    """``list_notes`` for a caller that has already read the inspection."""
    rows = session.scalars(select(ScribeNote).where(ScribeNote.inspection_id == inspection_id)
                           .order_by(ScribeNote.at, ScribeNote.code))
    return [NoteView(n.code, n.at, n.topic, n.investigator, n.text,
                     tuple(n.request_codes or ()), tuple(n.finding_codes or ()), n.author)
            for n in rows]


def list_roster(session: Session, inspection_code: str) -> list[RosterView]:
    return roster_of(session, get_inspection(session, inspection_code).id)


def roster_of(session: Session, inspection_id: int) -> list[RosterView]:
    """``list_roster`` for a caller that has already read the inspection."""
    rows = session.scalars(select(RosterEntry).where(RosterEntry.inspection_id == inspection_id)
                           .order_by(RosterEntry.area_id))
    return [RosterView(e.area_id, e.presenter, e.backup, e.storyboard, e.prepared, e.notes)
            for e in rows]


def request_target(session: Session) -> dt.timedelta:
    """The workspace's time-to-present target (a setting; 15 minutes unless changed)."""
    row = session.get(WorkspaceInfo, TARGET_KEY)
    try:
        minutes = int(row.value) if row is not None else DEFAULT_TARGET_MINUTES
    except ValueError:
        minutes = DEFAULT_TARGET_MINUTES
    return dt.timedelta(minutes=minutes if 1 <= minutes <= 24 * 60 else DEFAULT_TARGET_MINUTES)


@dataclass(frozen=True)
class InspectionPlaces:
    """What the request screens need of an inspection: whether it is locked, and its template's
    areas ``(id, title)`` and elements ``(area id, element id, title)`` in template order."""

    signed_off: bool
    areas: tuple[tuple[str, str], ...]
    elements: tuple[tuple[str, str, str], ...]


def inspection_places(session: Session, inspection_code: str) -> InspectionPlaces:
    from qmsr_ready.core.template_content import typed_template
    from qmsr_ready.core.vocab import InspectionStatus

    insp = get_inspection(session, inspection_code)
    tpl = typed_template(insp.template)
    return InspectionPlaces(
        insp.status == InspectionStatus.SIGNED_OFF.value,
        tuple((a.id, a.title) for a in tpl.areas if a.elements),
        tuple((e.area_id, e.id, e.title) for e in tpl.elements),
    )
