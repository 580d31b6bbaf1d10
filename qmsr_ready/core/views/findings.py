"""Reads behind the findings register: frozen rows, three queries however many findings.

The register shows every finding of a workspace (5,000 on the large one), so it reads only the
columns it shows with Core ``select``s (no ORM instances, no identity map; on SQLite run on the
driver connection, without SQLAlchemy's result layer) and hands the GUI frozen rows it can keep
across commits. Overdue means a due date before today on a finding that is not closed; a
finding's area and overdue come from ``core.finding_rules``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from qmsr_ready.core.damaged_rows import refuse_damaged_rows
from qmsr_ready.core.finding_rules import finding_area, is_overdue
from qmsr_ready.core.lean_sql import LeanConnection, LeanStatement
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


_ROW_COLUMNS = (
    Finding.id, Inspection.code, Finding.code, Finding.title, Finding.classification,
    Finding.status, Finding.owner, Finding.due_date, Finding.severity, Finding.likelihood,
    Finding.likely_483,
)  # fmt: skip
_ONE = Inspection.code == bindparam("code")
_ALL_ROWS = (select(*_ROW_COLUMNS).join(Inspection, Finding.inspection_id == Inspection.id)
             .order_by(Inspection.code, Finding.code))
_ALL_LINKS = select(FindingQuestion.finding_id, FindingQuestion.question_id).order_by(
    FindingQuestion.id)
# Each statement compiled once per dialect: on SQLite it runs on the driver connection (a
# ``LeanStatement``), on a server through the Session's connection, the same text either way.
_SELECTS = {
    False: (_ALL_ROWS, _ALL_LINKS),
    True: (_ALL_ROWS.where(_ONE), _ALL_LINKS.join(Finding, FindingQuestion.finding_id == Finding.id)
           .join(Inspection, Finding.inspection_id == Inspection.id).where(_ONE)),
}
LEAN_DIALECTS = frozenset({"sqlite"})  # read on the driver connection; others through Core
_LEAN = {one: (LeanStatement(rows), LeanStatement(links))
         for one, (rows, links) in _SELECTS.items()}


def _fetch(session: Session, inspection_code: str) -> tuple[list[Any], list[Any], Any]:
    """The register's rows and question links as plain tuples, and the processor that turns a
    stored due date into a ``date`` (None when the driver already gives one).

    Why the driver connection on SQLite: SQLAlchemy's result layer (a Row per line, the date
    processor per value) was about 3 ms of reading 5,000 findings, issue 13's open-to-register;
    a server keeps the Core path."""
    params = {"code": inspection_code} if inspection_code else {}
    conn = session.connection()
    dialect = conn.dialect
    if dialect.name in LEAN_DIALECTS:
        lean = LeanConnection.of(session)
        rows_stmt, links_stmt = _LEAN[bool(inspection_code)]
        links = links_stmt.run(lean, params).fetchall()
        rows = rows_stmt.run(lean, params).fetchall()
        due = Finding.__table__.c.due_date.type.dialect_impl(dialect)
        return rows, links, due.result_processor(dialect, None)
    rows_select, links_select = _SELECTS[bool(inspection_code)]
    links = list(conn.execute(links_select, params).all())
    rows = list(conn.execute(rows_select, params).all())
    return rows, links, None


def load_finding_rows(session: Session, inspection_code: str = "") -> list[FindingListRow]:
    """All findings of one inspection (or of every inspection when the code is empty), in
    inspection then finding code order."""
    found, links, due_of = _fetch(session, inspection_code)
    by_finding: dict[int, list[str]] = defaultdict(list)
    for finding_id, question_id in links:
        by_finding[finding_id].append(question_id)
    templates = _templates(session, inspection_code)
    rows: list[FindingListRow] = []
    append, new, no_links = rows.append, object.__new__, ()
    damaged = False
    # One lookup per (template, linked questions): 5,000 findings link a few hundred questions.
    areas: dict[tuple[int, tuple[str, ...]], str] = {}
    template_keys = {code: id(template) for code, template in templates.items()}
    # A due date parsed once per distinct stored value (a few hundred days for 5,000 findings).
    dates: dict[Any, dt.date | None] = {None: None}
    for (fid, insp_code, code, title, classification, status, owner, stored_due, severity,
         likelihood, likely_483) in found:
        # The damaged-value check in the same pass (a BLOB title, text in a severity): a type
        # test per value; refuse_damaged_rows names the damage only when one fails.
        if not damaged and not (
            type(code) is str and type(title) is str and type(classification) is str
            and type(status) is str and type(owner) is str and type(insp_code) is str
            and type(severity) is int and type(likelihood) is int
            and type(likely_483) in (bool, int)
        ):
            damaged = True
        if due_of is None:
            due = stored_due
        elif stored_due in dates:
            due = dates[stored_due]
        else:
            due = dates[stored_due] = due_of(stored_due)
        qids = tuple(by_finding.get(fid, no_links))
        area_key = (template_keys[insp_code], qids)
        area = areas.get(area_key)
        if area is None:
            area = areas[area_key] = finding_area(templates[insp_code], qids) or NO_AREA
        # FindingListRow.of_values inlined, by keyword: no tuple, zip or call per row.
        row = new(FindingListRow)
        row.__dict__.update(
            inspection_code=insp_code, code=code, title=title, classification=classification,
            status=status, area_id=area, owner=owner, due_date=due, severity=severity,
            likelihood=likelihood, likely_483=bool(likely_483), question_ids=qids,
        )  # fmt: skip
        append(row)
    if damaged:
        refuse_damaged_rows(session, rows, "The findings register")  # names the value
    return rows


def inspection_locked(session: Session, inspection_code: str) -> bool:
    """Whether the inspection is signed off (its findings are then read-only)."""
    if not inspection_code:
        return False
    status = session.scalar(select(Inspection.status).where(Inspection.code == inspection_code))
    return status == InspectionStatus.SIGNED_OFF
