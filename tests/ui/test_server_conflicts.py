"""Concurrent editors: a save over someone else's newer change becomes "Reload theirs / Keep mine",
and polling refreshes the views without losing what is being typed.

The other editor is a second ``Workspace`` on the same file that bypasses the writer lock, the
way a colleague's session on the team server would write; the checks are the same on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from views_fixtures import ViewsEnv, views_env_for

from qmsr_ready.core import services
from qmsr_ready.core.changes import change_token, changes_since
from qmsr_ready.core.db import Workspace, _make_engine
from qmsr_ready.core.errors import RevisionConflict
from qmsr_ready.core.views.undo import finding_values, response_values
from qmsr_ready.ui import conflicts
from qmsr_ready.ui.change_watch import ChangeWatch
from qmsr_ready.ui.conflicts import ConflictChoice, conflict_box
from qmsr_ready.ui.dialogs.finding_editor import FindingEditor
from qmsr_ready.ui.views.checklist_runner import ChecklistRunnerView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

COLLEAGUE = "Ana Ruiz"
QID = "MA-03-Q01"
OTHER_QID = "MA-03-Q02"


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


@pytest.fixture
def colleague(views_env: ViewsEnv) -> Iterator[Workspace]:
    """A second writer on the same workspace (as another session on the server would be)."""
    path = views_env.workspace_path
    ws = Workspace(path, _make_engine(path, read_only=False), read_only=False, lock=None,
                   schema_revision=views_env.ctx.workspace.schema_revision)
    yield ws
    ws.close()


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Records each conflict question; answers with the choice pushed onto the list first."""
    asked: list[Any] = []

    def ask(_parent: Any, exc: RevisionConflict, what: str) -> ConflictChoice:
        choice = asked.pop(0)
        asked.append((exc, what))
        return choice

    monkeypatch.setattr(conflicts, "ask_conflict", ask)
    return asked


def _runner(qtbot, env: ViewsEnv) -> ChecklistRunnerView:
    view = ChecklistRunnerView(env.ctx)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    view.set_inspection(env.code)
    view.select_question(QID)
    return view


def _colleague_records(ws: Workspace, code: str, qid: str, **fields: Any) -> None:
    with ws.begin() as s:
        services.record_response(s, COLLEAGUE, inspection_code=code, question_id=qid, **fields)


def _stored(env: ViewsEnv, qid: str = QID) -> dict[str, Any]:
    with env.ctx.read() as s:
        return response_values(s, env.code, qid)


def test_keep_mine_saves_over_theirs_after_asking(qtbot, views_env, colleague, answers) -> None:
    view = _runner(qtbot, views_env)
    view.panel.notes.setPlainText("Mine: 3 complaints lacked MDR decisions")
    _colleague_records(colleague, views_env.code, QID, notes="Theirs: all complaints reviewed")
    answers.append(ConflictChoice.KEEP_MINE)
    view.panel.flush()
    (exc, what), = answers
    assert exc.who == COLLEAGUE
    assert exc.when is not None
    assert what == f"The answer to {QID}"
    assert _stored(views_env)["notes"] == "Mine: 3 complaints lacked MDR decisions"
    assert view.panel.notes.toPlainText() == "Mine: 3 complaints lacked MDR decisions"
    assert view.message.isHidden() or not view.message.text()


def test_reload_theirs_shows_their_text_and_writes_nothing(
    qtbot, views_env, colleague, answers
) -> None:
    view = _runner(qtbot, views_env)
    view.panel.notes.setPlainText("Mine")
    _colleague_records(colleague, views_env.code, QID, notes="Theirs")
    token = change_token(views_env.ctx.workspace)
    answers.append(ConflictChoice.RELOAD)
    view.panel.flush()
    assert len(answers) == 1
    assert _stored(views_env)["notes"] == "Theirs"
    assert view.panel.notes.toPlainText() == "Theirs"
    assert change_token(views_env.ctx.workspace) == token  # nothing of ours was written
    assert views_env.ctx.undo_stack.count() == 0


def test_a_change_to_another_field_is_no_conflict(qtbot, views_env, colleague, answers) -> None:
    view = _runner(qtbot, views_env)
    view.panel.notes.setPlainText("Mine")
    _colleague_records(colleague, views_env.code, QID, result="conforms")
    view.panel.flush()
    assert answers == []  # never asked
    stored = _stored(views_env)
    assert (stored["notes"], stored["result"]) == ("Mine", "conforms")


