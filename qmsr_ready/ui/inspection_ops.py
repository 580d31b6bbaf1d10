"""Inspection-level commands of the main window (new, sign off, reopen, export, your name).

Kept out of ``main_window.py`` so the window module stays about layout and workspace lifecycle.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from qmsr_ready.core.errors import NotFound, QmsrError
from qmsr_ready.core.services.queries import get_inspection
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.dialogs.display_name import DisplayNameDialog
from qmsr_ready.ui.errors import show_error

log = logging.getLogger(__name__)


class InspectionOps:
    """Opens the dialogs that act on the current inspection; every write goes through a service."""

    def __init__(self, ctx: AppContext, window: QWidget) -> None:
        self.ctx = ctx
        self.window = window

    def inspection_status(self, code: str) -> str:
        """The stored status of ``code`` ("" when there is none or no workspace)."""
        if not code or self.ctx.workspace is None:
            return ""
        try:
            with self.ctx.read() as session:
                return get_inspection(session, code).status
        except NotFound:
            return ""

    def new_inspection(self) -> None:
        from qmsr_ready.ui.dialogs.new_inspection import NewInspectionWizard

        if self.ctx.workspace is None or self.ctx.read_only:
            return
        wizard = NewInspectionWizard(self.ctx, self.window)
        if wizard.exec() == QDialog.DialogCode.Accepted and wizard.created_code:
            self.ctx.set_current_inspection(wizard.created_code)

    def sign_off(self) -> None:
        from qmsr_ready.ui.dialogs.signoff import SignOffDialog

        code = self.ctx.current_inspection
        if code and not self.ctx.read_only:
            SignOffDialog(self.ctx, code, self.window).exec()

    def reopen(self) -> None:
        from qmsr_ready.ui.dialogs.signoff import ReopenDialog

        code = self.ctx.current_inspection
        if code and not self.ctx.read_only:
            ReopenDialog(self.ctx, code, self.window).exec()

    def export(self) -> None:
        from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

        code = self.ctx.current_inspection
        if code and self.ctx.workspace is not None:
            ExportDialog(self.ctx, code, self.window).exec()

    def import_template(self, path: str | None = None) -> bool:
        """Validate a template file and copy it into the user library; True when imported.

        Every validation problem is listed (file:line path: problem), so the author can fix the
        file in one pass; nothing is copied unless the whole file is valid.
        """
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self.window, "Import checklist template", "", "Checklist templates (*.yaml *.yml)"
            )
            if not path:
                return False
        try:
            loaded = self.ctx.catalogue().import_template(path)
        except QmsrError as exc:
            show_error(self.window, exc, title="Template not imported")
            return False
        self.ctx.reload_catalogue()
        QMessageBox.information(
            self.window, "Template imported",
            f"{loaded.title} ({loaded.key} version {loaded.version}) is in your library. "
            "New inspections can use it; existing inspections keep the template they started "
            "from.",
        )
        return True

    def change_display_name(self) -> bool:
        """Ask for the audit-trail name; True when one was saved."""
        dialog = DisplayNameDialog(self.ctx.settings.display_name(), self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.name():
            self.ctx.settings.set_display_name(dialog.name())
            self.ctx.data_changed.emit("settings", "")
            return True
        return False
