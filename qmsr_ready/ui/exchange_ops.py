"""File ▸ Import workbook…, Merge workspace… and Merge from server…: plan on a worker, preview,
apply once.

A merge works between a file and a server either way: the open workspace may be a file or a
server database, and the other side a file (Merge workspace…) or a server picked in the Connect
dialog (Merge from server…), e.g. an auditor's offline laptop file into the team database.

Planning reads the incoming file and the workspace off the GUI thread (``ui.workers``) with a
progress dialog that can cancel it. The preview collects decisions and changes nothing; Apply
pushes one ``ExchangeCommand`` (backup, one transaction, audit) that Edit ▸ Undo reverts. Every
refusal is shown in words, with the cell references of a bad workbook in the details.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget

from qmsr_ready.core.errors import Cancelled, InspectionLocked, QmsrError
from qmsr_ready.ui.errors import build_error_box
from qmsr_ready.ui.workers import Job, JobProgress

if TYPE_CHECKING:
    from qmsr_ready.core.exchange.plan import Choice, ExchangePlan
    from qmsr_ready.ui.actions import Actions
    from qmsr_ready.ui.commands.exchange import ExchangeCommand
    from qmsr_ready.ui.context import AppContext

Decisions = dict[tuple[str, str, str], "Choice"]  # the preview's choice per difference

log = logging.getLogger(__name__)

WORKBOOK_FILTER = "Excel workbooks (*.xlsx);;All files (*)"
WORKSPACE_FILTER = "QMSR Ready workspaces (*.qmsr);;All files (*)"
READ_ONLY_TIP = "The workspace is open read-only (another window has it), so nothing can be {}."
SIGNED_OFF_TIP = "{code} is signed off; reopen it (Inspection ▸ Reopen…) to merge into it."
NO_INSPECTION_TIP = "Choose the inspection to merge into on the Home list first."
IMPORT_TIP = "Bring a returned Excel pack back: preview every change, then apply or cancel"
MERGE_TIP = "Merge a colleague's workspace into the current inspection, with the same preview"
MERGE_SERVER_TIP = ("Merge the current inspection from a server workspace (e.g. the team "
                    "database into your laptop file), with the same preview")

Source = Path | str  # a workspace file, or a server URL (it may carry the password)


def source_name(source: Source) -> str:
    """How messages name the other side: a file's name, or the URL without its password."""
    from qmsr_ready.core.transfer.targets import short_name

    return short_name(source)


