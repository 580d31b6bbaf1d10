"""Reads behind the findings register: frozen rows, three Core queries however many findings.

The register shows every finding of a workspace (5,000 on the large one), so it reads only the
columns it shows with Core ``select``s (no ORM instances, no identity map) and hands the GUI
frozen rows it can keep across commits. Overdue means a due date before today on a finding that
is not closed; a finding's area and overdue come from ``core.finding_rules``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.damaged_rows import refuse_damaged_rows
from qmsr_ready.core.finding_rules import finding_area, is_overdue
from qmsr_ready.core.models import (
    ChecklistTemplate,
    Finding,
    FindingQuestion,
    Inspection,
    local_today,
)
from qmsr_ready.core.template_content import typed_by_sha256
from qmsr_ready.core.template_model import TypedTemplate
from qmsr_ready.core.vocab import InspectionStatus

NO_AREA = "—"

# local_today: the day overdue is judged against (one clock, frozen by the tests' fixed_now)
__all__ = ["NO_AREA", "FindingListRow", "inspection_locked", "load_finding_rows", "local_today"]


@dataclass(frozen=True)
class FindingListRow:
    """One register line, detached from the database session."""

    inspection_code: str
    code: str
    title: str
    classification: str
    status: str
    area_id: str
    owner: str
    due_date: dt.date | None
    severity: int
    likelihood: int
    likely_483: bool
    question_ids: tuple[str, ...]

    @property
    def risk(self) -> int:
        """Severity × likelihood, the register's risk column."""
        return self.severity * self.likelihood

    def overdue(self, today: dt.date) -> bool:
        """Due before ``today`` and not closed (``finding_rules.is_overdue``)."""
        return is_overdue(self.due_date, self.status, today)

    @classmethod
    def of_values(cls, values: tuple[Any, ...]) -> FindingListRow:
        """A row from its field values in declaration order, made without ``__init__``: a frozen
        dataclass sets each of its twelve fields through ``object.__setattr__``, which was a
        quarter of reading 5,000 findings. Equal to ``FindingListRow(*values)``."""
        row = object.__new__(cls)
        row.__dict__.update(zip(_FIELD_NAMES, values, strict=False))  # every field, in order
        return row


_FIELD_NAMES = tuple(f.name for f in fields(FindingListRow))


def _templates(session: Session, inspection_code: str) -> dict[str, TypedTemplate]:
    """Inspection code -> its typed template (parsed once per SHA-256, not per finding)."""
    query = select(Inspection.code, ChecklistTemplate.id, ChecklistTemplate.sha256).join(
        ChecklistTemplate, Inspection.template_id == ChecklistTemplate.id)
    if inspection_code:
        query = query.where(Inspection.code == inspection_code)

    def loader(template_id: int) -> Callable[[], Any]:
        return lambda: session.scalar(
            select(ChecklistTemplate.content).where(ChecklistTemplate.id == template_id))

    return {code: typed_by_sha256(sha, loader(tid)) for code, tid, sha in session.execute(query)}


def load_finding_rows(session: Session, inspection_code: str = "") -> list[FindingListRow]:
    """All findings of one inspection (or of every inspection when the code is empty), in
    inspection then finding code order."""
    query = select(
        Finding.id, Inspection.code, Finding.code, Finding.title, Finding.classification,
        Finding.status, Finding.owner, Finding.due_date, Finding.severity, Finding.likelihood,
        Finding.likely_483,
    ).join(Inspection, Finding.inspection_id == Inspection.id)  # fmt: skip
    links = select(FindingQuestion.finding_id, FindingQuestion.question_id).order_by(
        FindingQuestion.id
    )
    if inspection_code:
        query = query.where(Inspection.code == inspection_code)
        links = links.join(Finding, FindingQuestion.finding_id == Finding.id).join(
            Inspection, Finding.inspection_id == Inspection.id
        ).where(Inspection.code == inspection_code)
    # On the Connection: plain Core rows, no ORM result layer for 5,000 lines.
    conn = session.connection()
    by_finding: dict[int, list[str]] = defaultdict(list)
    for finding_id, question_id in conn.execute(links).all():
        by_finding[finding_id].append(question_id)
    templates = _templates(session, inspection_code)
    rows: list[FindingListRow] = []
    append, of_values, no_links = rows.append, FindingListRow.of_values, ()
    damaged = False
    # One lookup per (template, linked questions): 5,000 findings link a few hundred questions.
    areas: dict[tuple[int, tuple[str, ...]], str] = {}
    template_keys = {code: id(template) for code, template in templates.items()}
    for (fid, insp_code, code, title, classification, status, owner, due, severity, likelihood,
         likely_483) in conn.execute(query.order_by(Inspection.code, Finding.code)).all():
        # The damaged-value check in the same pass (a BLOB title, text in a severity): a type
        # test per value; refuse_damaged_rows names the damage only when one fails.
        if not damaged and not (
            type(code) is str and type(title) is str and type(classification) is str
            and type(status) is str and type(owner) is str and type(insp_code) is str
            and type(severity) is int and type(likelihood) is int
            and type(likely_483) in (bool, int)
        ):
            damaged = True
        qids = tuple(by_finding.get(fid, no_links))
        area_key = (template_keys[insp_code], qids)
        area = areas.get(area_key)
        if area is None:
            area = areas[area_key] = finding_area(templates[insp_code], qids) or NO_AREA
        append(of_values((
            insp_code, code, title, classification, status, area, owner, due, severity,
            likelihood, bool(likely_483), qids,
        )))  # fmt: skip
    if damaged:
        refuse_damaged_rows(session, rows, "The findings register")  # names the value
    return rows


def inspection_locked(session: Session, inspection_code: str) -> bool:
    """Whether the inspection is signed off (its findings are then read-only)."""
    if not inspection_code:
        return False
    status = session.scalar(select(Inspection.status).where(Inspection.code == inspection_code))
    return status == InspectionStatus.SIGNED_OFF
