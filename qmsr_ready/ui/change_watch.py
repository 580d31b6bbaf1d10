"""Notice what other people changed in the open workspace and refresh the views that show it.

Polls ``core.changes.change_token`` (one small SELECT, on a worker so a slow server never
freezes the window) every few seconds while the workspace can be written by someone else: a
server workspace, or a file this window opened read-only while another one writes it. A
writable file needs no polling: its lock keeps every other writer out.

Our own saves move the token too; they are recognised right after they commit (the context's
``data_changed``, on the GUI thread, before any poll can run), so only others' changes are
announced. A refresh is an ordinary ``data_changed`` per kind and inspection touched: views
reload the way they do after an undo, and the checklist's text boxes keep what is being typed
(they save it first, through the same conflict check as any save).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from qmsr_ready.core.changes import ChangeSummary
    from qmsr_ready.core.db import Workspace
    from qmsr_ready.ui.context import AppContext

log = logging.getLogger(__name__)

POLL_MS = 4000
# audit entity types -> the context's data_changed kinds (what each view listens for)
_KINDS = {
    "response": "response",
    "finding": "finding",
    "evidence": "evidence",
    "inspection": "inspection",
    "inspection_element": "inspection",
    "template": "inspection",
    "site": "site",
    "note": "note",
    "request": "request",
    "roster": "roster",
    "workspace": "settings",
}
_SIGNOFF_ACTIONS = ("inspection.sign_off", "inspection.reopen")


def refresh_kinds(summary: ChangeSummary) -> list[tuple[str, str]]:
    """The distinct ``(kind, inspection_code)`` pairs to announce for a summary."""
    pairs: dict[tuple[str, str], None] = {}
    for entity_type, action, code in summary.touched:
        kind = "signoff" if action in _SIGNOFF_ACTIONS else _KINDS.get(entity_type, "")
        pairs[(kind, code)] = None
    return list(pairs)


def watched(ws: Workspace | None) -> bool:
    """Whether someone else can change ``ws`` while it is open here."""
    return ws is not None and (bool(getattr(ws, "is_server", False)) or ws.read_only)


class ChangeWatch(QObject):
    """Polls the open workspace's change token; refreshes views on others' changes."""

    # "Updated: 3 changes by Ana Ruiz" — for the status bar
    others_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None,
                 interval_ms: int = POLL_MS, *, always: bool = False) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._always = always  # watch a writable file too (another process may bypass the lock)
        self._token = ""
        self._polling = False
        self._announcing = False
        self._resync = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._on_timer_timeout)
        ctx.workspace_changed.connect(self._on_ctx_workspace_changed)
        ctx.data_changed.connect(self._on_ctx_data_changed)
        self._on_ctx_workspace_changed()

    @property
    def active(self) -> bool:
        return self.timer.isActive()

    def _on_ctx_workspace_changed(self) -> None:
        ws = self._ctx.workspace
        self._token = self._read_token(ws) if ws is not None else ""
        if self._watches(ws):
            self.timer.start()
        else:
            self.timer.stop()

    def _watches(self, ws: Workspace | None) -> bool:
        return ws is not None and (self._always or watched(ws))

    def _read_token(self, ws: Workspace) -> str:
        from qmsr_ready.core.changes import change_token

        try:
            return change_token(ws)
        except Exception as exc:  # a dropped server connection must not break a save
            log.warning("could not read the change token: %s", exc)
            return self._token

    # -- our own saves ----------------------------------------------------------------
    def _on_ctx_data_changed(self, _kind: str, _code: str) -> None:
        """After our write: take the new head, announcing anything others slipped in."""
        ws = self._ctx.workspace
        if ws is None or not self._watches(ws) or ws.read_only:
            return
        if self._announcing:  # a view saved typed text while refreshing: take it after
            self._resync = True
            return
        from qmsr_ready.core.changes import changes_since

        token = self._read_token(ws)
        if token == self._token:
            return
        try:
            with ws.session() as session:
                summary = changes_since(session, self._token, exclude_actor=self._ctx.actor)
        except Exception as exc:
            log.warning("could not read recent changes: %s", exc)
            return
        self._token = token
        if not summary.empty:
            self._announce(summary)

    # -- others' saves ----------------------------------------------------------------
    def _on_timer_timeout(self) -> None:
        if self._polling or QApplication.activeModalWidget() is not None:
            return  # never refresh under an open question (a conflict box, a dialog)
        ws = self._ctx.workspace
        if ws is None:
            return
        self._polling = True
        since = self._token
        self._ctx.workers.start(
            lambda _progress: _read_changes(ws, since),
            on_result=lambda result: self._on_poll_result(ws, since, result),
            on_error=self._on_poll_failed,
        )

    def _on_poll_failed(self, exc: BaseException) -> None:
        self._polling = False
        log.warning("polling for changes failed: %s", exc)

    def _on_poll_result(self, ws: Workspace, since: str,
                        result: tuple[str, ChangeSummary | None]) -> None:
        self._polling = False
        if ws is not self._ctx.workspace or since != self._token:
            return  # another workspace by now, or our own save moved the head meanwhile
        token, summary = result
        self._token = token
        if summary is not None and not summary.empty:
            self._announce(summary)

    def poll_now(self) -> bool:
        """Check at once on the GUI thread (tests, "Refresh"); True when others changed data."""
        ws = self._ctx.workspace
        if ws is None:
            return False
        token, summary = _read_changes(ws, self._token)
        self._token = token
        if summary is None or summary.empty:
            return False
        self._announce(summary)
        return True

    def _announce(self, summary: ChangeSummary) -> None:
        self._announcing, self._resync = True, False
        try:
            for kind, code in refresh_kinds(summary):
                self._ctx.data_changed.emit(kind, code)
        finally:
            self._announcing = False
        self.others_changed.emit(f"Updated: {summary.describe()}")
        if self._resync:
            self._on_ctx_data_changed("", "")


def _read_changes(ws: Workspace, since: str) -> tuple[str, ChangeSummary | None]:
    """The current token and, when it moved, what changed since ``since`` (any thread)."""
    from qmsr_ready.core.changes import change_token, changes_since

    token = change_token(ws)
    if token == since:
        return token, None
    with ws.session() as session:
        return token, changes_since(session, since)
