"""Notes still waiting for their autosave pause are saved, into the right workspace, when the
workspace changes or the window closes; reopening the open workspace changes nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.models import Inspection, Response


def _notes(path: Path, code: str) -> dict[str, str]:
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        rows = s.execute(
            select(Response.question_id, Response.notes)
            .join(Inspection, Response.inspection_id == Inspection.id)
            .where(Inspection.code == code)
        )
        return {q: n for q, n in rows if n}


def _type_pending_note(qtbot, main_window, ctx, code: str, text: str) -> str:  # type: ignore[no-untyped-def]
    ctx.set_current_inspection(code)
    view = main_window.views["checklist"]
    qid = view.panel.question_id
    assert qid, "a question is shown"
    qtbot.keyClicks(view.panel.notes, text)
    assert view.panel.notes.dirty, "still inside the autosave pause"
    return qid


def test_pending_notes_land_in_the_workspace_they_were_typed_in(
    qtbot, main_window, ctx, add_inspection, tmp_path: Path
) -> None:
    first = ctx.workspace.path
    code = add_inspection(ctx)
    qid = _type_pending_note(qtbot, main_window, ctx, code, "pending note")
    assert main_window.open_workspace_path(tmp_path / "other.qmsr", create=True)
    assert ctx.workspace.path.name == "other.qmsr"
    with ctx.read() as s:
        assert s.execute(select(Response)).first() is None, "nothing leaked into the new file"
    ctx.set_workspace(None)
    assert _notes(first, code) == {qid: "pending note"}


def test_pending_notes_are_saved_when_the_window_closes(
    qtbot, main_window, ctx, add_inspection
) -> None:
    path = ctx.workspace.path
    code = add_inspection(ctx)
    qid = _type_pending_note(qtbot, main_window, ctx, code, "typed then closed")
    main_window.close()
    assert _notes(path, code) == {qid: "typed then closed"}


def test_opening_the_open_workspace_again_keeps_it_writable(main_window, ctx) -> None:
    workspace = ctx.workspace
    assert main_window.open_workspace_path(workspace.path)
    assert ctx.workspace is workspace
    assert not ctx.read_only
