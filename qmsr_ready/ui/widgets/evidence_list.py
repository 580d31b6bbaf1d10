"""Evidence attached to one question or one finding: drop files, add, open, remove.

Files are read, hashed and streamed into the workspace by the core on a worker thread (never
read whole, never on the GUI thread); above ``PROGRESS_BYTES`` a progress bar and a Cancel
button show. A finished attach lands on the undo stack (``ui/commands/evidence.py``): undo
removes what it added, redo brings it back from the stored bytes. Open writes a temporary copy
(the workspace keeps the only original) and hands it to the desktop; Remove unlinks the file
from this question or finding (undoable too), the audit trail keeps the rest.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QListView,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from qmsr_ready.core.errors import Cancelled, InvalidInput, QmsrError
from qmsr_ready.core.export.progress import Progress
from qmsr_ready.core.services import evidence as evidence_service
from qmsr_ready.core.services.evidence_undo import AttachStep, EvidenceTarget, attach_files
from qmsr_ready.core.views.checklist import EvidenceView
from qmsr_ready.ui.commands.base import execute
from qmsr_ready.ui.commands.evidence import (
    AttachEvidenceCommand,
    RemoveEvidenceCommand,
    push_applied,
)

if TYPE_CHECKING:
    from qmsr_ready.core.db import Workspace
    from qmsr_ready.ui.context import AppContext
    from qmsr_ready.ui.workers import Job

_ROOT = QModelIndex()
PROGRESS_BYTES = 8 * 1024 * 1024  # above this, a progress bar and Cancel show while attaching


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


class EvidenceListModel(QAbstractListModel):
    """The files linked to the current question or finding."""

    CodeRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[EvidenceView, ...] = ()

    def set_rows(self, rows: Sequence[EvidenceView]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def rows(self) -> tuple[EvidenceView, ...]:
        return self._rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ev = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{ev.code}  {ev.filename}  ({human_size(ev.size)})"
        if role == Qt.ItemDataRole.ToolTipRole:
            added = ev.added_at.strftime("%Y-%m-%d %H:%M UTC") if ev.added_at else ""
            size = human_size(ev.size)
            return f"{ev.filename}\n{ev.media_type}, {size}\nAdded by {ev.added_by} {added}"
        if role == self.CodeRole:
            return ev.code
        return None


class _DropListView(QListView):
    """A list that accepts files dragged from the desktop."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


def _attach_job(
    workspace: Workspace, actor: str, target: EvidenceTarget, files: list[Path]
) -> Callable[[Progress], list[AttachStep]]:
    """The worker's job: every file in one transaction, all attached or none (any thread)."""

    def job(progress: Progress) -> list[AttachStep]:
        with workspace.begin() as session:
            return attach_files(session, actor, target, files, progress)

    return job


