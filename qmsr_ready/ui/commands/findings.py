"""Undoable finding edits: raise (undo deletes), update fields, move status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qmsr_ready.core.changes import refuse_if_stale
from qmsr_ready.core.services import findings as finding_service
from qmsr_ready.core.services.inspection_undo import back_to_planned
from qmsr_ready.core.views.undo import finding_values
from qmsr_ready.core.vocab import FindingStatus
from qmsr_ready.ui.commands.base import ErrorSink, ServiceCommand

if TYPE_CHECKING:
    from qmsr_ready.core.views import Session
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
        code: dict[str, Any] = {"code": self.finding_code} if self.finding_code else {}
        finding = finding_service.raise_finding(
            session, self._ctx.actor, inspection_code=self._inspection_code, **self.fields, **code
        )
        self.finding_code = finding.code

    def revert(self, session: Session) -> None:
        finding_service.delete_finding(
            session, self._ctx.actor, self._inspection_code, self.finding_code
        )
        # Undoing the first finding also undoes the planned -> in progress move it made.
        back_to_planned(session, self._ctx.actor, self._inspection_code)


class UpdateFindingCommand(ServiceCommand):
    """Changes some finding fields (not status); undo restores the old values.

    ``base`` and ``expected_revision`` guard against overwriting someone else's save, as in
    ``RecordResponseCommand``.
    """

    kind = "finding"

    def __init__(
        self,
        ctx: AppContext,
        inspection_code: str,
        finding_code: str,
        changes: dict[str, Any],
        on_error: ErrorSink | None = None,
        *,
        base: dict[str, Any] | None = None,
        expected_revision: int | None = None,
    ) -> None:
        super().__init__(ctx, inspection_code, f"Edit finding {finding_code}", on_error)
        self.finding_code = finding_code
        self.new_values = dict(changes)
        self.old_values: dict[str, Any] | None = None
        self.base = None if base is None else {k: base[k] for k in changes if k in base}
        self.expected_revision = expected_revision
        self._after: dict[str, Any] | None = None

    def apply(self, session: Session) -> None:
        base, expected = self.base, self.expected_revision
        if self.old_values is None:
            self.old_values = finding_values(
                session, self._inspection_code, self.finding_code, self.new_values
            )
            if expected is not None:  # "Keep mine": over that one revision only
                base = None
        else:  # a redo: nobody may have changed the fields since the undo put them back
            base, expected = self._after, None
        self._update(session, self.new_values, base, expected)

    def revert(self, session: Session) -> None:
        if self.old_values is not None:
            self._update(session, self.old_values, self._after, None)

    def _update(self, session: Session, values: dict[str, Any], base: dict[str, Any] | None,
                expected: int | None) -> None:
        stored = finding_values(
            session, self._inspection_code, self.finding_code, [*values, "revision"]
        )
        refuse_if_stale(
            session, what=f"Finding {self.finding_code}", inspection_code=self._inspection_code,
            entity_id=f"{self._inspection_code}/{self.finding_code}",
            current=stored, base=base, fields=values, revision=stored["revision"],
        )
        finding_service.update_finding(
            session, self._ctx.actor, self._inspection_code, self.finding_code,
            expected_revision=stored["revision"] if expected is None else expected, **values,
        )
        # As stored (cleaned), so the next undo or redo compares like with like.
        self._after = finding_values(session, self._inspection_code, self.finding_code, values)


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
            self.old_status = finding_values(
                session, self._inspection_code, self.finding_code, ("status",)
            )["status"]
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
