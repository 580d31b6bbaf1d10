"""Findings register: a register left open over midnight moves to the new day, and the selected
finding stays selected when the rows are replaced (QA 3, issue 13)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from views_fixtures import ACTOR, ViewsEnv, views_env_for

from qmsr_ready.core import services
from qmsr_ready.core.models import local_today
from qmsr_ready.core.vocab import Classification, FindingStatus
from qmsr_ready.ui.commands.base import execute
from qmsr_ready.ui.commands.findings import (
    RaiseFindingCommand,
    TransitionFindingCommand,
    UpdateFindingCommand,
)
from qmsr_ready.ui.models.findings_model import COL
from qmsr_ready.ui.presentation import CLASSIFICATION_LOOK, FINDING_STATUS_LOOK, OVERDUE
from qmsr_ready.ui.views.findings_register import FindingsRegisterView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def views_env(qtbot, fixed_now, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _seed(env: ViewsEnv, due_today: str) -> None:
    """F-001 due today (overdue tomorrow), F-002 with no due date, F-003 due in a month."""
    today = local_today()
    with env.ctx.workspace.begin() as s:
        for title, due in ((due_today, today), ("Minutes unsigned", None),
                           ("Labelling gap", today + dt.timedelta(days=30))):
            services.raise_finding(
                s, ACTOR, inspection_code=env.code, title=title, classification="minor",
                question_ids=[], owner="Dana", due_date=due,
            )  # fmt: skip


def _register(qtbot, env: ViewsEnv) -> FindingsRegisterView:
    view = FindingsRegisterView(env.ctx)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.set_inspection(env.code)
    view.show()
    return view


def _due_cell(view: FindingsRegisterView, code: str) -> str:
    for i in range(view.proxy.rowCount()):
        if view.proxy.index(i, COL["Code"]).data() == code:
            return str(view.proxy.index(i, COL["Due"]).data())
    raise AssertionError(f"{code} not shown")


def _shown(view: FindingsRegisterView) -> list[str]:
    return [view.proxy.index(i, COL["Code"]).data() for i in range(view.proxy.rowCount())]


def _next_day(monkeypatch: pytest.MonkeyPatch, fixed_now: dt.datetime, days: int = 1) -> None:
    from qmsr_ready.core import models

    monkeypatch.setattr(models, "utcnow", lambda: fixed_now + dt.timedelta(days=days))


@pytest.mark.parametrize("all_inspections", [True, False])
def test_register_moves_to_the_new_day_without_a_reload(
    qtbot, views_env, fixed_now, monkeypatch, all_inspections: bool
) -> None:
    _seed(views_env, "Complaint files incomplete")
    view = _register(qtbot, views_env)
    view.all_inspections.setChecked(all_inspections)
    view.overdue_filter.setChecked(True)
    assert _shown(view) == []
    assert view.count_label.text().endswith("· 0 overdue")
    view.overdue_filter.setChecked(False)

    _next_day(monkeypatch, fixed_now)
    # Moving between inspections (or back to the view) reads nothing again with "All
    # inspections" on: the rows already held are judged against the new day.
    view.set_inspection(views_env.code)
    assert _due_cell(view, "F-001").endswith("Overdue")
    assert view.count_label.text().endswith("· 1 overdue")
    view.overdue_filter.setChecked(True)
    assert _shown(view) == ["F-001"]

    # A month later, the view hidden meanwhile: showing it again catches up too.
    view.hide()
    _next_day(monkeypatch, fixed_now, days=31)
    view.show()
    assert _shown(view) == ["F-001", "F-003"]
    assert view.count_label.text().endswith("· 2 overdue")
    assert view.model.today == local_today()


def _selected(view: FindingsRegisterView) -> str | None:
    row = view.selected_row()
    return row.code if row is not None else None


def test_selection_kept_when_a_finding_is_raised_and_undone(qtbot, views_env) -> None:
    _seed(views_env, "Complaint files incomplete")
    view = _register(qtbot, views_env)
    assert view.select_finding(views_env.code, "F-002")
    error = execute(views_env.ctx, RaiseFindingCommand(
        views_env.ctx, views_env.code,
        {"title": "New one", "classification": "minor", "question_ids": []},
    ))  # fmt: skip
    assert error is None
    assert view.model.rowCount() == 4  # the rows were replaced (a reset)
    assert _selected(view) == "F-002"
    views_env.ctx.undo_stack.undo()
    assert view.model.rowCount() == 3
    assert _selected(view) == "F-002"


def test_selection_follows_a_row_its_edit_moves(qtbot, views_env) -> None:
    _seed(views_env, "Complaint files incomplete")
    view = _register(qtbot, views_env)
    ctx, code = views_env.ctx, views_env.code

    view.table.sortByColumn(COL["Status"], Qt.SortOrder.AscendingOrder)
    assert view.select_finding(code, "F-001")
    plan = {"corrective_action": "Rewrite the complaint procedure"}
    assert execute(ctx, UpdateFindingCommand(ctx, code, "F-001", plan)) is None
    assert _selected(view) == "F-001"
    assert execute(ctx, TransitionFindingCommand(ctx, code, "F-001", "action_planned")) is None
    assert [view.model.row_at(i).code for i in range(3)] == ["F-002", "F-003", "F-001"]
    assert _selected(view) == "F-001"

    view.table.sortByColumn(COL["Title"], Qt.SortOrder.AscendingOrder)
    assert view.select_finding(code, "F-003")  # "Labelling gap", the first by title
    change = {"title": "Zero trend analysis"}
    assert execute(ctx, UpdateFindingCommand(ctx, code, "F-003", change)) is None
    assert view.model.row_at(2).code == "F-003"
    assert _selected(view) == "F-003"
    assert view.table.currentIndex().row() == view.proxy.mapFromSource(
        view.model.index(2, 0)
    ).row()


def test_short_columns_whole_on_a_1366_window(qtbot, views_env) -> None:
    """The bold "⚠ Overdue" due date and the longest status and class words are never cut;
    Title takes what they leave (QA 3 item 6: "2026-11-28 ⚠ O…", "Awaiting verific…")."""
    _seed(views_env, "Complaint files incomplete " * 4)
    view = _register(qtbot, views_env)
    view.resize(1366 - 150, 600)  # the window less the navigation bar
    view.column_fit.fit()
    bold = view.table.font()
    bold.setBold(True)
    due = QFontMetrics(bold).horizontalAdvance(f"2026-11-28  {OVERDUE.text}")
    status = view.table.fontMetrics().horizontalAdvance(
        FINDING_STATUS_LOOK[FindingStatus.AWAITING_VERIFICATION].text)
    klass = view.table.fontMetrics().horizontalAdvance(
        CLASSIFICATION_LOOK[Classification.OFI].text)
    assert view.table.columnWidth(COL["Due"]) > due
    assert view.table.columnWidth(COL["Status"]) > status
    assert view.table.columnWidth(COL["Class"]) > klass
