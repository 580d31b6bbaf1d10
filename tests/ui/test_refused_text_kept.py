"""Typing whose save was refused is never dropped unasked (QA 6 items 1 and 2): the box keeps it
as unsaved, moving to another question and back shows it again, the next save takes it, and
leaving the workspace (close, open another, quit) asks first: try again, go on without it, or
stay."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from views_fixtures import HeldFile, ViewsEnv, views_env_for

from qmsr_ready.core.views.undo import response_values
from qmsr_ready.ui import unsaved
from qmsr_ready.ui.unsaved import LeaveChoice, confirm_leave
from qmsr_ready.ui.views.checklist_runner import ChecklistRunnerView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TYPED = "CAPA-7 closed without an effectiveness check"


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _hold(env: ViewsEnv) -> HeldFile:
    return HeldFile(env.ctx.workspace)


def _runner(qtbot, env: ViewsEnv) -> ChecklistRunnerView:
    view = ChecklistRunnerView(env.ctx)
    qtbot.addWidget(view)
    view.set_inspection(env.code)
    return view


def _stored_notes(env: ViewsEnv, qid: str) -> str:
    with env.ctx.read() as s:
        return str(response_values(s, env.code, qid, ["notes"])["notes"])


def _type_and_flush_while_held(qtbot, view: ChecklistRunnerView, env: ViewsEnv) -> HeldFile:
    view.panel.notes.setPlainText(TYPED)
    held = _hold(env)
    view.panel.flush()  # the autosave pause ends: refused
    return held


def test_refused_notes_stay_unsaved_come_back_and_save_later(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    held = _type_and_flush_while_held(qtbot, view, views_env)
    try:
        assert "busy" in view.message.text()
        assert view.panel.notes.toPlainText() == TYPED
        assert view.panel.notes.dirty  # not counted as saved
        assert views_env.ctx.unsaved.text(views_env.code, qid, "notes") == TYPED
        assert view.go_unanswered(forward=True)  # moving on tries again: refused again
        assert view.current_question_id() != qid
        assert view.panel.notes.toPlainText() != TYPED
    finally:
        held.release()
    assert view.select_question(qid)  # back: the typing is shown again, unsaved
    assert view.panel.notes.toPlainText() == TYPED
    assert view.panel.notes.dirty
    view.panel.flush()
    assert not views_env.ctx.unsaved
    assert _stored_notes(views_env, qid) == TYPED
    assert not view.panel.notes.dirty


def test_leaving_asks_and_each_answer_does_what_it_says(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    held = _type_and_flush_while_held(qtbot, view, views_env)
    asked: list[str] = []

    def answer(choice: LeaveChoice):  # type: ignore[no-untyped-def]
        def ask(_parent, ctx, action):  # type: ignore[no-untyped-def]
            asked.append(action)
            assert ctx.unsaved.describe() == [f"the notes of {qid} in {views_env.code}"]
            return choice
        return ask

    try:
        assert not confirm_leave(None, views_env.ctx, "close", ask=answer(LeaveChoice.CANCEL))
        assert views_env.ctx.unsaved  # staying keeps it
        tries = iter([LeaveChoice.RETRY, LeaveChoice.CANCEL])
        assert not confirm_leave(None, views_env.ctx, "close",
                                 ask=lambda p, c, a: next(tries))  # still held: asked again
        assert views_env.ctx.unsaved
    finally:
        held.release()
    # free again: the flush before asking saves the box's text, so nothing is asked
    assert confirm_leave(None, views_env.ctx, "close", ask=answer(LeaveChoice.CANCEL))
    assert not views_env.ctx.unsaved
    assert _stored_notes(views_env, qid) == TYPED
    assert asked == ["close"]


def test_trying_again_saves_text_of_a_question_no_longer_shown(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    held = _type_and_flush_while_held(qtbot, view, views_env)
    try:
        assert view.go_unanswered(forward=True)  # the box now shows another question
    finally:
        held.release()
    choices = iter([LeaveChoice.RETRY])
    assert confirm_leave(None, views_env.ctx, "close", ask=lambda p, c, a: next(choices))
    assert not views_env.ctx.unsaved
    assert _stored_notes(views_env, qid) == TYPED


def test_going_on_without_it_drops_it_knowingly(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    held = _type_and_flush_while_held(qtbot, view, views_env)
    try:
        assert confirm_leave(None, views_env.ctx, "close",
                             ask=lambda p, c, a: LeaveChoice.DISCARD)
    finally:
        held.release()
    assert not views_env.ctx.unsaved
    assert _stored_notes(views_env, qid) != TYPED


def test_nothing_refused_means_no_question(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    view.panel.notes.setPlainText(TYPED)  # still inside its autosave pause

    def never(*_args):  # type: ignore[no-untyped-def]
        raise AssertionError("asked although everything saved")

    assert confirm_leave(None, views_env.ctx, "close", ask=never)  # flushed, saved
    assert _stored_notes(views_env, qid) == TYPED


def test_the_window_stays_open_when_the_user_stays(qtbot, main_window, ctx, add_inspection,  # type: ignore[no-untyped-def]
                                                   monkeypatch) -> None:
    main_window.show()
    code = add_inspection(ctx)
    ctx.set_current_inspection(code)
    view = main_window.views["checklist"]
    view.panel.notes.setPlainText(TYPED)
    workspace = ctx.workspace
    holder = HeldFile(workspace)
    monkeypatch.setattr(unsaved, "ask_leave", lambda p, c, a: LeaveChoice.CANCEL)
    try:
        assert not main_window.close()
        assert main_window.isVisible()
        assert ctx.workspace is workspace
        main_window.close_workspace()  # File > Close: the same question, the same answer
        assert ctx.workspace is workspace
    finally:
        holder.release()
    monkeypatch.setattr(unsaved, "ask_leave", lambda p, c, a: LeaveChoice.RETRY)
    assert main_window.close()
    assert ctx.workspace is None


# -- QA 7: kept typing belongs to its own inspection, workspace and base ----------------------

def _second_inspection(env: ViewsEnv) -> str:
    from qmsr_ready.core import services

    workspace = env.ctx.workspace
    assert workspace is not None
    with workspace.begin() as s:  # the same template: the same question IDs
        return services.start_inspection(
            s, "Ana", site_code="SITE-001", template=_template_of(env),
            inspection_type="baseline_surveillance", title="Second visit").code


def _template_of(env: ViewsEnv):  # type: ignore[no-untyped-def]
    from views_fixtures import views_template

    from qmsr_ready.core.template_content import TemplateSnapshot

    return TemplateSnapshot.from_content(views_template())


def _stored_notes_of(env: ViewsEnv, code: str, qid: str) -> str:
    with env.ctx.read() as s:
        return str(response_values(s, code, qid, ["notes"])["notes"])


def test_kept_typing_never_lands_in_the_next_inspection(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    other = _second_inspection(views_env)
    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    held = _type_and_flush_while_held(qtbot, view, views_env)
    try:
        view.set_inspection(other)  # switched while the file is still held
    finally:
        held.release()
    assert views_env.ctx.unsaved.describe() == [f"the notes of {qid} in {views_env.code}"]
    assert view.select_question(qid)
    assert view.panel.notes.toPlainText() != TYPED  # the other inspection's own answer
    view.panel.flush()
    assert _stored_notes_of(views_env, other, qid) != TYPED
    assert confirm_leave(None, views_env.ctx, "close", ask=lambda p, c, a: LeaveChoice.RETRY)
    assert _stored_notes_of(views_env, views_env.code, qid) == TYPED
    assert _stored_notes_of(views_env, other, qid) != TYPED


def test_typing_dropped_on_leaving_never_lands_in_the_next_workspace(qtbot, views_env,  # type: ignore[no-untyped-def]
                                                                    tmp_path) -> None:
    from qmsr_ready.core.backups import backup_workspace
    from qmsr_ready.core.db import open_workspace

    copy = tmp_path / "copy.qmsr"
    workspace = views_env.ctx.workspace
    backup_workspace(workspace, copy)  # the same inspection code in another file
    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    held = _type_and_flush_while_held(qtbot, view, views_env)
    try:
        assert confirm_leave(None, views_env.ctx, "open another",
                             ask=lambda p, c, a: LeaveChoice.DISCARD)
        views_env.ctx.set_workspace(open_workspace(copy))  # the lock still held meanwhile
    finally:
        held.release()
    try:
        view.panel.flush()
        assert not views_env.ctx.unsaved  # nothing carried over to be asked about later
        assert _stored_notes_of(views_env, views_env.code, qid) != TYPED  # not in the copy
    finally:
        moved = views_env.ctx.workspace
        views_env.ctx.set_workspace(workspace)
        moved.close()
    view.set_inspection(views_env.code)
    assert _stored_notes_of(views_env, views_env.code, qid) != TYPED  # dropped, as chosen


def test_kept_typing_over_a_change_made_since_asks_first(qtbot, views_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qmsr_ready.core.services.responses import save_response
    from qmsr_ready.ui import conflicts
    from qmsr_ready.ui.conflicts import ConflictChoice

    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    held = _type_and_flush_while_held(qtbot, view, views_env)
    try:
        assert view.go_unanswered(forward=True)
    finally:
        held.release()
    with views_env.ctx.workspace.begin() as s:
        save_response(s, "Other Person", inspection_code=views_env.code, question_id=qid,
                      values={"notes": "theirs"})
    views_env.ctx.data_changed.emit("inspection", views_env.code)  # the runner reloads
    asked: list[str] = []

    def reload_theirs(_parent, _error, what):  # type: ignore[no-untyped-def]
        asked.append(what)
        return ConflictChoice.RELOAD

    monkeypatch.setattr(conflicts, "ask_conflict", reload_theirs)
    assert view.select_question(qid)
    assert view.panel.notes.toPlainText() == TYPED  # kept typing shown again
    view.panel.flush()
    assert asked  # not overwritten silently
    assert _stored_notes_of(views_env, views_env.code, qid) == "theirs"
    assert not views_env.ctx.unsaved  # the user chose theirs


def test_sign_off_waits_for_kept_typing_and_a_locked_record_shows_what_is_stored(  # type: ignore[no-untyped-def]
        qtbot, views_env, monkeypatch) -> None:
    from qmsr_ready.ui.dialogs import signoff
    from qmsr_ready.ui.dialogs.signoff import SignOffDialog

    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    held = _type_and_flush_while_held(qtbot, view, views_env)
    try:
        assert view.go_unanswered(forward=True)
    finally:
        held.release()
    shown: list[str] = []
    monkeypatch.setattr(signoff, "show_error", lambda _p, exc: shown.append(exc.message))
    dialog = SignOffDialog(views_env.ctx, views_env.code)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Ana Lead")
    dialog.accept()
    assert shown
    assert f"the notes of {qid} in {views_env.code}" in shown[0]
    assert view.editable  # not signed off
    view.panel.set_editable(False)  # as a lock would: the record as stored, no typing over it
    assert view.select_question(qid)
    assert view.panel.notes.toPlainText() != TYPED


def test_raise_finding_takes_the_notes_on_screen(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    view = _runner(qtbot, views_env)
    held = _type_and_flush_while_held(qtbot, view, views_env)
    try:
        editor = view.open_raise_finding()
    finally:
        held.release()
    assert editor is not None
    assert TYPED in editor.boxes["objective_evidence"].toPlainText()
    editor.close()


# -- QA 8: kept typing survives a lock, an undo and its own retry ----------------------------

def test_a_record_signed_off_elsewhere_keeps_the_typing_kept(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    from qmsr_ready.core.services.inspections import sign_off

    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    held = _type_and_flush_while_held(qtbot, view, views_env)
    try:
        assert view.go_unanswered(forward=True)
    finally:
        held.release()
    with views_env.ctx.workspace.begin() as s:  # another session signs it off
        sign_off(s, "Ana", views_env.code, name="Ana Lead", meaning="Approved")
    views_env.ctx.data_changed.emit("signoff", views_env.code)
    assert view.select_question(qid)
    assert view.panel.notes.toPlainText() != TYPED  # the locked record as stored
    view.panel.flush()
    assert views_env.ctx.unsaved.text(views_env.code, qid, "notes") == TYPED  # still kept


def test_trying_again_on_leaving_saves_the_shown_kept_typing_once(qtbot, views_env,  # type: ignore[no-untyped-def]
                                                                  monkeypatch) -> None:
    from qmsr_ready.ui import conflicts

    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    asked: list[str] = []
    keep_mine = conflicts.ConflictChoice.KEEP_MINE
    monkeypatch.setattr(conflicts, "ask_conflict",
                        lambda _p, _e, what: asked.append(what) or keep_mine)
    held = _type_and_flush_while_held(qtbot, view, views_env)
    steps = views_env.ctx.undo_stack.count()
    tries = iter([LeaveChoice.RETRY])

    def release_then_retry(_parent, _ctx, _action):  # type: ignore[no-untyped-def]
        held.release()  # the other program lets go while the question is on screen
        return next(tries)

    try:
        assert confirm_leave(None, views_env.ctx, "quit", ask=release_then_retry)
    finally:
        held.release()
    assert asked == []  # no conflict with the user's own save
    assert views_env.ctx.undo_stack.count() == steps + 1
    assert _stored_notes(views_env, qid) == TYPED
    view.panel.flush()
    assert views_env.ctx.undo_stack.count() == steps + 1  # not saved a second time


def test_undo_leaves_kept_typing_kept_and_undoes_one_step(qtbot, views_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qmsr_ready.ui import conflicts

    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    assert view.record(qid, {"notes": "first"}) is None
    asked: list[str] = []
    keep_mine = conflicts.ConflictChoice.KEEP_MINE
    monkeypatch.setattr(conflicts, "ask_conflict",
                        lambda _p, _e, what: asked.append(what) or keep_mine)
    held = _type_and_flush_while_held(qtbot, view, views_env)
    held.release()
    steps = views_env.ctx.undo_stack.count()
    views_env.ctx.undo_stack.undo()  # Edit > Undo: the "first" notes
    assert _stored_notes(views_env, qid) == ""
    assert asked == []
    assert views_env.ctx.undo_stack.count() == steps
    assert views_env.ctx.unsaved.text(views_env.code, qid, "notes") == TYPED
    assert view.panel.notes.toPlainText() == TYPED  # still shown, still unsaved


def test_a_refused_not_applicable_keeps_what_was_typed_not_the_reason_line(  # type: ignore[no-untyped-def]
        qtbot, views_env, monkeypatch) -> None:
    from qmsr_ready.ui.widgets import question_panel

    view = _runner(qtbot, views_env)
    qid = view.current_question_id()
    monkeypatch.setattr(question_panel, "ask_na_reason", lambda _w, _q: "no sterile products")
    view.panel.notes.setPlainText(TYPED)
    held = _hold(views_env)
    try:
        view.panel.choose_result("not_applicable")
    finally:
        held.release()
    assert views_env.ctx.unsaved.text(views_env.code, qid, "notes") == TYPED
