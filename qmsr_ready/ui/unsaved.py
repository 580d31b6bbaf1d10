"""Saving, or knowingly dropping, the checklist text whose save was refused before the
workspace goes (File > Open, Close, New, Connect to server, quitting)."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.ui.commands.responses import RecordResponseCommand
from qmsr_ready.ui.conflicts import Asker as ConflictAsker
from qmsr_ready.ui.conflicts import save_resolving_conflicts
from qmsr_ready.ui.unsaved_texts import UnsavedText

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext


class LeaveChoice(Enum):
    RETRY = "retry"
    DISCARD = "discard"
    CANCEL = "cancel"


Asker = Callable[[QWidget | None, "AppContext", str], LeaveChoice]


def retry_unsaved(ctx: AppContext, parent: QWidget | None = None, *,
                  ask_conflict: ConflictAsker | None = None) -> QmsrError | None:
    """Save every kept text again (each an undoable step, checked against what the file held
    when it was refused: someone else's change since is the usual conflict question, keep
    mine or use theirs); what is refused again stays kept. The last refusal, or None."""
    last: QmsrError | None = None
    for (code, question_id, field), kept in ctx.unsaved.items():
        error = save_resolving_conflicts(
            ctx, parent, _saving(ctx, code, question_id, field, kept),
            what=f"The {field.replace('_', ' ')} of {question_id} in {code}",
            on_reload=lambda: None, ask=ask_conflict)
        if error is None:  # saved, or the user chose theirs
            ctx.unsaved.drop(code, question_id, field)
        else:
            ctx.unsaved.keep(code, question_id, field, kept.text, base=kept.base,
                             reason=error.message)
            last = error
    return last


def _saving(ctx: AppContext, code: str, question_id: str, field: str, kept: UnsavedText
            ) -> Callable[[int | None], RecordResponseCommand]:
    """The undoable save of one kept text: over what the file held when it was refused, or
    (the user chose "keep mine") over the revision now stored."""
    def make(expected: int | None) -> RecordResponseCommand:
        return RecordResponseCommand(
            ctx, code, question_id, {field: kept.text},
            base=None if expected is not None else {field: kept.base},
            expected_revision=expected)
    return make


def ask_leave(parent: QWidget | None, ctx: AppContext, action: str) -> LeaveChoice:
    """Ask whether to try again, drop the kept text, or stay."""
    lines = ctx.unsaved.describe()
    reason = ctx.unsaved.items()[-1][1].reason if lines else ""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Typing not saved")
    box.setText(f"Some typing is not saved yet: {'; '.join(lines)}.")
    box.setInformativeText(
        f"When it was last tried: {reason}\n\nTry again (someone else's change since is "
        f"asked about), or {action} without it?")
    retry = box.addButton("Try again", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(f"{action.capitalize()} without it",
                            QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(retry)
    box.setAccessibleName("Typing not saved")
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is retry:
        return LeaveChoice.RETRY
    if clicked is discard:
        return LeaveChoice.DISCARD
    return LeaveChoice.CANCEL


def confirm_leave(parent: QWidget | None, ctx: AppContext, action: str, *,
                  ask: Asker | None = None) -> bool:
    """Before the workspace goes: views save what waits for its pause; then, while some text
    was refused, ask. True when the caller may go on (saved, or dropped knowingly)."""
    ctx.flush_edits()
    asker = ask or ask_leave
    while ctx.unsaved:
        choice = asker(parent, ctx, action)
        if choice is LeaveChoice.RETRY:
            retry_unsaved(ctx, parent)
        elif choice is LeaveChoice.DISCARD:
            ctx.discard_edits()
        else:
            return False
    return True
