"""Undoable "new inspection": undo deletes it while nothing was recorded in it, redo re-creates it.

The wizard's first run may also create the site in the same transaction; undo leaves the site
(a site profile is reusable and harmless without inspections), and redo uses it again. Undo of
an inspection that already holds recorded work is refused with the reason
(``core/services/inspection_undo``), and the Edit menu steps back over it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from qmsr_ready.core.services.inspection_undo import delete_new_inspection
from qmsr_ready.core.services.inspections import start_inspection
from qmsr_ready.core.services.sites import create_site
from qmsr_ready.ui.commands.base import ErrorSink, ServiceCommand

if TYPE_CHECKING:
    from qmsr_ready.core.views import Session
    from qmsr_ready.ui.context import AppContext


class CreateInspectionCommand(ServiceCommand):
    """Starts an inspection (``start_inspection`` arguments), creating its site first if asked."""

    kind = "inspection"

    def __init__(
        self,
        ctx: AppContext,
        inspection: Mapping[str, Any],
        new_site: Mapping[str, Any] | None = None,
        on_error: ErrorSink | None = None,
    ) -> None:
        super().__init__(ctx, "", "New inspection", on_error)
        self.inspection = dict(inspection)
        self.new_site = dict(new_site) if new_site is not None else None
        self.code = ""

    def apply(self, session: Session) -> None:
        actor = self._ctx.actor
        fields = dict(self.inspection)
        if self.new_site is not None:
            fields["site_code"] = create_site(session, actor, **self.new_site).code
        if self.code:  # redo brings it back under the code it had
            fields["code"] = self.code
        self.code = start_inspection(session, actor, **fields).code
        self.inspection["site_code"] = fields["site_code"]
        self.new_site = None  # created (once this commits): redo reuses it
        self._inspection_code = self.code
        self.setText(f"New inspection ({self.code})")

    def revert(self, session: Session) -> None:
        delete_new_inspection(session, self._ctx.actor, self.code)

    def undo(self) -> None:
        # Views showing the inspection let go of it before it disappears.
        was_current = self._ctx.current_inspection == self.code
        if was_current:
            self._ctx.set_current_inspection("")
        super().undo()
        if was_current and self.last_error is not None:
            self._ctx.set_current_inspection(self.code)
