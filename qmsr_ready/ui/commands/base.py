"""Undoable edits: each command calls a core service in its own write transaction.

The first run happens in :func:`execute` *before* the command is pushed, so a refused edit
(signed-off inspection, invalid transition) never lands on the undo stack and the caller gets
the :class:`QmsrError` to explain in words. Later redo/undo runs come from the Edit menu; a
refusal there is handed to ``on_error`` because Qt gives undo no way to fail; Qt has already
moved the stack's index by then, so it is moved back on the next turn of the event loop
(without running the service again), and the refused step stays available for later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand

from qmsr_ready.core.errors import QmsrError

if TYPE_CHECKING:
    from qmsr_ready.core.views import Session
    from qmsr_ready.ui.context import AppContext

log = logging.getLogger(__name__)

ErrorSink = Callable[[QmsrError], None]


class ReadOnlyError(QmsrError):
    """Raised before any write when the workspace is open read-only."""


class ServiceCommand(QUndoCommand):
    """A QUndoCommand whose do/undo are service calls inside ``ctx.write``."""

    kind = ""  # the data_changed kind announced after each run

    def __init__(
        self,
        ctx: AppContext,
        inspection_code: str,
        text: str,
        on_error: ErrorSink | None = None,
    ) -> None:
        # The Edit menu shows this text, and undo may act on an inspection other than the one on
        # screen, so every step names its inspection.
        super().__init__(f"{text} ({inspection_code})" if inspection_code else text)
        self._ctx = ctx
        self._inspection_code = inspection_code
        self._on_error = on_error
        self._skip_next_redo = False
        self._skip_next_undo = False
        self.last_error: QmsrError | None = None

    # Subclasses implement these two; both run inside one write transaction.
    def apply(self, session: Session) -> None:
        raise NotImplementedError

    def revert(self, session: Session) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            return
        if not self._run(self.apply):
            self._restore_index(undo=True)

    def undo(self) -> None:
        if self._skip_next_undo:
            self._skip_next_undo = False
            return
        if not self._run(self.revert):
            self._restore_index(undo=False)

    def _restore_index(self, *, undo: bool) -> None:
        """Step the stack back over a refused run, as if it had never been asked for."""
        stack = self._ctx.undo_stack
        if undo:
            self._skip_next_undo = True
            QTimer.singleShot(0, stack, stack.undo)
        else:
            self._skip_next_redo = True
            QTimer.singleShot(0, stack, stack.redo)

    def _run(self, step: Callable[[Session], None]) -> bool:
        """Run one step; on refusal report it and return False."""
        self.last_error = None
        try:
            self.run_in_transaction(step)
        except QmsrError as exc:
            self.last_error = exc
            log.warning("undo/redo of %r refused: %s", self.text(), exc.message)
            if self._on_error is not None:
                try:
                    self._on_error(exc)
                except RuntimeError:  # the widget that asked has been closed and deleted
                    log.info("no live widget to show %r", exc.message)
            return False
        return True

    def run_in_transaction(self, step: Callable[[Session], None]) -> None:
        if self._ctx.read_only:
            raise ReadOnlyError(
                "This workspace is open read-only, so changes cannot be saved."
            )
        with self._write() as session:
            step(session)

    def _write(self) -> AbstractContextManager[Session]:
        """The write transaction a run uses (a subclass may name what it changes)."""
        return self._ctx.write(self.kind, self._inspection_code)


def execute(ctx: AppContext, command: ServiceCommand) -> QmsrError | None:
    """Run ``command`` once and push it on the undo stack; return the refusal, if any."""
    try:
        command.run_in_transaction(command.apply)
    except QmsrError as exc:
        return exc
    command._skip_next_redo = True  # push() calls redo(); the work is already done
    ctx.undo_stack.push(command)
    return None
