"""Export dialog: which packs (and where), which sections, gaps only; runs on a worker.

The report is built once and fed to both renderers (``core.export.api``), which write atomically,
report progress and honour cancel; afterwards the dialog offers to open the folder. It says which
pack was last sent and whether the inspection changed since, and records every pack it writes in
the audit trail (``core.exchange.exports``) so the next import can tell what was sent.
"""

from __future__ import annotations

import hashlib
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
from qmsr_ready.core.export.api import export_pdf, export_xlsx
from qmsr_ready.core.export.options import PDF_SECTIONS, XLSX_SECTIONS, ExportOptions
from qmsr_ready.core.report.build import build_report
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.errors import show_error
from qmsr_ready.ui.icons import icon
from qmsr_ready.ui.models.inspections_model import (
    CHANGED_SINCE_EXPORT,
    EXPORT_UP_TO_DATE,
    read_export_state,
)
from qmsr_ready.ui.workers import Job, JobProgress

log = logging.getLogger(__name__)
_KIND_BY_SUFFIX = {".xlsx": "xlsx", ".pdf": "pdf"}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
        return Path(self.path_edit.text().strip()).expanduser()

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
        packs = []
        logo = self.logo_edit.text().strip()
        if logo and not Path(logo).is_file():
            self.status.setText(
                f"The cover logo {logo} does not exist. Choose another file or clear the field."
            )
            return
        self.ctx.settings.set_logo_path(logo)  # remembered for the next export
        for box, writer in ((self.xlsx_box, export_xlsx), (self.pdf_box, export_pdf)):
            if box.isChecked():
                options = ExportOptions(
                    sections=box.sections(), gaps_only=self.gaps_only.isChecked(),
                    logo_path=Path(logo) if logo else None,
                )
                packs.append((writer, box.target(), options))
        if not packs:
            self.status.setText("Choose at least one pack.")
            return
        targets = [target.expanduser().resolve() for _w, target, _o in packs]
        if len(set(targets)) < len(targets):
            self.status.setText("The workbook and the PDF need different file names.")
            return
        code = self.code

        def job(progress: JobProgress) -> list[tuple[Path, str]]:
            with workspace.session() as session:
                report = build_report(session, code)
            written = []
            for writer, target, options in packs:
                progress.check()
                path = writer(report, target, progress, options)
                written.append((path, _sha256(path)))
            return written

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

    def _on_job_result(self, result: list[tuple[Path, str]]) -> None:
        self._finish()
        self.progress.setValue(1)
        written = [path for path, _sha in result]
        self.written = written
        self._record(result)
        if written:
            self.ctx.settings.set_last_export_folder(str(written[0].parent))
        self.status.setText("✓ Saved:\n" + "\n".join(str(p) for p in written))
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

    def _record(self, written: list[tuple[Path, str]]) -> None:
        """Audit each pack written, so "last sent" and "changed since" know about it."""
        from qmsr_ready.core.exchange.exports import record_export

        if not written or self.ctx.read_only:
            return  # a read-only workspace cannot take the record; the files are still written
        try:
            with self.ctx.write("export", self.code) as session:
                for path, sha in written:
                    kind = _KIND_BY_SUFFIX.get(path.suffix.lower())
                    if kind:
                        record_export(session, self.ctx.actor, self.code, kind, path, sha)
        except QmsrError as exc:
            log.warning("export of %s not recorded: %s", self.code, exc)
            return
        self._show_last_sent()

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
