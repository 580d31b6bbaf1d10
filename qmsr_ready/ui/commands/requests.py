"""Undoable inspection-day edits: log, edit, move and present requests; notes; roster; target.

Each command calls one core service and its undo calls the matching core helper (``revert_move``,
``delete_request``…), so every step back is audited like the step forward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from qmsr_ready.core.inspection_day.views import request_target
from qmsr_ready.core.services import day_notes
from qmsr_ready.core.services import requests as request_service
from qmsr_ready.core.views.undo import request_values, roster_values
from qmsr_ready.core.vocab import RequestStatus
from qmsr_ready.ui.commands.base import ErrorSink, ServiceCommand

if TYPE_CHECKING:
    from qmsr_ready.core.views import Session
    from qmsr_ready.ui.context import AppContext


class AddRequestCommand(ServiceCommand):
    """Logs a request (stamped now); undo deletes it; redo brings it back with its number."""

    kind = "request"

    def __init__(self, ctx: AppContext, inspection_code: str, fields: dict[str, Any],
                 on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, inspection_code, f"Log request “{fields.get('text', '')}”",
                         on_error)
        self.fields = dict(fields)
        self.request_code = ""
        self._requested_at: dt.datetime | None = None

    def apply(self, session: Session) -> None:
        again: dict[str, Any] = {}
        if self.request_code:
            again = {"code": self.request_code, "requested_at": self._requested_at}
        req = request_service.add_request(
            session, self._ctx.actor, inspection_code=self._inspection_code,
            **{**self.fields, **again},
        )
        self.request_code, self._requested_at = req.code, req.requested_at

    def revert(self, session: Session) -> None:
        request_service.delete_request(session, self._ctx.actor, self._inspection_code,
                                       self.request_code)


class StagePredictedCommand(ServiceCommand):
    """Pre-stages several predicted requests as prepared; undo deletes them."""

    kind = "request"

    def __init__(self, ctx: AppContext, inspection_code: str,
                 predictions: Sequence[dict[str, Any]], on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, inspection_code, f"Stage {len(predictions)} predicted requests",
                         on_error)
        self.predictions = [dict(p) for p in predictions]
        self.request_codes: list[str] = []

    def apply(self, session: Session) -> None:
        codes = list(self.request_codes)
        made = []
        for i, fields in enumerate(self.predictions):
            code: dict[str, Any] = {"code": codes[i]} if i < len(codes) else {}
            req = request_service.add_request(
                session, self._ctx.actor, inspection_code=self._inspection_code, prepared=True,
                **fields, **code,
            )
            made.append(req.code)
        self.request_codes = made

    def revert(self, session: Session) -> None:
        for code in reversed(self.request_codes):
            request_service.delete_request(session, self._ctx.actor, self._inspection_code, code)


class UpdateRequestCommand(ServiceCommand):
    """Changes some request fields; undo restores the old values."""

    kind = "request"

    def __init__(self, ctx: AppContext, inspection_code: str, request_code: str,
                 changes: dict[str, Any], on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, inspection_code, f"Edit request {request_code}", on_error)
        self.request_code = request_code
        self.new_values = dict(changes)
        self.old_values: dict[str, Any] | None = None

    def apply(self, session: Session) -> None:
        if self.old_values is None:
            self.old_values = request_values(session, self._inspection_code,
                                             self.request_code, self.new_values)
        request_service.update_request(session, self._ctx.actor, self._inspection_code,
                                       self.request_code, **self.new_values)

    def revert(self, session: Session) -> None:
        if self.old_values is not None:
            request_service.update_request(session, self._ctx.actor, self._inspection_code,
                                           self.request_code, **self.old_values)


class MoveRequestCommand(ServiceCommand):
    """Moves a request to a status, stamped now; undo takes the move back (``revert_move``)."""

    kind = "request"

    def __init__(self, ctx: AppContext, inspection_code: str, request_code: str, status: str,
                 on_error: ErrorSink | None = None) -> None:
        label = RequestStatus(status).label.lower()
        super().__init__(ctx, inspection_code, f"Move {request_code} to {label}", on_error)
        self.request_code = request_code
        self.status = status
        self._at: dt.datetime | None = None

    def apply(self, session: Session) -> None:
        if self._at is None:  # a redo keeps the first stamp, so the statistics do not drift
            self._at = dt.datetime.now(dt.UTC)
        request_service.move_request(session, self._ctx.actor, self._inspection_code,
                                     self.request_code, self.status, at=self._at)

    def revert(self, session: Session) -> None:
        request_service.revert_move(session, self._ctx.actor, self._inspection_code,
                                    self.request_code, self.status)


class PresentRequestCommand(ServiceCommand):
    """Records what was shown (in part or finally); undo takes the items and the move back."""

    kind = "request"

    def __init__(self, ctx: AppContext, inspection_code: str, request_code: str,
                 items: Sequence[dict[str, Any]], final: bool,
                 on_error: ErrorSink | None = None) -> None:
        what = "Present" if final else "Present part of"
        super().__init__(ctx, inspection_code, f"{what} {request_code}", on_error)
        self.request_code = request_code
        self.items = [dict(i) for i in items]
        self.final = final

    def apply(self, session: Session) -> None:
        request_service.present_items(session, self._ctx.actor, self._inspection_code,
                                      self.request_code, self.items, final=self.final)

    def revert(self, session: Session) -> None:
        if self.final:
            request_service.revert_move(session, self._ctx.actor, self._inspection_code,
                                        self.request_code, RequestStatus.PRESENTED.value)
        request_service.remove_presented_items(session, self._ctx.actor, self._inspection_code,
                                               self.request_code, len(self.items))


class AddNoteCommand(ServiceCommand):
    """Takes a scribe note (stamped now); undo deletes it."""

    kind = "note"

    def __init__(self, ctx: AppContext, inspection_code: str, fields: dict[str, Any],
                 on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, inspection_code, "Take scribe note", on_error)
        self.fields = dict(fields)
        self.note_code = ""
        self._at: dt.datetime | None = None

    def apply(self, session: Session) -> None:
        again = {"code": self.note_code, "at": self._at} if self.note_code else {}
        note = day_notes.add_note(session, self._ctx.actor,
                                  inspection_code=self._inspection_code,
                                  **{**self.fields, **again})
        self.note_code, self._at = note.code, note.at

    def revert(self, session: Session) -> None:
        day_notes.delete_note(session, self._ctx.actor, self._inspection_code, self.note_code)


class SetRosterCommand(ServiceCommand):
    """Changes who presents an area; undo restores the previous entry's values."""

    kind = "roster"

    def __init__(self, ctx: AppContext, inspection_code: str, area_id: str,
                 changes: dict[str, Any], on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, inspection_code, f"Edit SME roster for {area_id}", on_error)
        self.area_id = area_id
        self.new_values = dict(changes)
        self.old_values: dict[str, Any] | None = None

    def apply(self, session: Session) -> None:
        if self.old_values is None:
            self.old_values = roster_values(session, self._inspection_code, self.area_id,
                                            self.new_values)
        day_notes.set_roster_entry(session, self._ctx.actor, self._inspection_code,
                                   self.area_id, **self.new_values)

    def revert(self, session: Session) -> None:
        if self.old_values is not None:
            day_notes.set_roster_entry(session, self._ctx.actor, self._inspection_code,
                                       self.area_id, **self.old_values)


class SetTargetCommand(ServiceCommand):
    """Changes the workspace's time-to-present target; undo restores the previous one."""

    kind = "settings"

    def __init__(self, ctx: AppContext, minutes: int, on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, "", f"Set request target to {minutes} min", on_error)
        self.minutes = minutes
        self.old_minutes: int | None = None

    def apply(self, session: Session) -> None:
        if self.old_minutes is None:
            self.old_minutes = int(request_target(session).total_seconds() // 60)
        request_service.set_request_target(session, self._ctx.actor, self.minutes)

    def revert(self, session: Session) -> None:
        if self.old_minutes is not None:
            request_service.set_request_target(session, self._ctx.actor, self.old_minutes)
