"""Evidence attached to one question or one finding: drop files, add, open, remove.

Open writes a temporary copy (the workspace keeps the only original) and hands it to the
desktop; Remove unlinks the file from this question or finding, the audit trail keeps the rest.
"""

from __future__ import annotations

import mimetypes
import tempfile
from collections.abc import Sequence
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
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.errors import InvalidInput, QmsrError
from qmsr_ready.core.services import evidence as evidence_service
from qmsr_ready.ui.models.checklist_data import EvidenceView

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

_ROOT = QModelIndex()
MAX_FILE_BYTES = 200 * 1024 * 1024


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
        layout.addWidget(self.view)
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
        self.add_button.setEnabled(self._editable and bound)
        self.open_button.setEnabled(has_selection)
        self.remove_button.setEnabled(self._editable and has_selection)

    # -- actions ----------------------------------------------------------------------
    def add_files(self, paths: Sequence[Path | str]) -> QmsrError | None:
        """Attach files to the bound question or finding; returns the refusal, if any."""
        if not self._editable:
            return self._fail(InvalidInput("This inspection is read-only; files cannot be added."))
        try:
            blobs = [(Path(p), self._read(Path(p))) for p in paths]
            with self._ctx.write("evidence", self._inspection_code) as session:
                for path, data in blobs:
                    evidence_service.attach_evidence(
                        session,
                        self._ctx.actor,
                        inspection_code=self._inspection_code,
                        filename=path.name,
                        data=data,
                        media_type=mimetypes.guess_type(path.name)[0],
                        question_id=self._question_id,
                        finding_code=self._finding_code,
                    )
        except QmsrError as exc:
            return self._fail(exc)
        return None

    @staticmethod
    def _read(path: Path) -> bytes:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise InvalidInput(f"{path.name} is larger than 200 MB; attach a smaller extract.")
            return path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"Could not read {path.name}: {exc.strerror or exc}.") from exc

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
        with self._ctx.read() as session:
            data = evidence_service.evidence_bytes(session, self._inspection_code, evidence_code)
        row = next(r for r in self.model.rows() if r.code == evidence_code)
        if self._temp_dir is None:
            self._temp_dir = tempfile.TemporaryDirectory(prefix="qmsr-evidence-")
        folder = Path(self._temp_dir.name) / evidence_code
        folder.mkdir(exist_ok=True)
        target = folder / Path(row.filename).name
        target.write_bytes(data)
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
