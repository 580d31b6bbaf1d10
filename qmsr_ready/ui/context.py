"""The application context: what every window, view and undo command needs, passed in explicitly.

Built once by the composition root (``qmsr_ready.app``); there are no module-level singletons.
Views listen to its signals instead of to each other, so a change made in one view (or undone
from the Edit menu) refreshes every other view that shows the same data.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from qmsr_ready.core.errors import QmsrError, WorkspaceClosed, WorkspaceReplaced
from qmsr_ready.ui.unsaved_texts import UnsavedTexts

if TYPE_CHECKING:
    from qmsr_ready.core.db import Workspace, WriteConnection
    from qmsr_ready.core.library import Catalogue
    from qmsr_ready.core.views import Session  # typing only: SQLAlchemy loads after first paint
    from qmsr_ready.ui.settings import AppSettings
    from qmsr_ready.ui.workers import WorkerRunner


_log = logging.getLogger(__name__)
_NO_WORKSPACE = "No workspace is open, so nothing was saved. Open one and try again."


class AppContext(QObject):
    """Open workspace, settings, undo stack, worker runner and the shared change signals."""

    # Emitted while the old workspace is still open: views save edits still waiting for their
    # autosave pause, so nothing typed is lost or written into the next workspace.
    workspace_about_to_change = Signal()
    # Views save what waits for its autosave pause (``flush_edits``: before asking to leave),
    # or let it go unsaved (``discard_edits``: the user chose to leave without it).
    flush_requested = Signal()
    discard_requested = Signal()
    workspace_changed = Signal()  # a workspace was opened or closed
    current_inspection_changed = Signal(str)  # "" when none is selected
    # (kind, inspection_code); kind: response|finding|evidence|inspection|site|signoff
    data_changed = Signal(str, str)
    # (inspection_code, question_id): one response row was written; emitted just before its
    # data_changed("response", code), so the checklist runner updates that one row only.
    response_recorded = Signal(str, str)
    # One line saying which evidence bytes were removed for good when a workspace was let go.
    evidence_purged = Signal(str)
    # A write was refused because another file was put under the open workspace's name (its
    # message): the window offers to reopen it.
    workspace_replaced = Signal(str)

    def __init__(self, settings: AppSettings, workers: WorkerRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        self.workers = workers
        self.undo_stack = QUndoStack(self)
        self.workspace: Workspace | None = None
        self.current_inspection: str = ""
        # True when a window already tells the user the whole workspace is read-only, so views
        # show only their own locks (a signed-off inspection) instead of repeating it.
        self.read_only_notice_shown = False
        # checklist text whose save was refused: shown again and saved later, never dropped
        # unasked (ui.unsaved); it belongs to the open workspace
        self.unsaved = UnsavedTexts()
        self._catalogue: Catalogue | None = None
        self._catalogue_lock = threading.Lock()

    def flush_edits(self) -> None:
        """Ask every view to save what still waits for its autosave pause, now."""
        self.flush_requested.emit()

    def discard_edits(self) -> None:
        """Let go of typing whose save was refused, knowingly: kept texts and the views'
        unsaved boxes (nothing of it is saved later, here or in the next workspace)."""
        self.unsaved.clear()
        self.discard_requested.emit()

    def catalogue(self) -> Catalogue:
        """The template library, loaded once (from any thread) and shared by every view."""
        with self._catalogue_lock:
            if self._catalogue is None:
                from qmsr_ready.core.library import Catalogue

                self._catalogue = Catalogue()
            return self._catalogue

    def reload_catalogue(self) -> Catalogue:
        """Re-read the built-in and user template folders (after an import)."""
        with self._catalogue_lock:
            self._catalogue = None
        return self.catalogue()

    @property
    def actor(self) -> str:
        """The display name written to the audit trail."""
        return self.settings.display_name()

    @property
    def read_only(self) -> bool:
        return self.workspace is None or self.workspace.read_only

    def set_workspace(self, workspace: Workspace | None) -> None:
        """Swap the open workspace; the caller closes the previous one.

        The undo history goes with the old workspace, so the evidence bytes it kept for a redo
        (an undone attach) can no longer be needed: they are purged, and ``evidence_purged``
        says so.
        """
        if self.workspace is not None:
            self.workspace_about_to_change.emit()
            self._purge_unreferenced_evidence(self.workspace)
        self.workspace = workspace
        self.unsaved.clear()
        self.undo_stack.clear()
        self.current_inspection = ""
        self.workspace_changed.emit()
        self.current_inspection_changed.emit("")

    def _purge_unreferenced_evidence(self, workspace: Workspace) -> None:
        from qmsr_ready.core.services.evidence_purge import purge_unreferenced_blobs

        if workspace.read_only:
            return
        try:
            with workspace.begin() as session:
                purged = purge_unreferenced_blobs(session, self.actor)
        except QmsrError as exc:  # e.g. the file was replaced: said in one line
            _log.warning("could not purge unreferenced evidence bytes: %s", exc.message)
            return
        except Exception:  # a failed purge only leaves unused bytes; closing must go on
            _log.warning("could not purge unreferenced evidence bytes", exc_info=True)
            return
        if purged.files:
            name = workspace.location if workspace.is_server else workspace.path.name
            self.evidence_purged.emit(
                f"Removed {purged.describe()} from {name} for good: nothing "
                "could bring them back once the undo history closed."
            )

    def set_current_inspection(self, code: str) -> None:
        if code != self.current_inspection:
            self.current_inspection = code
            self.current_inspection_changed.emit(code)

    @contextmanager
    def write(
        self, kind: str, inspection_code: str = "", question_id: str = ""
    ) -> Iterator[Session]:
        """A write transaction that announces ``data_changed`` after it commits.

        A write of one response names its ``question_id``: ``response_recorded`` goes first.
        """
        if self.workspace is None:
            raise WorkspaceClosed(_NO_WORKSPACE)
        with self._reporting_replaced(), self.workspace.begin() as session:
            yield session
        self._announce(kind, inspection_code, question_id)

    def write_lean(
        self, kind: str, inspection_code: str = "", question_id: str = ""
    ) -> AbstractContextManager[Session | WriteConnection]:
        """``write`` for a step that runs without an ORM Session where it can: on a file a
        ``WriteConnection`` (``Workspace.write_transaction``; the response autosave), on a
        server a Session. One class (``_LeanWrite``), not nested generators: the autosave
        enters it once a save."""
        return _LeanWrite(self, kind, inspection_code, question_id)

    @contextmanager
    def _reporting_replaced(self) -> Iterator[None]:
        """Emit ``workspace_replaced`` when the write is refused because the file was replaced
        (the refusal still reaches the caller, which shows its one line)."""
        try:
            yield
        except WorkspaceReplaced as exc:
            self.workspace_replaced.emit(exc.message)
            raise

    def _announce(self, kind: str, inspection_code: str, question_id: str) -> None:
        """After a write committed: ``response_recorded`` first when it names one response."""
        if question_id:
            self.response_recorded.emit(inspection_code, question_id)
        self.data_changed.emit(kind, inspection_code)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short-lived session for reading."""
        if self.workspace is None:
            raise WorkspaceClosed("No workspace is open. Open one to see its data.")
        with self.workspace.session() as session:
            yield session


