"""The workspace's own side of an exchange: every exchanged row of one inspection, canonical.

Read with a fixed number of queries (inspection, responses, findings with their links, requests,
scribe notes, roster), so a 5,000-row plan costs the same few round trips as a 50-row one. The
roster has a row for every area of the template (defaults where nobody is assigned yet), like
responses for questions, so a workbook or a colleague can fill an area in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qmsr_ready.core.exchange.fields import (
    FINDING,
    NOTE,
    REQUEST,
    RESPONSE,
    ROSTER,
    CellValueError,
    EntitySpec,
    FieldKind,
    FieldSpec,
    clean_text,
)
from qmsr_ready.core.models import (
    DocumentRequest,
    Finding,
    Inspection,
    Response,
    RosterEntry,
    ScribeNote,
)
from qmsr_ready.core.services._common import get_inspection
from qmsr_ready.core.template_content import typed_template

Rows = dict[str, dict[str, Any]]  # row key -> {field name: canonical value}


@dataclass
class Side:
    """One side's rows per entity, plus what people recognise each row by and its revision."""

    rows: dict[str, Rows] = field(default_factory=dict)  # entity -> key -> fields
    titles: dict[tuple[str, str], str] = field(default_factory=dict)
    revisions: dict[tuple[str, str], int] = field(default_factory=dict)

    def of(self, entity: str) -> Rows:
        return self.rows.setdefault(entity, {})


def canonical_row(spec: EntitySpec, obj: Any) -> dict[str, Any]:
    """Read every field of ``spec`` from a model object (or mapping) in canonical form."""
    get = obj.get if isinstance(obj, dict) else lambda name: getattr(obj, name)
    return {fs.name: _stored(fs, get(fs.name)) for fs in spec.fields}


def _stored(fs: FieldSpec, value: Any) -> Any:
    """A stored value's canonical form; a text stored before today's length limit is read as
    it is (limits refuse new input, they must not make a workspace unreadable)."""
    try:
        return fs.canonical(value)
    except CellValueError:
        if fs.kind is FieldKind.TEXT and isinstance(value, str):
            return clean_text(value)
        raise


def read_mine(session: Session, inspection_code: str) -> Side:
    """Every question's response (defaults where never answered) and every finding."""
    insp = get_inspection(session, inspection_code)
    side = Side()
    stored = {
        r.question_id: r
        for r in session.scalars(select(Response).where(Response.inspection_id == insp.id))
    }
    responses = side.of(RESPONSE.entity)
    tpl = typed_template(insp.template)
    for question in tpl.questions:
        qid = question.id
        resp = stored.get(qid)
        if resp is None:
            responses[qid] = RESPONSE.defaults()
            side.revisions[(RESPONSE.entity, qid)] = 0
        else:
            responses[qid] = canonical_row(RESPONSE, resp)
            side.revisions[(RESPONSE.entity, qid)] = resp.revision
        side.titles[(RESPONSE.entity, qid)] = question.one_line
    findings = side.of(FINDING.entity)
    for f in session.scalars(
        select(Finding)
        .where(Finding.inspection_id == insp.id)
        .options(selectinload(Finding.question_links))
        .order_by(Finding.code)
    ):
        row = canonical_row(FINDING, {**{n: getattr(f, n) for n in FINDING.names
                                         if n != "question_ids"},
                                      "question_ids": f.question_ids})
        findings[f.code] = row
        side.titles[(FINDING.entity, f.code)] = f.title
        side.revisions[(FINDING.entity, f.code)] = f.revision
    _read_day(session, insp, side)
    return side


def _read_day(session: Session, insp: Inspection, side: Side) -> None:
    """The inspection-day records: requests, scribe notes and the SME roster."""
    requests = side.of(REQUEST.entity)
    for r in session.scalars(select(DocumentRequest).where(
            DocumentRequest.inspection_id == insp.id).order_by(DocumentRequest.code)):
        requests[r.code] = canonical_row(REQUEST, r)
        side.titles[(REQUEST.entity, r.code)] = " ".join(r.text.split())[:120]
        side.revisions[(REQUEST.entity, r.code)] = r.revision
    notes = side.of(NOTE.entity)
    for n in session.scalars(select(ScribeNote).where(
            ScribeNote.inspection_id == insp.id).order_by(ScribeNote.code)):
        notes[n.code] = canonical_row(NOTE, n)
        side.titles[(NOTE.entity, n.code)] = " ".join((n.topic or n.text).split())[:120]
        side.revisions[(NOTE.entity, n.code)] = n.revision
    entries = {e.area_id: e for e in session.scalars(
        select(RosterEntry).where(RosterEntry.inspection_id == insp.id))}
    roster = side.of(ROSTER.entity)
    for area in typed_template(insp.template).areas:
        area_id = area.id
        entry = entries.get(area_id)
        roster[area_id] = ROSTER.defaults() if entry is None else canonical_row(ROSTER, entry)
        side.revisions[(ROSTER.entity, area_id)] = 0 if entry is None else entry.revision
        side.titles[(ROSTER.entity, area_id)] = area.title
