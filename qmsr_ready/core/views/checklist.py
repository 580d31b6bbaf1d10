"""Frozen view objects of one inspection's checklist, read in a fixed number of queries.

The runner holds these (never live ORM rows) so an edit elsewhere, an undo or a reload cannot
leave a widget pointing at an expired instance. After one answer is saved the runner reads
that one row again (:func:`load_response`), not the whole checklist.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.damaged_rows import refuse_damaged_rows
from qmsr_ready.core.errors import NotFound
from qmsr_ready.core.models import (
    ChecklistTemplate,
    Evidence,
    EvidenceLink,
    Finding,
    Inspection,
    InspectionElement,
    Response,
)
from qmsr_ready.core.template_content import typed_by_sha256
from qmsr_ready.core.template_model import TemplateElement, TemplateQuestion
from qmsr_ready.core.vocab import InspectionStatus, Result


@dataclass(frozen=True)
class QuestionView:
    question_id: str
    area_id: str
    element_id: str
    text: str
    look_at: str
    good_looks_like: str
    weak_spots: str
    records_to_sample: tuple[str, ...]
    citations: tuple[str, ...]
    legacy: tuple[str, ...]
    weight: int
    risk_focus: bool
    note: str


@dataclass(frozen=True)
class ElementView:
    element_id: str
    area_id: str
    title: str
    selected: bool
    applicable: bool
    reason: str
    legacy_sections: tuple[str, ...]
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class AreaView:
    area_id: str
    title: str
    kind: str
    elements: tuple[ElementView, ...]


@dataclass(frozen=True)
class ResponseView:
    question_id: str
    result: str
    notes: str
    sample_population: int | None
    sample_size: int | None
    records_reviewed: str
    interviewees: str
    assessed_by: str
    assessed_at: dt.datetime | None


def empty_response(question_id: str) -> ResponseView:
    """The view of a question nobody has answered yet."""
    return ResponseView(question_id, Result.NOT_ASSESSED.value, "", None, None, "", "", "", None)


@dataclass(frozen=True)
class EvidenceView:
    code: str
    filename: str
    media_type: str
    size: int
    added_by: str
    added_at: dt.datetime | None


@dataclass(frozen=True)
class ChecklistData:
    inspection_code: str
    title: str
    status: str
    areas: tuple[AreaView, ...]  # only the elements selected for this inspection
    responses: dict[str, ResponseView]
    evidence: dict[str, tuple[EvidenceView, ...]]  # by question ID

    @property
    def signed_off(self) -> bool:
        return self.status == InspectionStatus.SIGNED_OFF

    def response(self, question_id: str) -> ResponseView:
        """The stored answer, or an empty one when the question was never answered."""
        return self.responses.get(question_id) or empty_response(question_id)

    def with_response(self, response: ResponseView) -> ChecklistData:
        """A copy holding ``response`` in place of the stored answer to its question."""
        return replace(self, responses={**self.responses, response.question_id: response})

    def question(self, question_id: str) -> QuestionView | None:
        """The question with this ID among the selected elements, if any."""
        for area in self.areas:
            for element in area.elements:
                for question in element.questions:
                    if question.question_id == question_id:
                        return question
        return None


def _question(element: TemplateElement, q: TemplateQuestion) -> QuestionView:
    """A question's view; its legacy sections fall back to its element's (as the crosswalk)."""
    g = q.guidance
    return QuestionView(
        question_id=q.id,
        area_id=q.area_id,
        element_id=q.element_id,
        text=q.one_line,
        look_at=g.look_at,
        good_looks_like=g.good_looks_like,
        weak_spots=g.weak_spots,
        records_to_sample=q.records_to_sample,
        citations=q.citations,
        legacy=q.legacy or element.legacy_sections,
        weight=q.weight,
        risk_focus=q.risk_focus,
        note=q.note or "",
    )


def load_checklist(session: Session, inspection_code: str) -> ChecklistData:
    """Read the inspection's template, element choices, responses and evidence links."""
    row = session.execute(
        select(Inspection.id, Inspection.title, Inspection.status, Inspection.template_id,
               ChecklistTemplate.sha256)
        .join(ChecklistTemplate, Inspection.template_id == ChecklistTemplate.id)
        .where(Inspection.code == inspection_code)
    ).one_or_none()
    if row is None:
        raise NotFound(f"Inspection {inspection_code} does not exist in this workspace.")
    inspection_id, title, status, template_id, sha256 = row
    tpl = typed_by_sha256(sha256, lambda: session.execute(  # content read only on a miss
        select(ChecklistTemplate.content).where(ChecklistTemplate.id == template_id)
    ).scalar_one())
    choices = {
        e.element_id: e
        for e in session.scalars(
            select(InspectionElement).where(InspectionElement.inspection_id == inspection_id)
        )
    }
    areas: list[AreaView] = []
    for area in tpl.areas:
        elements: list[ElementView] = []
        for element in area.elements:
            choice = choices.get(element.id)
            if choice is None or not choice.selected:
                continue
            elements.append(
                ElementView(
                    element_id=element.id,
                    area_id=area.id,
                    title=element.title,
                    selected=True,
                    applicable=bool(choice.applicable),
                    reason=choice.reason,
                    legacy_sections=element.legacy_sections,
                    questions=tuple(_question(element, q) for q in element.questions),
                )
            )
        if elements:
            areas.append(AreaView(area.id, area.title, area.kind, tuple(elements)))
    responses = {
        r.question_id: _response_view(r)
        for r in session.scalars(select(Response).where(Response.inspection_id == inspection_id))
    }
    if not all(map(_well_typed, responses.values())):
        refuse_damaged_rows(session, responses.values(), f"Inspection {inspection_code}")
    return ChecklistData(
        inspection_code=inspection_code,
        title=title,
        status=status,
        areas=tuple(areas),
        responses=responses,
        evidence=load_question_evidence(session, inspection_id),
    )


