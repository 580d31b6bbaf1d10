"""Checklist runner: a saved answer updates its one row in place; nothing reloads the checklist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from sqlalchemy import func, select
from views_fixtures import ACTOR, ViewsEnv, views_env_for

from qmsr_ready.core.models import AuditEvent, Response
from qmsr_ready.ui.models.checklist_model import IdRole
from qmsr_ready.ui.views import checklist_runner
from qmsr_ready.ui.views.checklist_runner import ChecklistRunnerView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

QID = "MO-05-Q01"  # first question of the fixture, element MO-05 of area MO


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


class Spy:
    """Counts checklist reloads, model resets and the rows ``dataChanged`` names."""

    def __init__(self, view: ChecklistRunnerView, monkeypatch: pytest.MonkeyPatch) -> None:
        self.loads = 0
        self.resets = 0
        self.changed: list[str] = []
        real = checklist_runner.load_checklist

        def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.loads += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(checklist_runner, "load_checklist", counting)
        view.model.modelReset.connect(self._on_reset)
        view.model.dataChanged.connect(self._on_changed)

    def _on_reset(self) -> None:
        self.resets += 1

    def _on_changed(self, top_left: QModelIndex, _bottom_right: QModelIndex) -> None:
        self.changed.append(str(top_left.data(IdRole)))


def _runner(qtbot, env: ViewsEnv) -> ChecklistRunnerView:
    view = ChecklistRunnerView(env.ctx)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    view.set_inspection(env.code)
    assert view.current_question_id() == QID
    return view


def _record_events(env: ViewsEnv) -> int:
    with env.ctx.read() as s:
        return s.scalar(
            select(func.count()).select_from(AuditEvent)
            .where(AuditEvent.action == "response.record")
        ) or 0


def test_a_result_save_updates_its_row_and_its_parents_only(qtbot, views_env, monkeypatch) -> None:
    view = _runner(qtbot, views_env)
    spy = Spy(view, monkeypatch)
    view.panel.choose_result("conforms")
    assert spy.loads == 0  # the checklist was not read again
    assert spy.resets == 0
    assert spy.changed == [QID, "MO-05", "MO"]  # the question, its element, its area
    assert view.model.result(QID) == "conforms"
    assert view.panel.assessed_label.text().startswith(f"Last recorded by {ACTOR}")
    assert view.progress_label.text().startswith("1 of 6 answered")


def test_a_notes_autosave_reloads_nothing(qtbot, views_env, monkeypatch) -> None:
    view = _runner(qtbot, views_env)
    spy = Spy(view, monkeypatch)
    view.panel.notes.setPlainText("Shown the complaint log")
    view.panel.flush()
    assert _record_events(views_env) == 1
    assert (spy.loads, spy.resets, spy.changed) == (0, 0, [])  # the result did not change
    assert view.panel.notes.toPlainText() == "Shown the complaint log"
    assert not view.panel.notes.dirty


def test_a_sampling_save_is_saved_once_without_a_guard(qtbot, views_env, monkeypatch) -> None:
    view = _runner(qtbot, views_env)
    spy = Spy(view, monkeypatch)
    view.panel.population.setValue(120)
    view.panel.sample_size.setValue(12)
    view.panel.population.editingFinished.emit()
    view.panel.flush()  # a second flush (F8, closing) finds nothing new to save
    assert _record_events(views_env) == 1
    assert spy.loads == 0
    with views_env.ctx.read() as s:
        row = s.scalars(select(Response).where(Response.question_id == QID)).one()
        assert (row.sample_population, row.sample_size) == (120, 12)
    assert view.panel.population.value_or_none() == 120


def test_undo_and_redo_update_the_one_row(qtbot, views_env, monkeypatch) -> None:
    view = _runner(qtbot, views_env)
    view.panel.choose_result("minor_gap")
    spy = Spy(view, monkeypatch)
    views_env.ctx.undo_stack.undo()
    assert view.model.result(QID) == "not_assessed"
    assert view.panel.result_buttons["minor_gap"].isChecked() is False
    views_env.ctx.undo_stack.redo()
    assert view.model.result(QID) == "minor_gap"
    assert view.panel.result_buttons["minor_gap"].isChecked()
    assert (spy.loads, spy.resets) == (0, 0)


def test_a_change_without_a_named_question_still_reloads(qtbot, views_env, monkeypatch) -> None:
    view = _runner(qtbot, views_env)
    spy = Spy(view, monkeypatch)
    views_env.ctx.data_changed.emit("response", views_env.code)  # e.g. an import of many rows
    assert spy.loads == 1
    assert spy.resets == 0
    assert view.tree.model().rowCount() > 0
    assert view.current_question_id() == QID
