"""A count another program stored as text ('twelve') reaches the checklist as a refusal in
words naming the damaged value, not as a TypeError in a number box and the "did not expect"
dialog (QA 6 item 3): after an autosave of that question, and when the checklist loads."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from views_fixtures import ViewsEnv, views_env_for

from qmsr_ready.ui.views.checklist_runner import ChecklistRunnerView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _damage(env: ViewsEnv, qid: str) -> None:
    other = sqlite3.connect(env.workspace_path, isolation_level=None)
    try:
        changed = other.execute(
            "UPDATE responses SET sample_size = 'twelve' WHERE question_id = ? AND "
            "inspection_id = (SELECT id FROM inspections WHERE code = ?)", (qid, env.code)
        ).rowcount
    finally:
        other.close()
    assert changed == 1


def test_a_count_stored_as_text_is_named_after_an_autosave(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    view = ChecklistRunnerView(views_env.ctx)
    qtbot.addWidget(view)
    view.set_inspection(views_env.code)
    qid = view.current_question_id()
    assert view.record(qid, {"result": "conforms"}) is None
    _damage(views_env, qid)
    view.panel.notes.setPlainText("seen on the floor")
    view.panel.flush()  # saved; the row shown again is read back: refused in words
    text = view.message.text()
    assert "damaged value" in text
    assert "twelve" in text


def test_a_count_stored_as_text_is_named_when_the_checklist_loads(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    view = ChecklistRunnerView(views_env.ctx)
    qtbot.addWidget(view)
    view.set_inspection(views_env.code)
    qid = view.current_question_id()
    assert view.record(qid, {"result": "conforms"}) is None
    view.set_inspection("")
    _damage(views_env, qid)
    view.set_inspection(views_env.code)
    assert "damaged value" in view.message.text()