class ExchangeOps:
    """The import and merge commands of the main window."""

    def __init__(self, ctx: AppContext, window: QWidget) -> None:
        self.ctx = ctx
        self.window = window
        self.job: Job | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.last_command: ExchangeCommand | None = None

    # -- menu state -------------------------------------------------------------------------
    def update_actions(self, actions: Actions, code: str, status: str) -> None:
        """Enable the actions where they can work; a disabled one says why in its tip."""
        ws = self.ctx.workspace
        busy = self.job is not None and not self.job.done
        imp, merge = actions["import_workbook"], actions["merge_workspace"]
        server = actions["merge_server"]
        if ws is None:
            imp_tip, merge_tip = "Open a workspace first.", "Open a workspace first."
        elif ws.read_only:
            imp_tip, merge_tip = READ_ONLY_TIP.format("imported"), READ_ONLY_TIP.format("merged")
        else:
            imp_tip = ""
            merge_tip = (NO_INSPECTION_TIP if not code else
                         SIGNED_OFF_TIP.format(code=code) if status == "signed_off" else "")
        for action, why, tip in ((imp, imp_tip, IMPORT_TIP), (merge, merge_tip, MERGE_TIP),
                                 (server, merge_tip, MERGE_SERVER_TIP)):
            action.setEnabled(not why and not busy)
            action.setToolTip(why or tip)
            action.setStatusTip(why or tip)

    # -- entry points -----------------------------------------------------------------------
    def import_workbook(self, path: str | Path | None = None) -> Job | None:
        """Ask for a returned pack (unless given), plan it on a worker, then preview it."""
        if not self._can_write("imported"):
            return None
        if path is None:
            path = self.choose_file("Import workbook", WORKBOOK_FILTER)
            if not path:
                return None
        path = Path(path)

        def plan(session: Any, progress: JobProgress) -> ExchangePlan:
            from qmsr_ready.core.exchange.workbook import plan_workbook_import

            return plan_workbook_import(session, path, progress)

        return self._start_plan("import", path, "", plan)

    def merge_workspace(self, path: str | Path | None = None) -> Job | None:
        """Ask for the other .qmsr (unless given) and merge it into the current inspection."""
        code = self._merge_code()
        if not code:
            return None
        if path is None:
            path = self.choose_file(f"Merge a workspace into {code}", WORKSPACE_FILTER)
            if not path:
                return None
        path = Path(path)
        ws = self.ctx.workspace
        if ws is not None and not ws.is_server and path.resolve() == ws.path.resolve():
            self.report_error(QmsrError(
                f"{path.name} is the workspace already open; choose your colleague's copy."))
            return None
        return self._start_merge(path, code)

    def merge_from_server(self, url: str | None = None) -> Job | None:
        """Ask for a server workspace (unless given: a URL, with its password if it needs one)
        and merge its copy of the current inspection into the open file or server."""
        code = self._merge_code()
        if not code:
            return None
        if url is None:
            url = self.choose_server(f"Merge a server workspace into {code}")
            if not url:
                return None
        return self._start_merge(url, code)

    def _merge_code(self) -> str:
        """The inspection to merge into, or "" after saying why there is none to write."""
        code = self.ctx.current_inspection
        if not self._can_write("merged"):
            return ""
        if not code:
            self.report_error(QmsrError(NO_INSPECTION_TIP))
            return ""
        return code

    def _start_merge(self, source: Source, code: str) -> Job | None:
        def plan(session: Any, progress: JobProgress) -> ExchangePlan:
            from qmsr_ready.core.exchange.merge import plan_workspace_merge

            return plan_workspace_merge(session, source, code, progress)

        return self._start_plan("merge", source, code, plan)

    # -- hooks tests replace ----------------------------------------------------------------
    def choose_file(self, title: str, file_filter: str) -> str:
        ws = self.ctx.workspace
        folder = str(ws.path.parent) if ws is not None and not ws.is_server else ""
        path, _ = QFileDialog.getOpenFileName(self.window, title, folder, file_filter)
        return path

    def choose_server(self, title: str) -> str:
        """The Connect dialog in merge mode: the URL to merge from (its login checked, the
        password inside, in memory only), or "" when cancelled."""
        from qmsr_ready.ui.dialogs.connect_server import ConnectServerDialog

        dialog = ConnectServerDialog(self.ctx, self.window, purpose="merge")
        dialog.setWindowTitle(title)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.merge_source
            return ""
        finally:
            dialog.deleteLater()

    def preview(self, plan: ExchangePlan) -> Decisions | None:
        """Show the preview; the user's decisions on Apply, None on Cancel."""
        from qmsr_ready.ui.dialogs.exchange_preview import ExchangePreviewDialog

        dialog = ExchangePreviewDialog(plan, self.window)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.decisions()
            return None
        finally:
            dialog.deleteLater()

    def report_error(self, exc: BaseException, title: str = "Nothing was changed") -> None:
        """One dialog; a refused workbook lists every problem (cell references) in the details."""
        box = build_error_box(self.window, exc, title)
        problems = getattr(exc, "problems", ())
        if problems:
            box.setInformativeText(f"{len(problems)} problem(s); see Show Details for the list.")
            box.setDetailedText("\n".join(problems))
        box.exec()

    def report_done(self, text: str) -> None:
        bar = getattr(self.window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 15000)

    # -- planning ---------------------------------------------------------------------------
    def _can_write(self, verb: str) -> bool:
        ws = self.ctx.workspace
        if ws is None:
            return False
        if ws.read_only:
            self.report_error(QmsrError(READ_ONLY_TIP.format(verb)))
            return False
        return not (self.job is not None and not self.job.done)

    def _start_plan(
        self, kind: str, path: Source, code: str,
        plan_fn: Callable[[Any, JobProgress], ExchangePlan],
    ) -> Job | None:
        workspace = self.ctx.workspace
        if workspace is None:
            return None

        def job(progress: JobProgress) -> ExchangePlan:
            from qmsr_ready.core.services._common import writable_inspection

            with workspace.session() as session:
                plan = plan_fn(session, progress)
                try:  # refuse before the preview: a signed-off inspection takes nothing
                    writable_inspection(session, plan.inspection_code)
                except InspectionLocked as exc:
                    raise InspectionLocked(
                        f"{exc.message} Use Inspection ▸ Reopen… on {plan.inspection_code}, "
                        f"then {kind} {source_name(path)} again; nothing was changed."
                    ) from exc
                return plan

        verb = "Merge" if kind == "merge" else "Import"
        dialog = QProgressDialog(f"Reading {source_name(path)}…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle(f"{verb} {source_name(path)}")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        self.job = self.ctx.workers.start(
            job,
            on_result=lambda plan: self._on_planned(kind, path, code, plan),
            on_error=lambda exc: self._on_plan_failed(path, exc),
            on_progress=self._on_plan_progress,
        )
        dialog.canceled.connect(self.job.cancel)
        return self.job

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect()
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _on_plan_progress(self, done: int, total: int, msg: str) -> None:
        dialog = self.progress_dialog
        if dialog is not None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            if msg:
                dialog.setLabelText(msg)

    def _on_plan_failed(self, path: Source, exc: BaseException) -> None:
        self._close_progress()
        if isinstance(exc, Cancelled):
            self.report_done(f"Reading {source_name(path)} was cancelled; nothing was changed.")
            return
        self.report_error(exc)

    def _on_planned(self, kind: str, path: Source, code: str, plan: ExchangePlan) -> None:
        self._close_progress()
        if not plan.rows or not any(r.interesting for r in plan.rows):
            QMessageBox.information(
                self.window, "Nothing to change",
                f"{source_name(path)} holds nothing that differs from {plan.inspection_code} in "
                "this workspace; nothing was changed.",
            )
            return
        decisions = self.preview(plan)
        if decisions is None:
            self.report_done(f"{source_name(path)}: preview closed; nothing was changed.")
            return
        self.apply(kind, path, code or plan.inspection_code, decisions)

    def apply(self, kind: str, path: Source, code: str, decisions: Decisions) -> bool:
        """Run the exchange as one undo step; True when it was applied."""
        from qmsr_ready.ui.commands.base import execute
        from qmsr_ready.ui.commands.exchange import ExchangeCommand

        command = ExchangeCommand(
            self.ctx, kind=kind, path=path, inspection_code=code, decisions=decisions,
            on_error=self.report_error,
        )
        self.window.setCursor(Qt.CursorShape.WaitCursor)
        try:
            error = execute(self.ctx, command)
        finally:
            self.window.unsetCursor()
        if error is not None:
            self.report_error(error)
            return False
        self.last_command = command
        summary = command.applied.summary if command.applied is not None else ""
        verb = "Merged" if kind == "merge" else "Imported"
        self.report_done(f"{verb} {source_name(path)} into {code}: {summary}. "
                         "Edit ▸ Undo puts everything back.")
        return True

    # -- the "changed since last export" mark of the inspection header ----------------------
    def export_mark(self, code: str) -> str:
        """'● Changed since last export' when the inspection has unsent changes, else ''."""
        from qmsr_ready.ui.models.inspections_model import CHANGED_SINCE_EXPORT, read_export_state

        if not code or self.ctx.workspace is None:
            return ""
        try:
            with self.ctx.read() as session:
                state = read_export_state(session, code)
        except QmsrError:
            return ""
        return CHANGED_SINCE_EXPORT.text if state is not None and state.changed else ""
