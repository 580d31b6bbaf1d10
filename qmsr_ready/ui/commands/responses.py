"""Undoable recording of a checklist response (result, notes, sampling, interviewees)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from qmsr_ready.core.services import responses as response_service
from qmsr_ready.core.services.inspection_undo import back_to_planned
from qmsr_ready.core.views.undo import RESPONSE_FIELDS
from qmsr_ready.core.vocab import Result
from qmsr_ready.ui.commands.base import ErrorSink, ServiceCommand

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from qmsr_ready.core.db import WriteConnection
    from qmsr_ready.core.views import Session
    from qmsr_ready.ui.context import AppContext

__all__ = ["RESPONSE_FIELDS", "RecordResponseCommand"]
_NOTES_MERGE_ID = 4101
_FIELDS = frozenset(RESPONSE_FIELDS)


class RecordResponseCommand(ServiceCommand):
    """Sets some response fields; undo puts back exactly the values they had before.

    ``base`` is what the editor showed for the changed fields: a save over a field someone else
    changed since is refused with ``RevisionConflict`` (undo and redo check the same way), and
    ``expected_revision`` (the user chose "Keep mine") saves over that one revision only.
    """

    kind = "response"

    def __init__(
        self,
        ctx: AppContext,
        inspection_code: str,
        question_id: str,
        changes: dict[str, Any],
        on_error: ErrorSink | None = None,
        *,
        base: dict[str, Any] | None = None,
        expected_revision: int | None = None,
    ) -> None:
        if not _FIELDS.issuperset(changes):
            raise ValueError(f"not response fields: {sorted(set(changes) - _FIELDS)}")
        label = _describe(question_id, changes)
        super().__init__(ctx, inspection_code, label, on_error)
        self.question_id = question_id
        self.new_values = dict(changes)
        self.old_values: dict[str, Any] | None = None
        self.base = None if base is None else {k: base[k] for k in changes if k in base}
        self.expected_revision = expected_revision
        self._after: dict[str, Any] | None = None

    def run_in_transaction(self, step: Callable[[Session], None]) -> None:
        # The autosave (and its redo) runs in ``ctx.write_lean``: on a file, with no ORM
        # Session (save_response's lean statements on a WriteConnection; a planned
        # inspection's first answer or a refusal joins a Session to the same transaction).
        # Undo, which may move the inspection back to planned through the ORM, and a read-only
        # workspace's refusal go the way of every command.
        if self._ctx.read_only or step != self.apply:
            super().run_in_transaction(step)
            return
        with self._ctx.write_lean(self.kind, self._inspection_code,
                                  self.question_id) as owner:
            self._apply(owner)

    def apply(self, session: Session) -> None:
        self._apply(session)

    def _apply(self, session: Session | WriteConnection) -> None:
        if self.old_values is None:
            base, expected = (None, self.expected_revision) if (
                self.expected_revision is not None) else (self.base, None)
        else:  # a redo: nobody may have changed the fields since the undo put them back
            base, expected = self._after, None
        saved = self._record(session, self.new_values, base, expected)
        if self.old_values is None:
            self.old_values = {name: saved.before[name] for name in self.new_values}

    def revert(self, session: Session) -> None:
        if self.old_values is not None:
            self._record(session, self.old_values, self._after, None)
            # Undoing the first answer also undoes the planned -> in progress move it made.
            back_to_planned(session, self._ctx.actor, self._inspection_code)

    def _write(self) -> AbstractContextManager[Session]:
        # Names the question, so the runner updates that one row instead of reloading.
        return self._ctx.write(self.kind, self._inspection_code, self.question_id)

    def _record(self, session: Session | WriteConnection, values: dict[str, Any],
                base: dict[str, Any] | None, expected: int | None
                ) -> response_service.SavedResponse:
        # One read of the row serves the stale check (against what the editor showed), the save
        # and what was stored before and after it.
        saved = response_service.save_response(
            session,
            self._ctx.actor,
            inspection_code=self._inspection_code,
            question_id=self.question_id,
            values=values,
            base=base,
            expected_revision=expected,
        )
        # As stored (cleaned), so the next undo or redo compares like with like.
        self._after = {name: saved.after[name] for name in values}
        return saved

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
        self._after = other._after  # undo checks against what the last autosave stored
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
