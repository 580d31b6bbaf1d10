"""Undoable finding edits: raise (undo deletes), update fields, move status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.errors import NotFound
from qmsr_ready.core.models import Finding, Inspection
from qmsr_ready.core.services import findings as finding_service
from qmsr_ready.core.vocab import FindingStatus
from qmsr_ready.ui.commands.base import ErrorSink, ServiceCommand

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

FINDING_FIELDS = (
    "title",
    "classification",
    "objective_evidence",
    "requirement",
    "likely_483",
    "severity",
    "likelihood",
    "owner",
    "due_date",
    "correction",
    "root_cause",
    "corrective_action",
    "capa_reference",
    "effectiveness_check",
)


def load_finding(session: Session, inspection_code: str, finding_code: str) -> Finding:
    row = session.execute(
        select(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id)
        .where(Inspection.code == inspection_code, Finding.code == finding_code)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"Finding {finding_code} of {inspection_code} no longer exists.")
    return row


class RaiseFindingCommand(ServiceCommand):
    """Raises a finding; undo deletes it again (through ``delete_finding``)."""

    kind = "finding"

    def __init__(
        self,
        ctx: AppContext,
        inspection_code: str,
        fields: dict[str, Any],
        on_error: ErrorSink | None = None,
    ) -> None:
        label = f"Raise finding “{fields.get('title', '')}”"
        super().__init__(ctx, inspection_code, label, on_error)
        self.fields = dict(fields)
        self.finding_code = ""

    def apply(self, session: Session) -> None:
        # A redo after undo brings the finding back under the code it had.
        code = {"code": self.finding_code} if self.finding_code else {}
        finding = finding_service.raise_finding(
            session, self._ctx.actor, inspection_code=self._inspection_code, **self.fields, **code
        )
        self.finding_code = finding.code

    def revert(self, session: Session) -> None:
        finding_service.delete_finding(
            session, self._ctx.actor, self._inspection_code, self.finding_code
        )


class UpdateFindingCommand(ServiceCommand):
    """Changes some finding fields (not status); undo restores the old values."""

    kind = "finding"

    def __init__(
        self,
        ctx: AppContext,
        inspection_code: str,
        finding_code: str,
        changes: dict[str, Any],
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__(ctx, inspection_code, f"Edit finding {finding_code}", on_error)
        self.finding_code = finding_code
        self.new_values = dict(changes)
        self.old_values: dict[str, Any] | None = None

    def apply(self, session: Session) -> None:
        if self.old_values is None:
            row = load_finding(session, self._inspection_code, self.finding_code)
            self.old_values = {
                name: (list(row.question_ids) if name == "question_ids" else getattr(row, name))
                for name in self.new_values
            }
        self._update(session, self.new_values)

    def revert(self, session: Session) -> None:
        if self.old_values is not None:
            self._update(session, self.old_values)

    def _update(self, session: Session, values: dict[str, Any]) -> None:
        finding_service.update_finding(
            session, self._ctx.actor, self._inspection_code, self.finding_code, **values
        )


class TransitionFindingCommand(ServiceCommand):
    """Moves a finding to a new status; undo moves it back if the workflow allows."""

    kind = "finding"

    def __init__(
        self,
        ctx: AppContext,
        inspection_code: str,
        finding_code: str,
        new_status: str,
        on_error: ErrorSink | None = None,
    ) -> None:
        label = FindingStatus(new_status).label
        super().__init__(ctx, inspection_code, f"Move {finding_code} to {label}", on_error)
        self.finding_code = finding_code
        self.new_status = new_status
        self.old_status: str | None = None

    def apply(self, session: Session) -> None:
        if self.old_status is None:
            self.old_status = load_finding(session, self._inspection_code, self.finding_code).status
        finding_service.transition_finding(
            session, self._ctx.actor, self._inspection_code, self.finding_code, self.new_status
        )

    def revert(self, session: Session) -> None:
        if self.old_status is None:
            return
        steps = [self.old_status]
        if self.new_status == FindingStatus.CLOSED and self.old_status != FindingStatus.OPEN:
            # The workflow only lets a closed finding reopen to open; go back through it.
            steps.insert(0, FindingStatus.OPEN.value)
        for status in steps:
            finding_service.transition_finding(
                session, self._ctx.actor, self._inspection_code, self.finding_code, status
            )