class _LeanWrite:
    """``AppContext.write_lean``: ``workspace_replaced`` when the write is refused because the
    file was replaced (the refusal still reaches the caller), ``_announce`` after the commit."""

    __slots__ = ("_code", "_ctx", "_inner", "_kind", "_question_id")

    def __init__(self, ctx: AppContext, kind: str, inspection_code: str,
                 question_id: str) -> None:
        self._ctx = ctx
        self._kind = kind
        self._code = inspection_code
        self._question_id = question_id
        self._inner: AbstractContextManager[Session | WriteConnection] | None = None

    def __enter__(self) -> Session | WriteConnection:
        workspace = self._ctx.workspace
        if workspace is None:
            raise WorkspaceClosed(_NO_WORKSPACE)
        try:
            inner = workspace.write_transaction()
            owner = inner.__enter__()
        except WorkspaceReplaced as exc:
            self._ctx.workspace_replaced.emit(exc.message)
            raise
        self._inner = inner
        return owner

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        inner = self._inner
        self._inner = None
        assert inner is not None  # entered
        try:
            suppressed = inner.__exit__(exc_type, exc, tb)
        except WorkspaceReplaced as refused:
            self._ctx.workspace_replaced.emit(refused.message)
            raise
        if exc_type is not None and not suppressed:
            if isinstance(exc, WorkspaceReplaced):
                self._ctx.workspace_replaced.emit(exc.message)
            return False
        self._ctx._announce(self._kind, self._code, self._question_id)
        return bool(suppressed)