def load_response(session: Session, inspection_code: str, question_id: str) -> ResponseView:
    """The stored answer to one question (empty when never answered): one query."""
    row = session.scalars(
        select(Response)
        .join(Inspection, Response.inspection_id == Inspection.id)
        .where(Inspection.code == inspection_code, Response.question_id == question_id)
    ).one_or_none()
    if row is None:
        return empty_response(question_id)
    view = _response_view(row)
    if not _well_typed(view):
        refuse_damaged_rows(session, [view], f"The answer to {question_id}")
    return view


def _well_typed(view: ResponseView) -> bool:
    """Every field of its declared kind (text stored in a count, a BLOB in the notes, written
    by another program, reach the panel as such: QA 6 item 3); one test per field."""
    return (type(view.result) is str and type(view.notes) is str
            and type(view.records_reviewed) is str and type(view.interviewees) is str
            and type(view.assessed_by) is str
            and (view.sample_population is None or type(view.sample_population) is int)
            and (view.sample_size is None or type(view.sample_size) is int))


def _response_view(r: Response) -> ResponseView:
    return ResponseView(
        r.question_id, r.result, r.notes, r.sample_population, r.sample_size,
        r.records_reviewed, r.interviewees, r.assessed_by, r.assessed_at,
    )


def load_question_evidence(
    session: Session, inspection_id: int
) -> dict[str, tuple[EvidenceView, ...]]:
    """Evidence linked to each question of the inspection, in attachment order."""
    rows = session.execute(
        select(EvidenceLink.question_id, Evidence)
        .join(Evidence, EvidenceLink.evidence_id == Evidence.id)
        .where(Evidence.inspection_id == inspection_id, EvidenceLink.question_id.is_not(None))
        .order_by(Evidence.id)
    ).all()
    by_question: dict[str, list[EvidenceView]] = defaultdict(list)
    for question_id, ev in rows:
        by_question[str(question_id)].append(_evidence_view(ev))
    return {k: tuple(v) for k, v in by_question.items()}


def load_finding_evidence(
    session: Session, inspection_code: str, finding_code: str
) -> tuple[EvidenceView, ...]:
    """Evidence linked to one finding."""
    rows = session.scalars(
        select(Evidence)
        .join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
        .join(Finding, EvidenceLink.finding_id == Finding.id)
        .join(Inspection, Finding.inspection_id == Inspection.id)
        .where(Inspection.code == inspection_code, Finding.code == finding_code)
        .order_by(Evidence.id)
    ).all()
    return tuple(_evidence_view(ev) for ev in rows)


def _evidence_view(ev: Evidence) -> EvidenceView:
    return EvidenceView(ev.code, ev.filename, ev.media_type, ev.size, ev.added_by, ev.added_at)
