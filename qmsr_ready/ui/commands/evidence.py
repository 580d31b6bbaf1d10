"""Undoable evidence edits: attach files (first run on a worker) and unlink a file.

Undo of an attach removes the evidence it created (its bytes stay stored by SHA-256, so redo
needs no file) or the link it added; undo of a removal links the file again. Every step goes
through ``core/services/evidence_undo`` or ``evidence`` and is audited like any other change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from qmsr_ready.core.services import evidence as evidence_service
from qmsr_ready.core.services import evidence_undo
from qmsr_ready.core.services.evidence_undo import AttachStep, EvidenceTarget
from qmsr_ready.ui.commands.base import ErrorSink, ServiceCommand

if TYPE_CHECKING:
    from qmsr_ready.core.views import Session
    from qmsr_ready.ui.context import AppContext


def _place(target: EvidenceTarget) -> str:
    if target.question_id:
        return f"to {target.question_id}"
    return f"to {target.finding_code}" if target.finding_code else ""


def push_applied(ctx: AppContext, command: ServiceCommand) -> None:
    """Push a command whose first run already happened on a worker (committed there)."""
    command._skip_next_redo = True  # push() calls redo(); the work is already done
    ctx.undo_stack.push(command)


class AttachEvidenceCommand(ServiceCommand):
    """Files a worker attached to a question or finding; pushed with ``push_applied``."""

    kind = "evidence"

    def __init__(
        self,
        ctx: AppContext,
        target: EvidenceTarget,
        steps: Sequence[AttachStep],
        on_error: ErrorSink | None = None,
    ) -> None:
        names = ", ".join(step.filename for step in steps[:2])
        if len(steps) > 2:
            names += f" and {len(steps) - 2} more"
        super().__init__(
            ctx, target.inspection_code, f"Attach {names} {_place(target)}".rstrip(), on_error
        )
        self.target = target
        self.steps = tuple(steps)

    def apply(self, session: Session) -> None:
        for step in self.steps:
            evidence_undo.redo_attach(session, self._ctx.actor, self.target, step)

    def revert(self, session: Session) -> None:
        for step in reversed(self.steps):
            evidence_undo.undo_attach(session, self._ctx.actor, self.target, step)


class RemoveEvidenceCommand(ServiceCommand):
    """Unlinks a file from a question or finding (it stays in the inspection); undo relinks."""

    kind = "evidence"

    def __init__(
        self,
        ctx: AppContext,
        target: EvidenceTarget,
        evidence_code: str,
        on_error: ErrorSink | None = None,
    ) -> None:
        where = _place(target).replace("to ", "from ", 1)
        super().__init__(
            ctx, target.inspection_code, f"Remove {evidence_code} {where}".rstrip(), on_error
        )
        self.target = target
        self.evidence_code = evidence_code

    def apply(self, session: Session) -> None:
        evidence_service.detach_evidence(
            session, self._ctx.actor, self.target.inspection_code, self.evidence_code,
            question_id=self.target.question_id, finding_code=self.target.finding_code,
        )

    def revert(self, session: Session) -> None:
        evidence_service.link_evidence(
            session, self._ctx.actor, self.target.inspection_code, self.evidence_code,
            question_id=self.target.question_id, finding_code=self.target.finding_code,
        )
