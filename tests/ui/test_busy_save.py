"""An answer saved while another program holds the workspace's write lock past the busy timeout
is refused in words, in the runner's message line: not the "did not expect" error dialog of an
untranslated ``database is locked``; the answer on screen stays as it was stored, and the same
answer saves once the file is free."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from views_fixtures import HeldFile, ViewsEnv, views_env_for

from qmsr_ready.core.workspace_file import WorkspaceBusy
from qmsr_ready.ui.views.checklist_runner import ChecklistRunnerView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def test_a_save_on_a_busy_file_is_refused_in_words_then_saves(qtbot, views_env: ViewsEnv) -> None:
    view = ChecklistRunnerView(views_env.ctx)
    qtbot.addWidget(view)
    view.set_inspection(views_env.code)
    qid = view.current_question_id()
    workspace = views_env.ctx.workspace
    assert workspace is not None
    held = HeldFile(workspace)
    try:
        error = view.record(qid, {"result": "minor_gap"})
    finally:
        held.release()
    assert isinstance(error, WorkspaceBusy)
    assert "another program" in view.message.text()
    assert "not saved" in view.message.text()
    assert view.model.result(qid) != "minor_gap"
    assert view.record(qid, {"result": "minor_gap"}) is None
    assert view.model.result(qid) == "minor_gap"
