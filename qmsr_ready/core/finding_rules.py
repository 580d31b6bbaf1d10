"""Two rules about a finding that every reader shares: its area and whether it is overdue.

Why: the register took the area from the question ID's prefix while the packs looked it up in
the template, and overdue was written out three times; each now lives once, here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from qmsr_ready.core.template_model import TypedTemplate
from qmsr_ready.core.vocab import FindingStatus

NO_AREA = ""  # a finding linked to no question of the template


def finding_area(template: TypedTemplate, question_ids: Iterable[str]) -> str:
    """The area of the first linked question the template knows (``NO_AREA`` when none)."""
    for qid in question_ids:
        question = template.question(qid)
        element = template.element(question.element_id) if question is not None else None
        if element is not None:
            return element.area_id
    return NO_AREA


def is_overdue(due_date: dt.date | None, status: str, today: dt.date) -> bool:
    """Due before ``today`` and not closed."""
    return due_date is not None and due_date < today and status != FindingStatus.CLOSED


def days_overdue(due_date: dt.date | None, status: str, today: dt.date) -> int:
    """Whole days past the due date (0 when not overdue)."""
    return (today - due_date).days if due_date and is_overdue(due_date, status, today) else 0
