"""The open workspace file replaced on disk (a sync client, a restore: QA 3 item 1).

An autosave after the swap is refused in one line (no traceback), the window offers to reopen
the file now under that name, and File ▸ Open of the same path really reopens it instead of
saying "already open" (it compared paths, not files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qmsr_ready.core.errors import WorkspaceReplaced
from qmsr_ready.core.views.undo import response_values

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

QID = "MO-05-Q01"


@pytest.fixture
def runner(qtbot, main_window, ctx, add_inspection):  # type: ignore[no-untyped-def]
    code = add_inspection(ctx)
    main_window.finish_startup()
    ctx.set_current_inspection(code)
    main_window.show_view("checklist")
    view = main_window.views["checklist"]
    qtbot.waitUntil(lambda: view.editable and view.current_question_id() != "")
    return view, code


def _replace(ctx, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Put a copy of the workspace, as it is now, under its name."""
    path = ctx.workspace.path
    copy = tmp_path / "copy.qmsr"
    ctx.workspace.backup_to(copy)
    os.replace(copy, path)
    return path


def _on_disk(path: Path, code: str) -> dict:
    from qmsr_ready.core.db import open_workspace

    with open_workspace(path, read_only=True) as ro, ro.session() as s:
        return response_values(s, code, QID, ["result"])


def test_a_refused_autosave_says_so_in_one_line_and_offers_to_reopen(
        qtbot, main_window, ctx, runner, tmp_path: Path) -> None:
    view, code = runner
    asked: list[str] = []
    main_window.ask_reopen = lambda message: asked.append(message) or True
    path = _replace(ctx, tmp_path)
    old = ctx.workspace
    error = view.record(QID, {"result": "conforms"})
    assert isinstance(error, WorkspaceReplaced)
    shown = view.message.text()
    assert shown == error.message
    assert "replaced while open; reopen it" in shown
    assert "\n" not in shown
    assert "Traceback" not in shown
    qtbot.waitUntil(lambda: ctx.workspace is not old)
    assert len(asked) == 1  # asked once, not once per refused save
    assert ctx.workspace.path == path
    ctx.set_current_inspection(code)
    main_window.show_view("checklist")
    qtbot.waitUntil(lambda: view.editable)
    assert view.record(QID, {"result": "major_gap"}) is None
    assert _on_disk(path, code)["result"] == "major_gap"


def test_declining_the_offer_keeps_the_window_and_asks_no_more(
        qtbot, main_window, ctx, runner, tmp_path: Path) -> None:
    view, _code = runner
    asked: list[str] = []
    main_window.ask_reopen = lambda message: asked.append(message) or False
    _replace(ctx, tmp_path)
    old = ctx.workspace
    assert isinstance(view.record(QID, {"result": "conforms"}), WorkspaceReplaced)
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert isinstance(view.record(QID, {"result": "minor_gap"}), WorkspaceReplaced)
    qtbot.wait(50)
    assert len(asked) == 1
    assert ctx.workspace is old


def test_open_of_the_same_path_after_a_replace_reopens_it(
        main_window, ctx, runner, tmp_path: Path) -> None:
    _view, code = runner
    path = _replace(ctx, tmp_path)
    old = ctx.workspace
    assert main_window.open_workspace_path(path)
    assert ctx.workspace is not old
    assert "already open" not in main_window.statusBar().currentMessage()
    with ctx.write_lean("response", code) as w:
        from qmsr_ready.core.services.responses import save_response

        save_response(w, ctx.actor, inspection_code=code, question_id=QID,
                      values={"result": "minor_gap"})
    assert _on_disk(path, code)["result"] == "minor_gap"


def test_open_of_the_same_file_is_still_already_open(main_window, ctx, runner) -> None:
    old = ctx.workspace
    assert main_window.open_workspace_path(old.path)
    assert ctx.workspace is old
    assert "already open" in main_window.statusBar().currentMessage()
