"""One place that turns a concurrent edit into the user's choice: reload theirs, or keep mine.

A save that would overwrite someone else's newer change raises ``RevisionConflict`` (from the
undo command's field check or from the service's revision check). ``save_resolving_conflicts``
asks "Changed by X at T" with two answers and no way to dismiss the question (Escape and the
close button do nothing), so nothing is overwritten and nothing typed is dropped without the
user choosing it. Keep mine saves again over the revision they saw in the box; if yet another
change lands meanwhile, they are asked again.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from qmsr_ready.core.errors import QmsrError, RevisionConflict
from qmsr_ready.ui.commands.base import ServiceCommand, execute

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

RELOAD_TEXT = "Reload theirs"
KEEP_TEXT = "Keep mine"


class ConflictChoice(enum.Enum):
    RELOAD = "reload"
    KEEP_MINE = "keep"


Asker = Callable[[QWidget | None, RevisionConflict, str], ConflictChoice]


def changed_by(exc: RevisionConflict) -> str:
    """``"Changed by Ana Ruiz at 14:05"`` (local time; date too when not today)."""
    who = exc.who or "someone else"
    when = exc.when
    if when is None:
        return f"Changed by {who}."
    local = when.astimezone()
    today = dt.datetime.now().astimezone().date()
    shown = f"{local:%H:%M}" if local.date() == today else f"{local:%Y-%m-%d %H:%M}"
    return f"Changed by {who} at {shown}."


def conflict_box(parent: QWidget | None, exc: RevisionConflict, what: str) -> QMessageBox:
    """The question, built but not shown (tests and screenshots grab it)."""
    box = QMessageBox(parent)
    box.setObjectName("conflictBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Changed by someone else")
    box.setText(f"<b>{changed_by(exc)}</b>")
    box.setInformativeText(
        f"{what} was saved by someone else after you started editing it.\n\n"
        f"{RELOAD_TEXT}: show their version; your unsaved edit here is discarded.\n"
        f"{KEEP_TEXT}: save yours over theirs (their change stays in the audit trail)."
    )
    reload_button = box.addButton(RELOAD_TEXT, QMessageBox.ButtonRole.DestructiveRole)
    keep_button = box.addButton(KEEP_TEXT, QMessageBox.ButtonRole.AcceptRole)
    reload_button.setObjectName("conflictReload")
    keep_button.setObjectName("conflictKeep")
    box.setDefaultButton(keep_button)  # Enter never throws away what was typed
    return box


def ask_conflict(parent: QWidget | None, exc: RevisionConflict, what: str) -> ConflictChoice:
    """Show the question modally; the answer (there is no third way out)."""
    box = conflict_box(parent, exc, what)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is not None and clicked.objectName() == "conflictReload":
        return ConflictChoice.RELOAD
    return ConflictChoice.KEEP_MINE


def save_resolving_conflicts(
    ctx: AppContext,
    parent: QWidget | None,
    make_command: Callable[[int | None], ServiceCommand],
    *,
    what: str,
    on_reload: Callable[[], None],
    ask: Asker | None = None,
) -> QmsrError | None:
    """Run ``make_command(None)``; on a conflict ask, then reload or save over it.

    ``make_command(expected_revision)`` builds the undoable save (``None``: check the fields
    the editor showed). Returns the refusal still standing (not a conflict), or None.
    """
    asker = ask or ask_conflict
    error = execute(ctx, make_command(None))
    while isinstance(error, RevisionConflict):
        if asker(parent, error, what) is ConflictChoice.RELOAD:
            on_reload()
            return None
        error = execute(ctx, make_command(error.current_revision))
    return error
