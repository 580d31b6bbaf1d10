"""Saving, or knowingly dropping, the checklist text whose save was refused before the
workspace goes (File > Open, Close, New, Connect to server, quitting)."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.ui.commands.base import execute
from qmsr_ready.ui.commands.responses import RecordResponseCommand

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext


class LeaveChoice(Enum):
    RETRY = "retry"
    DISCARD = "discard"
    CANCEL = "cancel"


Asker = Callable[[QWidget | None, "AppContext", str], LeaveChoice]


def retry_unsaved(ctx: AppContext) -> QmsrError | None:
    """Save every kept text again (each an undoable step, checked against what the file held
    when it was refused); what is refused again stays kept. The last refusal, or None."""
    last: QmsrError | None = None
    for (code, question_id, field), kept in ctx.unsaved.items():
        error = execute(ctx, RecordResponseCommand(ctx, code, question_id, {field: kept.text},
                                                   base={field: kept.base}))
        if error is None:
            ctx.unsaved.drop(code, question_id, field)
        else:
            ctx.unsaved.keep(code, question_id, field, kept.text, base=kept.base,
                             reason=error.message)
            last = error
    return last


def ask_leave(parent: QWidget | None, ctx: AppContext, action: str) -> LeaveChoice:
    """Ask whether to try again, drop the kept text, or stay."""
    lines = ctx.unsaved.describe()
    reason = ctx.unsaved.items()[-1][1].reason if lines else ""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Typing not saved")
    box.setText(f"Some typing could not be saved, so it is still only on screen: "
                f"{'; '.join(lines)}.")
    box.setInformativeText(f"{reason}\n\nTry again, or {action} without it?")
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
            retry_unsaved(ctx)
        elif choice is LeaveChoice.DISCARD:
            ctx.unsaved.clear()
        else:
            return False
    return True