class EvidenceListWidget(QWidget):
    """List plus Add / Open / Remove, bound to one question or one finding."""

    failed = Signal(str)  # a user-readable reason an action was refused
    attached = Signal(list)  # evidence codes, after a worker's attach is committed and undoable

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._inspection_code = ""
        self._question_id: str | None = None
        self._finding_code: str | None = None
        self._editable = True
        self._temp_dir: tempfile.TemporaryDirectory[str] | None = None

        self.model = EvidenceListModel(self)
        self.view = _DropListView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Evidence files")
        self.view.setToolTip("Drop files here to attach them")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setMinimumHeight(64)
        self.view.files_dropped.connect(self.add_files)
        self.view.doubleClicked.connect(lambda _i: self._on_open_clicked())

        self.add_button = QPushButton("Add files…", self)
        self.open_button = QPushButton("Open", self)
        self.remove_button = QPushButton("Remove", self)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        for button, name in (
            (self.add_button, "Attach evidence files"),
            (self.open_button, "Open selected evidence"),
            (self.remove_button, "Remove selected evidence"),
        ):
            button.setAccessibleName(name)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName("Attaching evidence")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel attaching")
        self.cancel_button.clicked.connect(self.cancel)
        progress_row = QHBoxLayout()
        progress_row.setContentsMargins(0, 0, 0, 0)
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.cancel_button)
        self._show_progress(False)
        self._job: Job | None = None
        layout.addWidget(self.view)
        layout.addLayout(progress_row)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    # -- binding ----------------------------------------------------------------------
    def set_target(
        self,
        inspection_code: str,
        rows: Sequence[EvidenceView],
        *,
        question_id: str | None = None,
        finding_code: str | None = None,
    ) -> None:
        self._inspection_code = inspection_code
        self._question_id = question_id
        self._finding_code = finding_code
        self.model.set_rows(rows)
        self._update_buttons()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.view.setAcceptDrops(editable)
        self._update_buttons()

    def selected_code(self) -> str | None:
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            return None
        return str(indexes[0].data(EvidenceListModel.CodeRole))

    def _update_buttons(self) -> None:
        bound = bool(self._inspection_code) and bool(self._question_id or self._finding_code)
        has_selection = self.selected_code() is not None
        self.add_button.setEnabled(self._editable and bound and self._job is None)
        self.open_button.setEnabled(has_selection)
        self.remove_button.setEnabled(self._editable and has_selection)

    # -- actions ----------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a worker is attaching files."""
        return self._job is not None

    def add_files(self, paths: Sequence[Path | str]) -> QmsrError | None:
        """Start attaching files to the bound question or finding; returns an early refusal.

        The files are read and hashed on a worker; ``attached`` announces the committed result
        (then on the undo stack) and ``failed`` a later refusal or a cancel.
        """
        if not self._editable:
            return self._fail(InvalidInput("This inspection is read-only; files cannot be added."))
        if self._job is not None:
            return self._fail(InvalidInput("Files are still being attached; wait for them."))
        workspace = self._ctx.workspace
        if workspace is None or self._ctx.read_only:
            return self._fail(InvalidInput("No workspace is open for writing."))
        files = [Path(p) for p in paths]
        try:
            total = sum(self._regular_size(p) for p in files)
        except QmsrError as exc:
            return self._fail(exc)
        target = EvidenceTarget(self._inspection_code, self._question_id, self._finding_code)
        self.progress_bar.setRange(0, 0)
        self._show_progress(total > PROGRESS_BYTES)
        self._job = self._ctx.workers.start(
            _attach_job(workspace, self._ctx.actor, target, files),
            on_result=lambda steps: self._on_job_succeeded(workspace, target, steps),
            on_error=self._on_job_failed,
            on_progress=self._on_job_progress,
        )
        self._update_buttons()
        return None

    def cancel(self) -> None:
        """Stop a running attach; nothing of it is kept."""
        if self._job is not None:
            self._job.cancel()

    @staticmethod
    def _regular_size(path: Path) -> int:
        """The size of a regular file; anything else is refused before it is opened."""
        try:
            info = os.stat(path)
        except OSError as exc:
            raise InvalidInput(f"Could not read {path.name}: {exc.strerror or exc}.") from exc
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(
                f"{path.name} is not a regular file (a folder, pipe or device); save it as a "
                "file and attach that."
            )
        return info.st_size

    def _show_progress(self, visible: bool) -> None:
        self.progress_bar.setVisible(visible)
        self.cancel_button.setVisible(visible)

    def _on_job_progress(self, done: int, total: int, message: str) -> None:
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(int(1000 * done / total) if total else 0)
        self.progress_bar.setFormat(f"{message} … %p%")

    def _end_job(self) -> None:
        self._job = None
        self._show_progress(False)
        self._update_buttons()

    def _on_job_succeeded(
        self, workspace: Workspace, target: EvidenceTarget, steps: list[AttachStep]
    ) -> None:
        # The attach is committed: it goes on the undo stack even if this widget (a closed
        # finding editor) is gone, unless the workspace was swapped and its stack with it.
        alive = isValid(self)
        if alive:
            self._end_job()
        if self._ctx.workspace is not workspace:
            return
        if any(step.created or step.linked for step in steps):
            push_applied(self._ctx, AttachEvidenceCommand(self._ctx, target, steps, self._refused))
        self._ctx.data_changed.emit("evidence", target.inspection_code)
        if alive:
            self.attached.emit([step.code for step in steps])

    def _on_job_failed(self, error: BaseException) -> None:
        if not isValid(self):  # closed meanwhile: nothing was attached, nobody to tell
            return
        self._end_job()
        if isinstance(error, Cancelled):
            self.failed.emit("Attaching cancelled; nothing was added.")
        elif isinstance(error, QmsrError):
            self._fail(error)
        else:
            self.failed.emit(f"Could not attach the files: {error}")

    def remove(self, evidence_code: str) -> QmsrError | None:
        """Unlink evidence from the bound question or finding (undoable)."""
        target = EvidenceTarget(self._inspection_code, self._question_id, self._finding_code)
        command = RemoveEvidenceCommand(self._ctx, target, evidence_code, self._refused)
        error = execute(self._ctx, command)
        return self._fail(error) if error is not None else None

    def temp_copy(self, evidence_code: str) -> Path:
        """Write the stored bytes to a private temporary file and return its path."""
        row = next(r for r in self.model.rows() if r.code == evidence_code)
        if self._temp_dir is None:
            self._temp_dir = tempfile.TemporaryDirectory(prefix="qmsr-evidence-")
        folder = Path(self._temp_dir.name) / evidence_code
        folder.mkdir(exist_ok=True)
        target = folder / Path(row.filename).name
        with self._ctx.read() as session, target.open("wb") as out:
            evidence_service.copy_evidence(session, self._inspection_code, evidence_code, out)
        return target

    def _fail(self, exc: QmsrError) -> QmsrError:
        self.failed.emit(exc.message)
        return exc

    def _refused(self, exc: QmsrError) -> None:
        """An undo or redo of this widget's edits was refused (from the Edit menu)."""
        self.failed.emit(exc.message)

    def _on_add_clicked(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(self, "Attach evidence")
        if names:
            self.add_files(names)

    def _on_open_clicked(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        try:
            path = self.temp_copy(code)
        except (QmsrError, OSError) as exc:
            self.failed.emit(f"Could not open {code}: {exc}")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _on_remove_clicked(self) -> None:
        code = self.selected_code()
        if code is not None:
            self.remove(code)