def test_undo_over_their_newer_change_is_refused(qtbot, views_env, colleague, answers) -> None:
    view = _runner(qtbot, views_env)
    view.panel.notes.setPlainText("Mine")
    view.panel.flush()
    _colleague_records(colleague, views_env.code, QID, notes="Theirs, later")
    views_env.ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: "changed elsewhere by Ana Ruiz" in view.message.text())
    assert _stored(views_env)["notes"] == "Theirs, later"


def _finding(env: ViewsEnv) -> str:
    with env.ctx.write("finding", env.code) as s:
        return services.raise_finding(
            s, "Test Lead", inspection_code=env.code, title="Complaint trending missing",
            classification="minor",
        ).code


@pytest.mark.parametrize("choice", [ConflictChoice.KEEP_MINE, ConflictChoice.RELOAD])
def test_finding_editor_conflict_both_ways(qtbot, views_env, colleague, answers, choice) -> None:
    code = _finding(views_env)
    editor = FindingEditor(views_env.ctx, views_env.code, code)
    qtbot.addWidget(editor)
    editor.owner.setText("B. Mine")
    with colleague.begin() as s:
        services.update_finding(s, COLLEAGUE, views_env.code, code, owner="A. Theirs")
    answers.append(choice)
    saved = editor.save()
    (exc, what), = answers
    assert (exc.who, what) == (COLLEAGUE, f"Finding {code}")
    with views_env.ctx.read() as s:
        owner = finding_values(s, views_env.code, code, ["owner"])["owner"]
    if choice is ConflictChoice.KEEP_MINE:
        assert saved
        assert owner == "B. Mine"
    else:
        assert not saved
        assert owner == "A. Theirs"
        assert editor.owner.text() == "A. Theirs"  # their version on screen, dialog still open
        assert "not saved" in editor.error_label.text()


def test_polling_refreshes_views_and_keeps_typed_text(qtbot, views_env, colleague) -> None:
    view = _runner(qtbot, views_env)
    watch = ChangeWatch(views_env.ctx, always=True)
    messages: list[str] = []
    watch.others_changed.connect(messages.append)
    assert not watch.poll_now()  # nothing new yet
    view.panel.notes.setFocus()
    qtbot.keyClicks(view.panel.notes, "Typing while Ana works")
    _colleague_records(colleague, views_env.code, OTHER_QID, result="major_gap")
    _colleague_records(colleague, views_env.code, OTHER_QID, notes="Two CAPAs overdue")
    assert watch.poll_now()
    # two answers, and the inspection's move to "in progress" that the first one made
    assert messages == ["Updated: 3 changes by Ana Ruiz"]
    assert view.model.result(OTHER_QID) == "major_gap"  # their change is on screen
    assert view.panel.question_id == QID
    assert view.panel.notes.toPlainText() == "Typing while Ana works"  # ours kept
    # Our own save afterwards is not announced as someone else's.
    view.panel.flush()
    assert not watch.poll_now()
    assert messages == ["Updated: 3 changes by Ana Ruiz"]
    assert _stored(views_env)["notes"] == "Typing while Ana works"


def test_changes_since_names_others_only(views_env, colleague) -> None:
    ws = views_env.ctx.workspace
    token = change_token(ws)
    _colleague_records(colleague, views_env.code, QID, result="conforms")  # + "in progress"
    with ws.session() as s:
        mine_left_out = changes_since(s, token, exclude_actor=COLLEAGUE)
        theirs = changes_since(s, token)
    assert mine_left_out.empty
    assert theirs.describe() == "2 changes by Ana Ruiz"
    assert ("response", "response.record", views_env.code) in theirs.touched
    assert change_token(ws) != token


def test_conflict_box_renders_at_1366x768(qtbot, tmp_path) -> None:
    import datetime as dt

    exc = RevisionConflict("x", who=COLLEAGUE, when=dt.datetime.now(dt.UTC))
    box = conflict_box(None, exc, f"The answer to {QID}")
    qtbot.addWidget(box)
    box.show()
    image = box.grab()
    assert 0 < image.width() <= 1366
    assert 0 < image.height() <= 768
    assert image.save(str(tmp_path / "conflict.png"))
    assert box.text().startswith(f"<b>Changed by {COLLEAGUE} at ")
    assert [b.text() for b in box.buttons()] != []
    assert box.escapeButton() is None  # no way out but a choice
