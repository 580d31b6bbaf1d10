"""What the user does in the request log, each an undoable command: log, move, edit, present.

Split out of ``requests_view``: the view shows the log and keeps the selection; this mixin turns
the capture line, status keys, detail edits, notes, roster, target and the Present and Predicted
dialogs into commands, and explains a refusal in the view's problem banner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QSpinBox, QWidget

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.inspection_day.predict import predicted_requests
from qmsr_ready.core.inspection_day.views import RequestView
from qmsr_ready.core.vocab import REQUEST_FLOW, RequestStatus
from qmsr_ready.ui.commands import requests as cmd
from qmsr_ready.ui.commands.base import ServiceCommand, execute
from qmsr_ready.ui.dialogs.present_request import PresentRequestDialog
from qmsr_ready.ui.models.requests_model import RequestsTableModel
from qmsr_ready.ui.widgets.banner import LockBanner
from qmsr_ready.ui.widgets.predicted_requests import PredictedRequestsDialog
from qmsr_ready.ui.widgets.request_capture import Capture, RequestCapture
from qmsr_ready.ui.widgets.scribe_notes import ScribeNotesPanel

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

    _ViewBase = QWidget  # what the mixin is mixed into, for the type checker
else:
    _ViewBase = object


class RequestEdits(_ViewBase):
    """The edit half of ``RequestsView`` (mixed in before ``QWidget``; it holds no state)."""

    if TYPE_CHECKING:  # provided by RequestsView
        _ctx: AppContext
        _code: str
        message: LockBanner
        model: RequestsTableModel
        capture: RequestCapture
        notes: ScribeNotesPanel
        target: QSpinBox
        request_logged: SignalInstance
        present_dialog_opened: SignalInstance
        predicted_dialog_opened: SignalInstance

        def selected_request(self) -> RequestView | None: ...
        def select_request(self, code: str) -> bool: ...
        def editable(self) -> bool: ...

    # -- edits --------------------------------------------------------------------------
    def _run(self, command: ServiceCommand) -> bool:
        """Run one undoable edit; a refusal is explained in the problem banner."""
        if self._ctx.workspace is None:
            return False
        error = execute(self._ctx, command)
        self.message.show_text(error.message if error is not None else "")
        return error is None

    def _show_problem(self, exc: QmsrError) -> None:
        self.message.show_text(exc.message)

    def log_request(self, capture: Capture) -> str:
        """Log one request; returns its number ("" when refused)."""
        if not self._code:
            self.message.show_text("Choose an inspection first (Home), then log its requests.")
            return ""
        fields: dict[str, Any] = {"text": capture.text}
        if capture.kind:
            fields["kind"] = capture.kind
        if capture.owner:
            fields["owner"] = capture.owner
        command = cmd.AddRequestCommand(self._ctx, self._code, fields, self._show_problem)
        if not self._run(command):
            return ""
        self.select_request(command.request_code)
        self.request_logged.emit(command.request_code)
        return command.request_code

    def _on_capture_captured(self, capture: Capture) -> None:
        if self.log_request(capture):
            self.capture.clear_after_log()

    def step_selected(self, step: int) -> bool:
        """Move the selected request one status on (``+1``) or back (``-1``)."""
        req = self.selected_request()
        if req is None:
            return False
        status = RequestStatus(req.status)
        if status in (RequestStatus.PRESENTED, RequestStatus.WITHDRAWN):
            self.message.show_text(f"{req.code} is already {status.label.lower()}; log a new "
                                   "request for a follow-up.")
            return False
        index = REQUEST_FLOW.index(status) + step
        if index <= REQUEST_FLOW.index(RequestStatus.PREPARED) and step < 0:
            self.message.show_text(f"{req.code} is {status.label.lower()}; it cannot go back "
                                   "further.")
            return False
        target = REQUEST_FLOW[min(index, len(REQUEST_FLOW) - 1)]
        return self._run(cmd.MoveRequestCommand(self._ctx, self._code, req.code, target.value,
                                                self._show_problem))

    def withdraw_selected(self) -> bool:
        req = self.selected_request()
        if req is None:
            return False
        return self._run(cmd.MoveRequestCommand(self._ctx, self._code, req.code,
                                                RequestStatus.WITHDRAWN.value, self._show_problem))

    def _on_detail_save_requested(self, code: str, changes: dict[str, Any]) -> None:
        self._run(cmd.UpdateRequestCommand(self._ctx, self._code, code, changes,
                                           self._show_problem))

    def _on_notes_note_requested(self, fields: dict[str, Any]) -> None:
        if self._run(cmd.AddNoteCommand(self._ctx, self._code, fields, self._show_problem)):
            self.notes.clear_after_note()

    def _on_roster_roster_requested(self, area_id: str, changes: dict[str, Any]) -> None:
        self._run(cmd.SetRosterCommand(self._ctx, self._code, area_id, changes,
                                       self._show_problem))

    def _on_target_editing_finished(self) -> None:
        minutes = self.target.value()
        if minutes != round(self.model.target.total_seconds() / 60):
            self._run(cmd.SetTargetCommand(self._ctx, minutes, self._show_problem))

    # -- dialogs ------------------------------------------------------------------------
    def _present_selected(self) -> None:
        req = self.selected_request()
        if req is not None:
            self.open_present(req.code)

    def open_present(self, code: str) -> PresentRequestDialog | None:
        """Open the "Present…" dialog (non-blocking); recording happens when it is accepted."""
        req = next((r for r in self.model.rows() if r.code == code), None)
        if req is None or not self.editable():
            return None
        dialog = PresentRequestDialog(code, req.text, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._run(cmd.PresentRequestCommand(
            self._ctx, self._code, code, dialog.items(), dialog.is_final(), self._show_problem)))
        dialog.open()
        self.present_dialog_opened.emit(dialog)
        return dialog

    def open_predicted(self) -> PredictedRequestsDialog | None:
        if not self._code or self._ctx.workspace is None:
            return None
        with self._ctx.read() as session:
            predictions = predicted_requests(session, self._code)
        dialog = PredictedRequestsDialog(predictions, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._stage(dialog.chosen()))
        dialog.open()
        self.predicted_dialog_opened.emit(dialog)
        return dialog

    def _stage(self, chosen: list[dict[str, Any]]) -> None:
        if chosen:
            self._run(cmd.StagePredictedCommand(self._ctx, self._code, chosen,
                                                self._show_problem))
