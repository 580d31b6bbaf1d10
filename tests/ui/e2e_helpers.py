"""Helpers for the end-to-end GUI test: drive modal dialogs, read the database and audit trail.

Modal dialogs (``exec()``) block the caller in a nested event loop, so the driver runs from a
timer inside that loop. Whatever goes wrong while driving, the dialog is rejected so the test
fails with the real error instead of hanging.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sqlalchemy import func, select

from qmsr_ready.core.models import AuditEvent, Finding, Inspection, Response
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.settings import AppSettings
from qmsr_ready.ui.workers import WorkerRunner

D = TypeVar("D", bound=QDialog)
POLL_MS = 10
POLL_LIMIT = 500  # 5 s of polling for the dialog to appear


def drive_modal(trigger: Callable[[], object], dialog_type: type[D],
                drive: Callable[[D], None]) -> None:
    """Call ``trigger`` (which opens a modal ``dialog_type``) and run ``drive`` on the dialog."""
    state: dict[str, Any] = {"seen": False, "error": None, "done": False, "polls": 0}

    def poll() -> None:
        if state["done"]:
            return
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, dialog_type) and dialog.isVisible():
            state["seen"] = True
            try:
                drive(dialog)
            except BaseException as exc:  # re-raised after exec() returns
                state["error"] = exc
            finally:
                if dialog.isVisible():
                    dialog.reject()
            return
        state["polls"] += 1
        if state["polls"] < POLL_LIMIT:
            QTimer.singleShot(POLL_MS, poll)

    QTimer.singleShot(0, poll)
    try:
        trigger()
    finally:
        state["done"] = True
    if state["error"] is not None:
        raise state["error"]
    assert state["seen"], f"no {dialog_type.__name__} was shown"


def activate(window: QWidget) -> None:
    """Make ``window`` the active window (offscreen never activates windows by itself)."""
    QApplication.setActiveWindow(window)
    assert QApplication.activeWindow() is window


def audit_actions(ctx: AppContext, inspection_code: str | None = None) -> list[str]:
    """Audit actions in chain order, optionally only those of one inspection."""
    with ctx.read() as s:
        query = select(AuditEvent.action).order_by(AuditEvent.seq)
        if inspection_code is not None:
            query = query.where(AuditEvent.inspection_code == inspection_code)
        return list(s.scalars(query))


def last_event(ctx: AppContext, action: str) -> tuple[str, str, dict[str, Any]]:
    """(actor, entity_id, changes) of the newest event with ``action``."""
    with ctx.read() as s:
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq.desc())
        ).first()
        assert event is not None, f"no {action} event in the audit trail"
        return event.actor, event.entity_id, dict(event.changes)


def event_count(ctx: AppContext) -> int:
    with ctx.read() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def responses(ctx: AppContext, code: str) -> dict[str, tuple[str, str]]:
    """question_id -> (result, notes) of every stored response of inspection ``code``."""
    with ctx.read() as s:
        rows = s.execute(
            select(Response.question_id, Response.result, Response.notes)
            .join(Inspection, Response.inspection_id == Inspection.id)
            .where(Inspection.code == code)
        )
        return {q: (r, n) for q, r, n in rows}


def finding_fields(ctx: AppContext, code: str, finding_code: str) -> dict[str, Any]:
    """A detached dict of the stored finding's fields (empty when it does not exist)."""
    with ctx.read() as s:
        row = s.scalars(
            select(Finding)
            .join(Inspection, Finding.inspection_id == Inspection.id)
            .where(Inspection.code == code, Finding.code == finding_code)
        ).first()
        if row is None:
            return {}
        names = ("title", "classification", "status", "owner", "due_date", "requirement",
                 "objective_evidence", "corrective_action", "effectiveness_check",
                 "closed_at", "revision")
        values = {n: getattr(row, n) for n in names}
        values["question_ids"] = [link.question_id for link in row.question_links]
        return values


@dataclass
class Run:
    """What the steps share: the window, its context and what earlier steps created."""

    qtbot: Any
    window: Any
    ctx: AppContext
    tmp: Path
    errors: list[str]
    code: str = ""
    answered: dict[str, str] = field(default_factory=dict)
    gap_question: str = ""
    finding: str = ""

    @property
    def checklist(self) -> Any:
        return self.window.views["checklist"]

    def key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
            widget: QWidget | None = None) -> None:
        """Press a key where the keyboard focus is (as a user would), in the active window."""
        activate(self.window)
        self.qtbot.keyClick(widget or self.window.focusWidget() or self.window, key, modifiers)


def open_window(qtbot: Any, qapp: Any, tmp_path: Path, monkeypatch: Any,
                actor: str) -> Iterator[Run]:
    """Body of the test's ``run`` fixture: a shown, active main window with no workspace.

    ``show_error`` is replaced by a recorder in the modules that call it, so a refusal shows up
    in ``Run.errors`` instead of blocking the test in a modal message box.
    """
    from qmsr_ready.ui import main_window as main_window_module
    from qmsr_ready.ui.dialogs import new_inspection, signoff
    from qmsr_ready.ui.main_window import MainWindow
    from qmsr_ready.ui.views import home

    errors: list[str] = []
    for module in (main_window_module, new_inspection, signoff, home):
        monkeypatch.setattr(module, "show_error",
                            lambda _parent, exc, *_a, **_k: errors.append(str(exc)))
    settings = AppSettings(tmp_path / "settings.ini")
    settings.set_display_name(actor)
    ctx = AppContext(settings, WorkerRunner())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    activate(window)
    yield Run(qtbot, window, ctx, tmp_path, errors)
    ctx.workers.cancel_all()
    ctx.workers.wait()
    qapp.processEvents()
    if ctx.workspace is not None:
        window.close_workspace()
