"""Evidence attached to one question or one finding: drop files, add, open, remove.

Files are streamed into the workspace by the core (never read whole); small ones are attached
at once, larger ones on a worker thread with a progress bar so the window stays responsive.
Open writes a temporary copy (the workspace keeps the only original) and hands it to the
desktop; Remove unlinks the file from this question or finding, the audit trail keeps the rest.
"""

from __future__ import annotations

import mimetypes
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
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

from qmsr_ready.core.errors import InvalidInput, QmsrError
from qmsr_ready.core.export.progress import Progress
from qmsr_ready.core.services import evidence as evidence_service
from qmsr_ready.core.views.checklist import EvidenceView

if TYPE_CHECKING:
    from qmsr_ready.core.db import Workspace
    from qmsr_ready.ui.context import AppContext

_ROOT = QModelIndex()
BACKGROUND_BYTES = 8 * 1024 * 1024  # above this, attach on a worker thread with progress


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


@dataclass(frozen=True)
class _Target:
    """Where files go, captured on the GUI thread so a worker never reads widgets or settings."""

    workspace: Workspace
    actor: str
    inspection_code: str
    question_id: str | None
    finding_code: str | None


def _attach_all(files: list[Path], target: _Target, progress: Progress | None) -> None:
    """Stream every file into one transaction: all attached, or none (runs on any thread)."""
    with target.workspace.begin() as session:
        for path in files:
            evidence_service.attach_evidence_file(
                session,
                target.actor,
                inspection_code=target.inspection_code,
                path=path,
                media_type=mimetypes.guess_type(path.name)[0],
                question_id=target.question_id,
                finding_code=target.finding_code,
                progress=progress,
            )


class EvidenceListWidget(QWidget):
    """List plus Add / Open / Remove, bound to one question or one finding."""

    failed = Signal(str)  # a user-readable reason an action was refused

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
        self.progress_bar.hide()
        self._job: Any = None
        layout.addWidget(self.view)
        layout.addWidget(self.progress_bar)
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
    def add_files(self, paths: Sequence[Path | str]) -> QmsrError | None:
        """Attach files to the bound question or finding; returns the refusal, if any.

        Small files are attached before this returns; when the files are larger than
        ``BACKGROUND_BYTES`` together, a worker attaches them and this returns None at once
        (``failed`` reports a refusal later).
        """
        if not self._editable:
            return self._fail(InvalidInput("This inspection is read-only; files cannot be added."))
        if self._job is not None:
            return self._fail(InvalidInput("Files are still being attached; wait for them."))
        files = [Path(p) for p in paths]
        try:
            total = sum(self._regular_size(p) for p in files)
        except QmsrError as exc:
            return self._fail(exc)
        if self._ctx.workspace is None:
            return self._fail(InvalidInput("No workspace is open."))
        target = _Target(
            self._ctx.workspace, self._ctx.actor, self._inspection_code, self._question_id,
            self._finding_code,
        )
        if total <= BACKGROUND_BYTES:
            try:
                _attach_all(files, target, None)
            except QmsrError as exc:
                return self._fail(exc)
            self._ctx.data_changed.emit("evidence", self._inspection_code)
            return None
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self._job = self._ctx.workers.start(
            lambda progress: _attach_all(files, target, progress),
            on_result=lambda _r: self._on_job_ended(None, target.inspection_code),
            on_error=lambda exc: self._on_job_ended(exc, target.inspection_code),
            on_progress=self._on_job_progress,
        )
        self._update_buttons()
        return None

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

    def _on_job_progress(self, done: int, total: int, message: str) -> None:
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(int(1000 * done / total) if total else 0)
        self.progress_bar.setFormat(f"{message} … %p%")

    def _on_job_ended(self, error: BaseException | None, inspection_code: str) -> None:
        self._job = None
        self.progress_bar.hide()
        self._update_buttons()
        if error is None:
            self._ctx.data_changed.emit("evidence", inspection_code)
        elif isinstance(error, QmsrError):
            self._fail(error)
        else:
            self.failed.emit(f"Could not attach the files: {error}")

    def remove(self, evidence_code: str) -> QmsrError | None:
        """Unlink evidence from the bound question or finding."""
        try:
            with self._ctx.write("evidence", self._inspection_code) as session:
                evidence_service.detach_evidence(
                    session,
                    self._ctx.actor,
                    self._inspection_code,
                    evidence_code,
                    question_id=self._question_id,
                    finding_code=self._finding_code,
                )
        except QmsrError as exc:
            return self._fail(exc)
        return None

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
