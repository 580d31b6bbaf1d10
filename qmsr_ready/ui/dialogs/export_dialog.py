"""Export dialog: which packs (and where), which sections, gaps only; runs on a worker.

The export itself is ``core.export.run.run_export``, the same steps as ``qmsr-ready export``:
the report built once and fed to both renderers, which write atomically, report progress and
honour cancel, and every pack written recorded as sent in the audit trail so "last sent" and the
next import know about it. The dialog says which pack was last sent and whether the inspection
changed since, and afterwards offers to open the folder.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.errors import Cancelled, QmsrError
from qmsr_ready.core.export.options import PDF_SECTIONS, XLSX_SECTIONS, ExportOptions
from qmsr_ready.core.export.run import ExportOutcome, check_targets, pack_target, run_export
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.errors import show_error
from qmsr_ready.ui.icons import icon
from qmsr_ready.ui.models.inspections_model import (
    CHANGED_SINCE_EXPORT,
    EXPORT_MARK_MEANS,
    EXPORT_UP_TO_DATE,
    read_export_state,
)
from qmsr_ready.ui.workers import Job, JobProgress

log = logging.getLogger(__name__)


class _PackBox(QGroupBox):
    """One pack: include it, where to write it, which sections."""

    def __init__(self, title: str, suffix: str, default: Path,
                 sections: Iterable[tuple[str, str]], parent: QWidget) -> None:
        super().__init__(title, parent)
        self.suffix = suffix
        self.setCheckable(True)
        self.setChecked(True)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(str(default), self)
        self.path_edit.setAccessibleName(f"{title} file")
        browse = QPushButton("Browse…", self)
        browse.setAccessibleName(f"Choose {title} file")
        browse.clicked.connect(self._on_browse_clicked)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        grid = QGridLayout()
        self.section_checks: dict[str, QCheckBox] = {}
        for i, (key, label) in enumerate(sections):
            box = QCheckBox(label, self)
            box.setChecked(True)
            self.section_checks[key] = box
            grid.addWidget(box, i // 4, i % 4)
        layout.addLayout(grid)

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, f"Save {self.title()}", self.path_edit.text(), f"*{self.suffix}"
        )
        if path:
            self.path_edit.setText(path if path.endswith(self.suffix) else path + self.suffix)

    def target(self) -> Path:
        """The file typed; ``InvalidInput`` when it names a folder."""
        return pack_target(self.path_edit.text())

    def sections(self) -> frozenset[str]:
        return frozenset(k for k, box in self.section_checks.items() if box.isChecked())


class ExportDialog(QDialog):
    """Choose and run the readiness-pack export for one inspection."""

    def __init__(self, ctx: AppContext, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code = code
        self.job: Job | None = None
        self.written: list[Path] = []
        self.setWindowTitle(f"Export readiness pack — {code}")
        folder = Path(ctx.settings.last_export_folder() or (
            ctx.workspace.path.parent if ctx.workspace else Path.home()))
        layout = QVBoxLayout(self)
        self.last_sent = QLabel(self)
        self.last_sent.setObjectName("lastSent")
        self.last_sent.setAccessibleName("Last pack sent")
        self.last_sent.setWordWrap(True)
        layout.addWidget(self.last_sent)
        self._show_last_sent()
        self.xlsx_box = _PackBox("Excel workbook", ".xlsx", folder / f"{code}-readiness.xlsx",
                                 XLSX_SECTIONS, self)
        self.pdf_box = _PackBox("PDF report", ".pdf", folder / f"{code}-readiness.pdf",
                                PDF_SECTIONS, self)
        layout.addWidget(self.xlsx_box)
        layout.addWidget(self.pdf_box)
        self.gaps_only = QCheckBox("Area detail shows &gaps only", self)
        layout.addWidget(self.gaps_only)
        logo_row = QHBoxLayout()
        logo_label = QLabel("Cover &logo (PNG or JPEG, optional):", self)
        self.logo_edit = QLineEdit(ctx.settings.logo_path(), self)
        self.logo_edit.setPlaceholderText("No logo")
        self.logo_edit.setAccessibleName("Cover logo file")
        logo_label.setBuddy(self.logo_edit)
        logo_browse = QPushButton("Browse…", self)
        logo_browse.clicked.connect(self._on_logo_browse_clicked)
        logo_row.addWidget(logo_label)
        logo_row.addWidget(self.logo_edit, 1)
        logo_row.addWidget(logo_browse)
        layout.addLayout(logo_row)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.hide()  # shown once an export runs
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Export status")
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(icon("open"), "Open &folder", self)
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(self.open_folder)
        self.export_button = QPushButton(icon("export"), "&Export", self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.resize(720, self.sizeHint().height())

    def _on_logo_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Cover logo", self.logo_edit.text(), "Images (*.png *.jpg *.jpeg)"
        )
        if path:
            self.logo_edit.setText(path)

    def start(self) -> None:
        """Start the export job (no-op while one runs)."""
        workspace = self.ctx.workspace
        if workspace is None or (self.job is not None and not self.job.done):
            return
        logo = self.logo_edit.text().strip()
        if logo and not Path(logo).is_file():
            self.status.setText(
                f"The cover logo {logo} does not exist. Choose another file or clear the field."
            )
            return
        self.ctx.settings.set_logo_path(logo)  # remembered for the next export
        targets: dict[str, Path | None] = {}
        options: dict[str, ExportOptions] = {}
        try:
            for kind, box in (("xlsx", self.xlsx_box), ("pdf", self.pdf_box)):
                targets[kind] = box.target() if box.isChecked() else None
                options[kind] = ExportOptions(
                    sections=box.sections(), gaps_only=self.gaps_only.isChecked(),
                    logo_path=Path(logo) if logo else None,
                )
            check_targets(targets["xlsx"], targets["pdf"], workspace)
        except QmsrError as exc:  # the same refusals, worded once, as the CLI's
            self.status.setText(exc.message)
            return
        code, actor = self.code, self.ctx.actor

        def job(progress: JobProgress) -> ExportOutcome:
            return run_export(workspace, code, xlsx=targets["xlsx"], pdf=targets["pdf"],
                              options=options, progress=progress, actor=actor)

        self.written = []
        self.export_button.setEnabled(False)
        self.open_button.setVisible(False)
        self.cancel_button.setText("Stop")
        self.status.setText("Exporting…")
        self.progress.show()
        self.progress.setRange(0, 0)
        self.job = self.ctx.workers.start(
            job, on_result=self._on_job_result, on_error=self._on_job_error,
            on_progress=self._on_job_progress,
        )

    def _on_job_progress(self, done: int, total: int, msg: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        if msg:
            self.status.setText(msg)

    def _finish(self) -> None:
        self.export_button.setEnabled(True)
        self.cancel_button.setText("Close")
        self.progress.setRange(0, 1)

    def _on_job_result(self, outcome: ExportOutcome) -> None:
        self._finish()
        self.progress.setValue(1)
        written = [f.path for f in outcome.files]
        self.written = written
        if written:
            self.ctx.settings.set_last_export_folder(str(written[0].parent))
        status = "✓ Saved:\n" + "\n".join(str(p) for p in written)
        if outcome.problem:
            log.warning("export of %s not recorded: %s", self.code, outcome.problem)
            if not self.ctx.read_only:  # read-only: the files are written, nothing to say
                status += f"\n{outcome.problem}"
        if outcome.recorded:
            self.ctx.data_changed.emit("export", self.code)
            self._show_last_sent()
        self.status.setText(status)
        self.open_button.setVisible(True)

    def _show_last_sent(self) -> None:
        """'Last sent: pack.xlsx, 2 Dec 2026 14:05 by Aoife' and whether it changed since."""
        if self.ctx.workspace is None:
            return
        with self.ctx.read() as session:
            state = read_export_state(session, self.code)
        if state is None:
            self.last_sent.setText("No pack of this inspection has been sent yet.")
            return
        look = CHANGED_SINCE_EXPORT if state.changed else EXPORT_UP_TO_DATE
        self.last_sent.setText(f"Last sent: {state.sent_text}   ·   {look.text}")
        self.last_sent.setToolTip(EXPORT_MARK_MEANS)

    def _on_job_error(self, exc: BaseException) -> None:
        self._finish()
        self.progress.setValue(0)
        if isinstance(exc, Cancelled):
            self.status.setText("Export cancelled; no file was written.")
        else:
            self.status.setText(f"✖ Export failed: {exc}")
            show_error(self, exc)

    def _on_cancel_clicked(self) -> None:
        if self.job is not None and not self.job.done:
            self.job.cancel()
            self.status.setText("Stopping…")
        else:
            self.reject()

    def open_folder(self) -> None:
        if self.written:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written[0].parent)))

    def reject(self) -> None:
        if self.job is not None and not self.job.done:
            self.job.cancel()
            return  # closes once the job has stopped (Close button)
        super().reject()
