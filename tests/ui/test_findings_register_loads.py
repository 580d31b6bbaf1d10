"""The findings register reads its rows once per open (issue 13: opening the large workspace with
"All inspections" on read the same 5,000 rows three times: on workspace_changed, on the
current_inspection_changed("") that follows it, and when the home list picked an inspection)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from views_fixtures import ACTOR, ViewsEnv, views_env_for

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.ui.views import findings_register
from qmsr_ready.ui.views.findings_register import FindingsRegisterView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:  # type: ignore[no-untyped-def]
    env_for = views_env_for(tmp_path)
    env = next(env_for)
    yield env
    opened = env.ctx.workspace  # the copy a test opened, if any
    with contextlib.suppress(StopIteration):
        next(env_for)
    if opened is not None:
        opened.close()


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every scope the register reads from the workspace, in order."""
    seen: list[str] = []
    real = findings_register.load_finding_rows

    def counting(session, scope=""):  # type: ignore[no-untyped-def]
        seen.append(scope)
        return real(session, scope)

    monkeypatch.setattr(findings_register, "load_finding_rows", counting)
    return seen


def _raise(env: ViewsEnv, title: str) -> None:
    with env.ctx.write("finding", env.code) as s:
        services.raise_finding(s, ACTOR, inspection_code=env.code, title=title,
                               classification="minor", question_ids=["MO-05-Q01"])


def _open_copy(env: ViewsEnv) -> None:
    """What File ▸ Open does to the context (here on a copy of the workspace): swap the
    workspace, then the home list picks an inspection."""
    old = env.ctx.workspace
    copy = env.workspace_path.with_name("copy.qmsr")
    old.backup_to(copy)
    env.ctx.set_workspace(open_workspace(copy))
    old.close()
    env.ctx.set_current_inspection(env.code)


def test_all_inspections_is_read_once_per_open(qtbot, views_env, loads) -> None:  # type: ignore[no-untyped-def]
    _raise(views_env, "Complaint files incomplete")
    view = FindingsRegisterView(views_env.ctx)
    qtbot.addWidget(view)
    view.all_inspections.setChecked(True)
    assert loads == [""]

    loads.clear()
    _open_copy(views_env)
    assert loads == [""]  # one read, not three
    assert view.model.rowCount() == 1
    assert view.new_button.isEnabled()  # the banner and New button follow the picked code


def test_one_inspection_is_read_once_when_picked(qtbot, views_env, loads) -> None:  # type: ignore[no-untyped-def]
    _raise(views_env, "Complaint files incomplete")
    view = FindingsRegisterView(views_env.ctx)
    qtbot.addWidget(view)
    _open_copy(views_env)
    assert loads == [views_env.code]  # nothing to read before an inspection is picked
    assert view.model.rowCount() == 1


def test_a_change_still_reloads(qtbot, views_env, loads) -> None:  # type: ignore[no-untyped-def]
    view = FindingsRegisterView(views_env.ctx)
    qtbot.addWidget(view)
    view.all_inspections.setChecked(True)
    loads.clear()
    _raise(views_env, "MDF lacks labelling")
    assert loads == [""]
    assert view.model.rowCount() == 1
    view.all_inspections.setChecked(False)  # back to the current inspection: a new scope
    view.set_inspection(views_env.code)
    assert loads == ["", views_env.code]
    assert view.model.rowCount() == 1
