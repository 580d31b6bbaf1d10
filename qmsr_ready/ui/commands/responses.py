"""Undoable recording of a checklist response (result, notes, sampling, interviewees)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand
from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.models import Inspection, Response
from qmsr_ready.core.services import responses as response_service
from qmsr_ready.core.vocab import Result
from qmsr_ready.ui.commands.base import ErrorSink, ServiceCommand

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

RESPONSE_FIELDS = (
    "result",
    "notes",
    "sample_population",
    "sample_size",
    "records_reviewed",
    "interviewees",
)
_DEFAULTS: dict[str, Any] = {
    "result": Result.NOT_ASSESSED.value,
    "notes": "",
    "sample_population": None,
    "sample_size": None,
    "records_reviewed": "",
    "interviewees": "",
}
_NOTES_MERGE_ID = 4101


def current_values(session: Session, inspection_code: str, question_id: str) -> dict[str, Any]:
    """The stored response fields (defaults when the question was never answered)."""
    row = session.execute(
        select(Response)
        .join(Inspection, Response.inspection_id == Inspection.id)
        .where(Inspection.code == inspection_code, Response.question_id == question_id)
    ).scalar_one_or_none()
    if row is None:
        return dict(_DEFAULTS)
    return {name: getattr(row, name) for name in RESPONSE_FIELDS}


class RecordResponseCommand(ServiceCommand):
    """Sets some response fields; undo puts back exactly the values they had before."""

    kind = "response"

    def __init__(
        self,
        ctx: AppContext,
        inspection_code: str,
        question_id: str,
        changes: dict[str, Any],
        on_error: ErrorSink | None = None,
    ) -> None:
        unknown = set(changes) - set(RESPONSE_FIELDS)
        if unknown:
            raise ValueError(f"not response fields: {sorted(unknown)}")
        label = _describe(question_id, changes)
        super().__init__(ctx, inspection_code, label, on_error)
        self.question_id = question_id
        self.new_values = dict(changes)
        self.old_values: dict[str, Any] | None = None

    def apply(self, session: Session) -> None:
        if self.old_values is None:
            before = current_values(session, self._inspection_code, self.question_id)
            self.old_values = {name: before[name] for name in self.new_values}
        self._record(session, self.new_values)

    def revert(self, session: Session) -> None:
        if self.old_values is not None:
            self._record(session, self.old_values)

    def _record(self, session: Session, values: dict[str, Any]) -> None:
        response_service.record_response(
            session,
            self._ctx.actor,
            inspection_code=self._inspection_code,
            question_id=self.question_id,
            **values,
        )

    def id(self) -> int:
        # Consecutive autosaves of one question's notes merge into one undo step.
        return _NOTES_MERGE_ID if set(self.new_values) == {"notes"} else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, RecordResponseCommand):
            return False
        if (
            other.question_id != self.question_id
            or other._inspection_code != self._inspection_code
            or set(other.new_values) != {"notes"}
        ):
            return False
        self.new_values["notes"] = other.new_values["notes"]
        return True


def _describe(question_id: str, changes: dict[str, Any]) -> str:
    if "result" in changes:
        try:
            label = Result(changes["result"]).label
        except ValueError:
            label = str(changes["result"])
        return f"Set {question_id} to {label}"
    if set(changes) == {"notes"}:
        return f"Edit notes of {question_id}"
    return f"Edit {question_id}"
