"""Evidence bytes of an undone attach go for good once the undo history goes (issue 9 QA).

An undone attach kept its bytes (so redo works without the original file) and they stayed in
the workspace forever, even a file attached by mistake.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from views_fixtures import ViewsEnv, views_env_for

from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.services.evidence_purge import unreferenced_blobs
from qmsr_ready.core.views.audit import audit_events
from qmsr_ready.ui.widgets.evidence_list import EvidenceListWidget

QUESTION = "MO-05-Q01"


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _attach_and_undo(qtbot, env: ViewsEnv, tmp_path: Path) -> None:
    widget = EvidenceListWidget(env.ctx)
    qtbot.addWidget(widget)
    widget.set_target(env.code, [], question_id=QUESTION)
    secret = tmp_path / "salary-list.xlsx"
    secret.write_bytes(b"not for the investigator" * 100)
    with qtbot.waitSignal(widget.attached, timeout=60_000):
        assert widget.add_files([secret]) is None
    env.ctx.undo_stack.undo()
    with env.ctx.read() as session:
        assert len(unreferenced_blobs(session)) == 1  # kept while redo may need it


def test_closing_the_workspace_purges_the_bytes_and_says_so(
    qtbot, views_env: ViewsEnv, tmp_path: Path
) -> None:
    _attach_and_undo(qtbot, views_env, tmp_path)
    ws = views_env.ctx.workspace
    assert ws is not None
    path = ws.path
    with qtbot.waitSignal(views_env.ctx.evidence_purged) as blocker:
        views_env.ctx.set_workspace(None)
    ws.close()
    assert blocker.args[0].startswith(f"Removed 1 unattached evidence file (2.3 KB) from "
                                      f"{path.name} for good")
    with open_workspace(path, read_only=True) as reopened, reopened.session() as session:
        assert unreferenced_blobs(session) == {}
        report = verify_chain(session)
        assert report.ok, (report.problem, report.data_problems)
        last = audit_events(session)[-1]
    assert last.action == "evidence.purge"  # audited, with what went
    assert last.changes["size"] == [2400, 0]


def test_nothing_to_purge_says_nothing(qtbot, views_env: ViewsEnv) -> None:
    said: list[str] = []
    views_env.ctx.evidence_purged.connect(said.append)
    ws = views_env.ctx.workspace
    views_env.ctx.set_workspace(None)
    assert ws is not None
    ws.close()
    assert said == []
